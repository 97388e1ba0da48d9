// ScanAndFile: one run of scan-and-file(8). For each spool file, oldest first: open it
// with the spool private key, scan it with clamd (zINSTREAM), file it (clean) or
// quarantine it (infected), and unlink it only after the commit. No verdict → the file
// stays and the run exits 75. Files are read and scanned `scanConcurrency` at a time
// (clamd scans in parallel); filing stays sequential, in spool order.
// SECURITY: logs name spool files and row ids only, never subjects, addresses or bodies.

import Dispatch
import Foundation
import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiMail
import MadoguchiStore

/// The scan-and-file program body.
public final class ScanAndFile {
    /// The program name (job_runs, log tag, lock file).
    public static let program = "scan-and-file"
    /// Files read and scanned at the same time (clamd's MaxThreads is 10 by default).
    public static let defaultScanConcurrency = 4

    private let configuration: Configuration
    private let log: Log
    /// Stage timings (printed by the caller when enabled).
    public let timings: FilingTimings
    private let scanConcurrency: Int

    /// Creates a run.
    /// - Parameters:
    ///   - configuration: the instance configuration.
    ///   - log: the program's logger.
    ///   - timings: stage counters.
    ///   - scanConcurrency: how many files are scanned at once (1 = strictly one by one).
    public init(
        configuration: Configuration, log: Log, timings: FilingTimings = FilingTimings(enabled: false),
        scanConcurrency: Int = ScanAndFile.defaultScanConcurrency
    ) {
        self.configuration = configuration
        self.log = log
        self.timings = timings
        self.scanConcurrency = max(1, scanConcurrency)
    }

    /// What reading and scanning one spool file gave.
    enum Prepared: Sendable {
        /// Opened and scanned.
        case scanned(SpoolEnvelope, [UInt8], ScanVerdict)
        /// Opened, but clamd gave no verdict.
        case noVerdict(ScanError)
        /// Cannot be opened with our key (or is not a spool record): to `hold/`.
        case unreadable
        /// An I/O error reading it (it stays).
        case readFailed(String)
        /// Not tried: clamd was found unreachable.
        case skipped
    }

    /// Runs once over the spool.
    /// - Returns: `.ok` when everything was filed or quarantined, `.tempFail` when anything
    ///   waits, `.dataError` when files were held, `.software` when filing failed.
    /// - Throws: on start-up failures (configuration, keys, database); the job run is
    ///   recorded as failed or tempfail where the database is reachable.
    public func run(now: () -> Date = Date.init) throws -> SysExit {
        let instance = try InstanceDatabase.open(configuration: configuration)
        let keyPair = try SpoolKeyPair.load(
            privateKeyPath: configuration.path("key_directory") + "/" + SpoolKeyPair.fileName)
        let job = try JobRun.start(program: ScanAndFile.program, connection: instance.database.connection)
        var counts = ScanAndFileCounts()
        var reasons: [String] = []
        do {
            let filer = Filer(
                database: instance.database, keys: instance.keys, log: log, limits: MailLimits(configuration),
                quarantineDays: configuration.integer("quarantine_days"), timings: timings)
            try process(filer: filer, keyPair: keyPair, counts: &counts, reasons: &reasons, now: now)
            let purged = try filer.purgeQuarantine(now: now())
            if purged > 0 { log.info("purged \(purged) expired quarantined messages") }
        } catch {
            let exit: SysExit = (error as? any MadoguchiError)?.isTransient == true ? .tempFail : .software
            try? job.finish(exit: exit, counts: counts.dictionary, message: "\(error)")
            throw error
        }
        let exit: SysExit =
            counts.waiting > 0 ? .tempFail : counts.failed > 0 ? .software : counts.held > 0 ? .dataError : .ok
        let outcome: JobOutcome? = exit == .ok || exit == .tempFail ? nil : .partial
        try job.finish(
            exit: exit, outcome: outcome, counts: counts.dictionary,
            message: reasons.isEmpty ? nil : reasons.joined(separator: "; "))
        return exit
    }

