// SendReplies: the body of send-replies(8) (cron, every minute, user madoguchi): hands
// every reply whose undo window has passed to the relay over ONE SMTP connection, many
// messages in a row, and records each outcome.
//
// Exactly once, across kills (send-replies(8) DELIVERY, SendRepliesCrashTests):
// - a killed run's leftovers are reconciled first (`Outbox.reconcile`): a reply whose
//   final dot was never sent is queued again, one whose dot may have gone out becomes
//   `unconfirmed` and is never resent on its own;
// - for each reply, `begin` + `attempting` commit right before the terminating dot of
//   DATA (SMTPSession's `beforeFinalDot`): until then the relay cannot have accepted it,
//   after it a crash leaves it `unconfirmed` (never sent twice);
// - the relay's 250 is committed (`sent`) at once, so only a crash between the pre-dot
//   record and that commit leaves a reply unconfirmed. It counts as recorded only once
//   the transaction commits: when the write fails, the 250 stays pending and is recorded
//   with the next write or on its own before the run ends (SendRepliesTests).
// 4xx answers and connection failures queue the reply again with back-off; 5xx marks it
// failed with the relay's answer; a reply that cannot be composed fails with the reason.
// SECURITY: prints nothing on success; the relay's password comes only from
// `smtp_credentials_file` and never reaches a log or an error.

import Foundation
import MadoguchiCore
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore

/// The send-replies program.
public struct SendReplies {
    /// The program name (job_runs, log tag, lock file).
    public static let program = "send-replies"

    /// The program's description (usage equals the man page SYNOPSIS).
    public static let tool = ToolDescription(name: program, usage: ["send-replies [-nv] [--config file]"])

    /// Replies fetched from the outbox per database round.
    static let batch = 100

    /// The counts of one run.
    public struct Counts: Sendable, Equatable {
        /// Replies the relay accepted.
        public var sent = 0
        /// Replies queued again for a later attempt (4xx, connection failures).
        public var retried = 0
        /// Replies the relay refused for good (5xx) or that could not be composed.
        public var failed = 0
        /// Replies a killed run left unconfirmed, found by this run.
        public var unconfirmed = 0
        /// Replies a killed run left before their final dot, queued again.
        public var requeued = 0

        /// As `job_runs` counts.
        var dictionary: [String: Int64] {
            [
                "sent": Int64(sent), "retried": Int64(retried), "failed": Int64(failed),
                "unconfirmed": Int64(unconfirmed), "requeued": Int64(requeued),
            ]
        }
    }

    let configuration: Configuration
    let log: Log

    /// A run over `configuration`.
    public init(configuration: Configuration, log: Log) {
        self.configuration = configuration
        self.log = log
    }

    /// Runs send-replies under `ToolMain` and exits.
    public static func main() -> Never {
        ToolMain.run(tool) { context in
            guard context.arguments.operands.isEmpty else { throw UsageError("unexpected arguments") }
            let run = SendReplies(configuration: context.configuration, log: context.log)
            let (exit, counts) = try run.run()
            context.log.debug(
                "sent \(counts.sent), retried \(counts.retried), failed \(counts.failed), unconfirmed \(counts.unconfirmed)"
            )
            return exit
        }
    }

    /// One run: reconcile, then send everything due.
    /// - Parameter clock: Unix time, read anew for each reply.
    /// - Returns: the exit status (0, or 75 when the relay could not be reached and
    ///   replies wait for the next run) and the counts.
    /// - Throws: start-up errors (configuration, keys, database; busy is transient) and
    ///   relay configuration errors, after recording the run.
    public func run(clock: () -> Int64 = { JobRun.now() }) throws -> (SysExit, Counts) {
        let instance = try InstanceDatabase.open(configuration: configuration)
        let database = instance.database
        let job = try JobRun.start(program: Self.program, connection: database.connection, now: clock())
        var counts = Counts()
        do {
            let outbox = Outbox(keys: instance.keys, configuration: Replies.Configuration(configuration))
            let leftovers = try database.write { try outbox.reconcile(now: clock(), in: $0) }
            counts.requeued = leftovers.requeued.count
            counts.unconfirmed = leftovers.unconfirmed.count
            let exit = try send(outbox: outbox, database: database, clock: clock, counts: &counts)
            try job.finish(exit: exit, counts: counts.dictionary, now: clock())
            return (exit, counts)
        } catch {
            let exit: SysExit = (error as? any MadoguchiError)?.exitCode ?? .software
            try? job.finish(
                exit: exit == .ok ? .software : exit, counts: counts.dictionary, message: "\(error)", now: clock())
            throw error
        }
    }

