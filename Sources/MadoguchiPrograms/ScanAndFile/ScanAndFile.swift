// ScanAndFile: one run of scan-and-file(8). For each spool file, oldest first: open it
// with the spool private key, scan it with clamd (zINSTREAM), file it (clean) or
// quarantine it (infected), and unlink it only after the commit. No verdict → the file
// stays and the run exits 75. Files are read and scanned `clamd_concurrency` at a time
// (clamd scans in parallel); filing stays sequential, in spool order.
// SECURITY: logs name spool files and row ids only, never subjects, addresses or bodies.

import Dispatch
import Foundation
import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore

/// The scan-and-file program body.
public final class ScanAndFile {
    /// The program name (job_runs, log tag, lock file).
    public static let program = "scan-and-file"
    /// Most files read and scanned at the same time.
    public static let maximumScanConcurrency = 16

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
    ///   - scanConcurrency: how many files are scanned at once (1 = strictly one by one);
    ///     default `clamd_concurrency`.
    public init(
        configuration: Configuration, log: Log, timings: FilingTimings = FilingTimings(enabled: false),
        scanConcurrency: Int? = nil
    ) {
        self.configuration = configuration
        self.log = log
        self.timings = timings
        let wanted = scanConcurrency ?? Int(clamping: configuration.integer("clamd_concurrency"))
        self.scanConcurrency = min(ScanAndFile.maximumScanConcurrency, max(1, wanted))
    }

    /// What reading and scanning one spool file gave.
    enum Prepared: Sendable {
        /// Opened and scanned; clean messages come parsed, with their search tokens
        /// when their mailbox is known.
        case scanned(SpoolEnvelope, [UInt8], ScanVerdict, ParsedMessage?, IndexTokens?)
        /// Opened, but clamd gave no verdict.
        case noVerdict(ScanError)
        /// Cannot be opened with our key, is not a spool record, or is not a regular file
        /// of a sane size: to `hold/`, with the reason.
        case refused(SpoolError)
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
    public func run(now: @escaping () -> Date = Date.init) throws -> SysExit {
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

    /// Most spool files in one window (read and scanned together, filed in one transaction).
    static let windowCount = 32
    /// Most sealed bytes in one window, so memory stays bounded for large messages
    /// (at most `lookahead + 1` windows are held at once).
    static let windowBytes = 32 << 20
    /// Windows queued for scanning beyond the one being filed.
    static let lookahead = 2

    /// Reads, scans and files every pending spool file, window by window: while one
    /// window is filed (sequentially, one transaction), the next ones are read and
    /// scanned by the `Scanner` lanes.
    private func process(
        filer: Filer, keyPair: SpoolKeyPair, counts: inout ScanAndFileCounts, reasons: inout [String],
        now: @escaping () -> Date
    ) throws {
        let spool = Spool(directory: configuration.path("spool_directory"))
        let clamd = ClamdClient(configuration)
        let messageLimit = Int(clamping: configuration.bytes("mail_max_message_size"))
        // No message larger than mail_max_message_size is ever spooled (the fetcher and
        // enqueue refuse them), so a larger sealed file is not ours (S1).
        let readLimit = Spool.sealedSizeLimit(messageLimit: messageLimit)
        var windows = ScanAndFile.windows(try spool.pending(), in: spool.incomingDirectory)[...]
        let tokens = Tokens(keys: filer.keys)
        try tokens.loadMailboxes(from: filer.database)
        let pass = Pass(filer: filer, spool: spool, log: log, timings: timings, tokens: tokens, now: now)
        defer {
            counts = pass.counts
            reasons = pass.reasons
        }
        let scanner = Scanner(
            lanes: scanConcurrency,
            work: ScanAndFile.prepare(
                spool: spool, keyPair: keyPair, clamd: clamd, parser: filer.parser, tokens: tokens,
                readLimit: readLimit))
        var pending: [PreparedWindow] = []
        func submitNext() {
            guard let names = windows.popFirst() else { return }
            let window = PreparedWindow(names: names)
            // Clamd unreachable: the rest is not tried (every slot stays `.skipped`).
            if !pass.clamdDown { scanner.submit(window) }
            pending.append(window)
        }
        for _ in 0...ScanAndFile.lookahead { submitNext() }
        while !pending.isEmpty {
            let current = pending.removeFirst()
            let waitStart = Monotonic.now()
            let prepared = current.wait(timings: timings)
            timings.add("wait", Monotonic.now() - waitStart)
            submitNext()
            try pass.handle(prepared)
        }
        try pass.finish()
    }

    /// Splits the pending files into windows of at most `windowCount` files and
    /// `windowBytes` bytes (a larger single file gets a window of its own).
    static func windows(_ names: [String], in directory: String) -> [[String]] {
        var windows: [[String]] = []
        var current: [String] = []
        var bytes = 0
        for name in names {
            var info = stat()
            let size = lstat(directory + "/" + name, &info) == 0 ? Int(info.st_size) : 0
            if !current.isEmpty && (current.count >= windowCount || bytes + size > windowBytes) {
                windows.append(current)
                current = []
                bytes = 0
            }
            current.append(name)
            bytes += size
        }
        if !current.isEmpty { windows.append(current) }
        return windows
    }

    /// The work of a scanning lane for one spool file: read and open it, scan it, and
    /// (clean) parse it and make its search tokens; the result goes into its window slot.
    private static func prepare(
        spool: Spool, keyPair: SpoolKeyPair, clamd: ClamdClient, parser: MessageParser, tokens: Tokens,
        readLimit: Int
    ) -> @Sendable (PreparedWindow, Int) -> Void {
        let unreachable = ClamdUnreachable()
        return { window, index in
            // Once clamd refused a connection, the files queued after it wait (`.skipped`)
            // instead of each trying (and, over TCP, timing out) again.
            guard !unreachable.isSet else { return }
            let readStart = Monotonic.now()
            let opened: (SpoolEnvelope, [UInt8])
            do {
                opened = try spool.read(window.names[index], limit: readLimit) {
                    try SealedBox.open($0, with: keyPair)
                }
            } catch let error as SpoolError {
                window.set(index, .refused(error), read: Monotonic.now() - readStart, scan: 0)
                return
            } catch {
                window.set(index, .readFailed("\(error)"), read: Monotonic.now() - readStart, scan: 0)
                return
            }
            let scanStart = Monotonic.now()
            let verdict: ScanVerdict
            do {
                verdict = try clamd.scan(opened.1)
            } catch let error as ScanError {
                if case .network(.connectFailed) = error { unreachable.set() }
                window.set(index, .noVerdict(error), read: scanStart - readStart, scan: Monotonic.now() - scanStart)
                return
            } catch {
                window.set(
                    index, .noVerdict(.badReply("\(error)")), read: scanStart - readStart,
                    scan: Monotonic.now() - scanStart)
                return
            }
            // Only clean mail is parsed here: infected mail is parsed by the quarantine.
            let parseStart = Monotonic.now()
            let parsed = verdict == .clean ? parser.parse(opened.1) : nil
            let tokenStart = Monotonic.now()
            var made: IndexTokens?
            do {
                made = try parsed.flatMap { try tokens.make(for: $0, mailbox: opened.0.mailbox) }
            } catch {
                // Not lost: the filer makes the tokens again in its transaction and fails there.
                made = nil
            }
            window.set(
                index, .scanned(opened.0, opened.1, verdict, parsed, made), read: scanStart - readStart,
                scan: parseStart - scanStart, parse: tokenStart - parseStart, tokens: Monotonic.now() - tokenStart)
        }
    }
}

/// Set by the first scanning lane that cannot connect to clamd. `@unchecked Sendable`:
/// the flag is touched only under `lock`.
final class ClamdUnreachable: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { lock.withLock { value } }