    /// Reads, scans and files every pending spool file.
    private func process(
        filer: Filer, keyPair: SpoolKeyPair, counts: inout ScanAndFileCounts, reasons: inout [String],
        now: () -> Date
    ) throws {
        let spool = Spool(directory: configuration.path("spool_directory"))
        let clamd = ClamdClient(configuration)
        let messageLimit = Int(clamping: configuration.bytes("mail_max_message_size"))
        let readLimit = 2 * max(messageLimit, clamd.maxStreamSize) + (1 << 20)
        let names = try spool.pending()
        var clamdDown = false
        var position = 0
        let window = scanConcurrency * 4
        while position < names.count {
            let batch = Array(names[position..<min(position + window, names.count)])
            position += batch.count
            let prepared: [Prepared]
            if clamdDown {
                prepared = Array(repeating: .skipped, count: batch.count)
            } else {
                prepared = prepare(batch, spool: spool, keyPair: keyPair, clamd: clamd, readLimit: readLimit)
            }
            for (name, item) in zip(batch, prepared) {
                try handle(
                    name, item, filer: filer, spool: spool, clamd: clamd, counts: &counts, reasons: &reasons,
                    clamdDown: &clamdDown, now: now)
            }
        }
    }

    /// Files, quarantines, holds or leaves one prepared spool file.
    private func handle(
        _ name: String, _ item: Prepared, filer: Filer, spool: Spool, clamd: ClamdClient,
        counts: inout ScanAndFileCounts, reasons: inout [String], clamdDown: inout Bool, now: () -> Date
    ) throws {
        switch item {
        case .skipped:
            counts.waiting += 1
        case .readFailed(let why):
            counts.waiting += 1
            log.error("spool file \(name): \(why); left for the next run")
            note(&reasons, "spool read failed")
        case .unreadable:
            do {
                try spool.hold(name)
                counts.held += 1
                log.error("spool file \(name) cannot be opened with the spool key; moved to hold/")
                note(&reasons, "held unreadable spool files")
            } catch {
                counts.waiting += 1
                log.error("spool file \(name) cannot be opened and not moved to hold/: \(error)")
            }
        case .noVerdict(let error):
            counts.waiting += 1
            if case .network(.connectFailed) = error {
                if !clamdDown { log.error("\(error); leaving the spool for the next run") }
                clamdDown = true
                note(&reasons, "clamd unreachable")
            } else if case .streamTooLarge(let size, let limit) = error {
                log.error(
                    "spool file \(name): message of \(size) bytes is larger than clamd_max_stream_size "
                        + "(\(limit) bytes); it waits until an administrator raises clamd's StreamMaxLength and "
                        + "clamd_max_stream_size")
                note(&reasons, "message beyond clamd_max_stream_size")
            } else if case .sizeLimitExceeded = error {
                log.error("spool file \(name): \(error); raise StreamMaxLength in clamd.conf")
                note(&reasons, "clamd StreamMaxLength too small")
            } else {
                log.error("spool file \(name): \(error); left for the next run")
                note(&reasons, "clamd gave no verdict")
            }
        case .scanned(let envelope, let raw, let verdict):
            CrashPoint.reach("after-scan")
            try fileScanned(
                name, envelope: envelope, raw: raw, verdict: verdict, filer: filer, spool: spool, counts: &counts,
                reasons: &reasons, now: now)
        }
    }