    /// Sends every due reply; opens the relay connection only when there is one.
    private func send(outbox: Outbox, database: Database, clock: () -> Int64, counts: inout Counts) throws
        -> SysExit
    {
        var session: SMTPSession?
        defer { session?.quit() }
        // The accepted reply whose `sent` is still to be committed (with the next record).
        var accepted: (reply: Int64, answer: String, raw: [UInt8])?
        var sent = 0
        defer { counts.sent += sent }
        /// One write transaction that first records the pending 250. The 250 counts as
        /// recorded only once the transaction has committed: when `body` (or the commit)
        /// fails, it stays pending for the next write or the final one below.
        func write(_ body: (DatabaseTransaction) throws -> Void) throws {
            let pending = accepted
            try database.write { tx in
                if let pending {
                    try outbox.sent(
                        reply: pending.reply, relayAnswer: pending.answer, raw: pending.raw, now: clock(), in: tx)
                }
                try body(tx)
            }
            if pending != nil {
                accepted = nil
                sent += 1
            }
        }
        defer {
            // Whatever happens below, a 250 the relay gave is recorded.
            if accepted != nil {
                do { try write { _ in } } catch {
                    log.error("could not record a sent reply: \(error)")
                }
            }
        }
        // For -v: the time spent talking to the relay, the rest is the database and composing.
        let clockStart = ContinuousClock.now
        var relayTime = Duration.zero
        defer {
            log.debug("relay \(relayTime), database and composing \(ContinuousClock.now - clockStart - relayTime)")
        }
        var seen = Set<Int64>()
        while true {
            var due: [OutboxItem] = []
            try write { tx in due = try outbox.due(now: clock(), limit: Self.batch, in: tx) }
            due.removeAll { seen.contains($0.replyID) }
            if due.isEmpty { return .ok }
            let relay = try SendReplies.relay(configuration, waiting: due.count)
            for (index, item) in due.enumerated() {
                seen.insert(item.replyID)
                let composed: ComposedMessage
                do {
                    composed = try Self.compose(item, configuration: configuration)
                } catch {
                    try write { tx in
                        try outbox.begin(reply: item.replyID, now: clock(), in: tx)
                        try outbox.failed(
                            reply: item.replyID, relayAnswer: "not sent: \(error)", now: clock(), in: tx)
                    }
                    counts.failed += 1
                    log.warning("reply \(item.replyID) could not be composed: \(error)")
                    continue
                }
                if session == nil {
                    let opening = ContinuousClock.now
                    defer { relayTime += ContinuousClock.now - opening }
                    do {
                        session = try SMTPSession.open(relay: relay, limits: limits, log: log)
                    } catch {
                        // The relay is unreachable or refuses us: every due reply waits
                        // with back-off; 75 unless it is our configuration.
                        try write { tx in
                            try retryAll(
                                due[index...], error: error, outbox: outbox, now: clock(), counts: &counts, in: tx)
                        }
                        log.error("\(relay): \(error)")
                        return error.isTransient ? .tempFail : error.exitCode
                    }
                }
                guard let open = session else { continue }
                // The previous reply's 250 is not committed yet; this one is still queued.
                CrashPoint.reach("before-data")
                let sending = ContinuousClock.now
                var recording = Duration.zero
                defer { relayTime += ContinuousClock.now - sending - recording }
                do {
                    let reply = try open.send(
                        envelopeFrom: composed.envelopeFrom, recipients: composed.recipients, data: composed.bytes
                    ) {
                        let start = ContinuousClock.now
                        defer { recording = ContinuousClock.now - start }
                        try write { tx in
                            try outbox.begin(reply: item.replyID, now: clock(), in: tx)
                            try outbox.attempting(reply: item.replyID, now: clock(), in: tx)
                        }
                        CrashPoint.reach("before-final-dot")
                    }
                    CrashPoint.reach("after-accepted")
                    accepted = (item.replyID, reply.reply.description, composed.bytes)
                    // Committed at once: only a crash inside [pre-dot record, this commit]
                    // leaves a reply unconfirmed.
                    let committing = ContinuousClock.now
                    try write { _ in }
                    recording += ContinuousClock.now - committing
                } catch let error as SMTPError {
                    try write { tx in
                        try record(error, item: item, outbox: outbox, now: clock(), counts: &counts, in: tx)
                    }
                    log.warning("reply \(item.replyID): \(error)")
                    if !open.isUsable {
                        open.quit()
                        session = nil
                    }
                }
            }
        }
    }

