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
///
/// Threads and what each owns:
/// - The calling thread (the filing thread) owns this object, the `Pass`, the Filer and
///   its database connection: it splits the spool into windows, submits them to the
///   `ScanLanes`, waits for each in spool order and files it in one write transaction.
/// - Up to `clamd_concurrency` scanning lanes (`ScanLanes`, at most
///   `maximumScanConcurrency`) each take one spool file at a time: read and open it,
///   scan it over a clamd connection of its own, parse it and make its search tokens
///   with a SearchIndex borrowed from `Tokens`. A lane writes only its file's slot of the
///   `PreparedWindow` (a `Mutex`) and may set `ClamdUnreachable` (an `Atomic`).
/// - The `Unlinker`'s serial queue owns the unlinks of committed spool files; the
///   filing thread reads their outcome in `finish` after waiting for the queue.
///
/// The lanes exist because of a measurement (Tests/Benchmarks/scan-and-file.sh with
/// clamd_concurrency 1 and 4): scanning one file at a time spent most of the run
/// waiting for clamd's replies (about 200 messages/s on two cores), and overlapping
/// four clamd round trips while filing stays sequential about doubled that. Filing
/// itself stays on one thread, in spool order; see scan-and-file(8).
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
        let wanted = scanConcurrency ?? Int(clamping: configuration[.clamdConcurrency])
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
            privateKeyPath: configuration[.keyDirectory] + "/" + SpoolKeyPair.fileName)
        let job = try JobRun.start(program: ScanAndFile.program, connection: instance.database.connection)
        var counts = ScanAndFileCounts()
        var reasons: [String] = []
        do {
            let filer = Filer(
                database: instance.database, keys: instance.keys, log: log, limits: MailLimits(configuration),
                quarantineDays: configuration[.quarantineDays], timings: timings)
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
    /// scanned by the `ScanLanes`.
    private func process(
        filer: Filer, keyPair: SpoolKeyPair, counts: inout ScanAndFileCounts, reasons: inout [String],
        now: @escaping () -> Date
    ) throws {
        let spool = Spool(directory: configuration[.spoolDirectory])
        let clamd = ClamdClient(configuration)
        let messageLimit = Int(clamping: configuration[.mailMaxMessageSize])
        // No message larger than mail_max_message_size is ever spooled (the fetcher and
        // enqueue refuse them), so a larger sealed file is not ours (S1).
        let readLimit = Spool.sealedSizeLimit(messageLimit: messageLimit)
        let attempts = SpoolAttempts(spool: spool)
        try attempts.create()
        var names = try spool.pending()
        attempts.prune(keeping: Set(names))
        let tokens = Tokens(keys: filer.keys)
        try tokens.loadMailboxes(from: filer.database)
        let pass = Pass(
            filer: filer, spool: spool, attempts: attempts, log: log, timings: timings, tokens: tokens, now: now)
        // A file whose parse killed the program `SpoolAttempts.limit` times goes to hold/;
        // one that killed it at least once is parsed alone on this thread (see Pass.handle).
        names.removeAll { name in
            guard attempts.count(name) >= SpoolAttempts.limit else { return false }
            pass.hold(
                name,
                reason: "scan-and-file died \(SpoolAttempts.limit) times while parsing it (a message that crashes "
                    + "the parser?)")
            attempts.finish(name)
            return true
        }
        var windows = ScanAndFile.windows(names, in: spool.incomingDirectory)[...]
        defer {
            counts = pass.counts
            reasons = pass.reasons
        }
        let scanner = ScanLanes(
            lanes: scanConcurrency,
            work: ScanAndFile.prepare(
                spool: spool, keyPair: keyPair, clamd: clamd, parser: filer.parser, tokens: tokens,
                attempts: attempts, readLimit: readLimit))
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
        attempts: SpoolAttempts, readLimit: Int
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
            // Only clean mail is parsed here: infected mail is parsed by the quarantine, and
            // a file whose parse once killed the program by the filing thread, alone.
            let name = window.names[index]
            let parseStart = Monotonic.now()
            var parsed: ParsedMessage?
            var made: IndexTokens?
            var tokenStart = parseStart
            if verdict == .clean && attempts.count(name) == 0 {
                do {
                    try attempts.begin(name)
                } catch {
                    // Parsed anyway: the count only guards against a message that kills the parser.
                }
                CrashPoint.poison(opened.1)
                parsed = parser.parse(opened.1)
                tokenStart = Monotonic.now()
                do {
                    made = try parsed.flatMap { try tokens.make(for: $0, mailbox: opened.0.mailbox) }
                } catch {
                    // Not lost: the filer makes the tokens again in its transaction and fails there.
                    made = nil
                }
                attempts.finish(name)
            }
            window.set(
                index, .scanned(opened.0, opened.1, verdict, parsed, made), read: scanStart - readStart,
                scan: parseStart - scanStart, parse: tokenStart - parseStart, tokens: Monotonic.now() - tokenStart)
        }
    }
}