    private func fileScanned(
        _ name: String, envelope: SpoolEnvelope, raw: [UInt8], verdict: ScanVerdict, filer: Filer, spool: Spool,
        counts: inout ScanAndFileCounts, reasons: inout [String], now: () -> Date
    ) throws {
        do {
            switch verdict {
            case .clean:
                switch try filer.file(envelope: envelope, raw: raw, now: now()) {
                case .filed(let inquiry, let message):
                    counts.filed += 1
                    log.debug("spool file \(name): filed as message \(message) in inquiry \(inquiry)")
                case .malformed(let inquiry, let message, let reason):
                    counts.filed += 1
                    counts.malformed += 1
                    log.warning(
                        "spool file \(name): malformed (\(reason)); filed as message \(message) in inquiry \(inquiry)")
                case .duplicate:
                    counts.duplicate += 1
                    log.debug("spool file \(name): already filed")
                }
            case .infected(let signature):
                switch try filer.quarantine(envelope: envelope, raw: raw, virus: signature, now: now()) {
                case .quarantined(let id):
                    counts.quarantined += 1
                    log.info("spool file \(name): \(signature) found; quarantined as \(id)")
                case .duplicate:
                    counts.duplicate += 1
                    log.debug("spool file \(name): already quarantined")
                }
            }
        } catch let error as any MadoguchiError where error.isTransient {
            throw error  // the database is busy or gone: stop, the next run retries everything left
        } catch {
            counts.failed += 1
            log.error("spool file \(name): cannot be filed: \(error); left in the spool")
            note(&reasons, "filing failed")
            return
        }
        CrashPoint.reach("before-unlink")
        try timings.measure("unlink") { try spool.remove(name) }
    }

    /// Reads, opens and scans a batch, `scanConcurrency` files at a time.
    private func prepare(
        _ names: [String], spool: Spool, keyPair: SpoolKeyPair, clamd: ClamdClient, readLimit: Int
    ) -> [Prepared] {
        let results = PreparedSlots(count: names.count)
        let work: @Sendable (Int) -> Void = { index in
            let readStart = Monotonic.now()
            let opened: (SpoolEnvelope, [UInt8])
            do {
                opened = try spool.read(names[index], limit: readLimit) { try SealedBox.open($0, with: keyPair) }
            } catch SpoolError.unreadable {
                results.set(index, .unreadable, read: Monotonic.now() - readStart, scan: 0)
                return
            } catch {
                results.set(index, .readFailed("\(error)"), read: Monotonic.now() - readStart, scan: 0)
                return
            }
            let scanStart = Monotonic.now()
            let item: Prepared
            do {
                item = .scanned(opened.0, opened.1, try clamd.scan(opened.1))
            } catch let error as ScanError {
                item = .noVerdict(error)
            } catch {
                item = .noVerdict(.badReply("\(error)"))
            }
            results.set(index, item, read: scanStart - readStart, scan: Monotonic.now() - scanStart)
        }
        if scanConcurrency == 1 {
            for index in names.indices { work(index) }
        } else {
            // At most `scanConcurrency` at once: concurrentPerform over that many lanes.
            let lanes = min(scanConcurrency, names.count)
            DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                var index = lane
                while index < names.count {
                    work(index)
                    index += lanes
                }
            }
        }
        timings.add("read", results.readSeconds)
        timings.add("scan", results.scanSeconds)
        return results.items
    }

    private func note(_ reasons: inout [String], _ reason: String) {
        if !reasons.contains(reason) { reasons.append(reason) }
    }
}

/// Result slots written by the scanning threads, read after they have all finished.
/// `@unchecked Sendable`: every access holds `lock`.
private final class PreparedSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [ScanAndFile.Prepared]
    private(set) var readSeconds = 0.0
    private(set) var scanSeconds = 0.0

    init(count: Int) { slots = Array(repeating: .skipped, count: count) }

    func set(_ index: Int, _ item: ScanAndFile.Prepared, read: Double, scan: Double) {
        lock.lock()
        defer { lock.unlock() }
        slots[index] = item
        readSeconds += read
        scanSeconds += scan
    }

    var items: [ScanAndFile.Prepared] {
        lock.lock()
        defer { lock.unlock() }
        return slots
    }
}