    /// What one failed send means for its reply, in the caller's transaction.
    private func record(
        _ error: SMTPError, item: OutboxItem, outbox: Outbox, now: Int64, counts: inout Counts,
        in tx: DatabaseTransaction
    ) throws {
        let state = try tx.rows("SELECT state FROM replies WHERE id = ?", [.integer(item.replyID)]).first?.string(
            "state")
        if error.mayHaveBeenAccepted {
            // The dot went out and no answer came: never resend on our own.
            try outbox.unconfirmed(reply: item.replyID, reason: error.description, now: now, in: tx)
            counts.unconfirmed += 1
        } else if error.refusesMessage {
            if state == "queued" { try outbox.begin(reply: item.replyID, now: now, in: tx) }
            try outbox.failed(reply: item.replyID, relayAnswer: error.description, now: now, in: tx)
            counts.failed += 1
        } else if try outbox.retry(reply: item.replyID, error: error.description, now: now, in: tx) == .failed {
            counts.failed += 1
        } else {
            counts.retried += 1
        }
    }

    /// Every reply of `due` waits for the next attempt, in the caller's transaction.
    private func retryAll(
        _ due: ArraySlice<OutboxItem>, error: SMTPError, outbox: Outbox, now: Int64, counts: inout Counts,
        in tx: DatabaseTransaction
    ) throws {
        for waiting in due {
            if try outbox.retry(reply: waiting.replyID, error: error.description, now: now, in: tx) == .failed {
                counts.failed += 1
            } else {
                counts.retried += 1
            }
        }
    }

    /// The SMTP limits from the configuration.
    var limits: SMTPLimits {
        let timeout = min(600, max(1, configuration[.smtpTimeout]))
        return SMTPLimits(connectTimeout: timeout, readTimeout: timeout, sessionTimeout: max(600, timeout * 10))
    }

    /// The reply as the bytes of SMTP DATA.
    static func compose(_ item: OutboxItem, configuration: Configuration) throws -> ComposedMessage {
        let message = OutgoingMessage(
            from: try OutgoingAddress(item.fromAddress, displayName: item.fromName),
            to: try OutgoingAddress(item.recipient), subject: item.subject, text: item.body,
            charset: item.charset == "iso-2022-jp" ? .iso2022JP : .utf8, messageID: item.messageID,
            inReplyTo: item.inReplyTo, references: item.references,
            date: Date(timeIntervalSince1970: Double(item.date)),
            timeZone: TimeZone(identifier: configuration[.webTimeZone]) ?? TimeZone(secondsFromGMT: 0)!,
            attachments: item.attachments.map {
                OutgoingAttachment(
                    filename: $0.filename ?? "attachment.bin", contentType: $0.contentType, data: $0.data)
            })
        return try MessageComposer.compose(message)
    }
}