    func set() { lock.withLock { value = true } }
}

/// One window of spool files being read and scanned by the scanner lanes; `wait`
/// returns the results once every thread is done. `@unchecked Sendable`: the slots are
/// only touched under `lock`, and read after `group` has finished.
final class PreparedWindow: @unchecked Sendable {
    /// The spool file names, in spool order.
    let names: [String]
    let group = DispatchGroup()
    private let lock = NSLock()
    private var slots: [ScanAndFile.Prepared]
    private var readSeconds = 0.0
    private var scanSeconds = 0.0
    private var parseSeconds = 0.0
    private var tokenSeconds = 0.0

    init(names: [String]) {
        self.names = names
        slots = Array(repeating: .skipped, count: names.count)
    }

    func set(
        _ index: Int, _ item: ScanAndFile.Prepared, read: Double, scan: Double, parse: Double = 0, tokens: Double = 0
    ) {
        lock.lock()
        defer { lock.unlock() }
        slots[index] = item
        readSeconds += read
        scanSeconds += scan
        parseSeconds += parse
        tokenSeconds += tokens
    }

    /// Waits for the scanning threads; adds their times to `timings`.
    func wait(timings: FilingTimings) -> [(name: String, item: ScanAndFile.Prepared)] {
        group.wait()
        lock.lock()
        defer { lock.unlock() }
        timings.add("read", readSeconds)
        timings.add("scan", scanSeconds)
        timings.add("parse", parseSeconds)
        timings.add("tokens", tokenSeconds)
        return Array(zip(names, slots))
    }
}
