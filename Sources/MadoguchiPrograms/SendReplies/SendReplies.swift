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
// - the relay's 250 is committed (`sent`) together with the next reply's pre-dot record,
//   one fsync per message; the last one on its own.
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
        func commitAccepted(_ tx: DatabaseTransaction, now: Int64) throws {
            guard let done = accepted else { return }
            try outbox.sent(reply: done.reply, relayAnswer: done.answer, raw: done.raw, now: now, in: tx)
            accepted = nil
            sent += 1
        }
        defer {
            // Whatever happens below, a 250 the relay gave is recorded.
            if accepted != nil {
                do { try database.write { try commitAccepted($0, now: clock()) } } catch {
                    log.error("could not record a sent reply: \(error)")
                }
            }
        }
        var seen = Set<Int64>()
        while true {
            let due = try database.write { tx in
                try commitAccepted(tx, now: clock())
                return try outbox.due(now: clock(), limit: Self.batch, in: tx)
            }.filter { !seen.contains($0.replyID) }
            if due.isEmpty { return .ok }
            let relay = try SendReplies.relay(configuration, waiting: due.count)
            for (index, item) in due.enumerated() {
                seen.insert(item.replyID)
                let composed: ComposedMessage
                do {
                    composed = try Self.compose(item, configuration: configuration)
                } catch {
                    try database.write { tx in
                        try commitAccepted(tx, now: clock())
                        try outbox.begin(reply: item.replyID, now: clock(), in: tx)
                        try outbox.failed(
                            reply: item.replyID, relayAnswer: "not sent: \(error)", now: clock(), in: tx)
                    }
                    counts.failed += 1
                    log.warning("reply \(item.replyID) could not be composed: \(error)")
                    continue
                }
                if session == nil {
                    do {
                        session = try SMTPSession.open(relay: relay, limits: limits, log: log)
                    } catch {
                        // The relay is unreachable or refuses us: every due reply waits
                        // with back-off; 75 unless it is our configuration.
                        try retryAll(
                            due[index...], error: error, outbox: outbox, database: database, clock: clock,
                            counts: &counts, commit: commitAccepted)
                        log.error("\(relay): \(error)")
                        return error.isTransient ? .tempFail : error.exitCode
                    }
                }
                guard let open = session else { continue }
                do {
                    let reply = try open.send(
                        envelopeFrom: composed.envelopeFrom, recipients: composed.recipients, data: composed.bytes
                    ) {
                        try database.write { tx in
                            try commitAccepted(tx, now: clock())
                            try outbox.begin(reply: item.replyID, now: clock(), in: tx)
                            try outbox.attempting(reply: item.replyID, now: clock(), in: tx)
                        }
                        CrashPoint.reach("before-final-dot")
                    }
                    CrashPoint.reach("after-accepted")
                    accepted = (item.replyID, reply.reply.description, composed.bytes)
                } catch let error as SMTPError {
                    try record(
                        error, item: item, outbox: outbox, database: database, clock: clock, counts: &counts,
                        commit: commitAccepted)
                    if !open.isUsable {
                        open.quit()
                        session = nil
                    }
                }
            }
        }
    }

    /// What one failed send means for its reply.
    private func record(
        _ error: SMTPError, item: OutboxItem, outbox: Outbox, database: Database, clock: () -> Int64,
        counts: inout Counts, commit: (DatabaseTransaction, Int64) throws -> Void
    ) throws {
        try database.write { tx in
            try commit(tx, clock())
            let state = try tx.rows("SELECT state FROM replies WHERE id = ?", [.integer(item.replyID)]).first?.string(
                "state")
            if error.mayHaveBeenAccepted {
                // The dot went out and no answer came: never resend on our own.
                try outbox.unconfirmed(reply: item.replyID, reason: error.description, now: clock(), in: tx)
                counts.unconfirmed += 1
            } else if error.refusesMessage {
                if state == "queued" { try outbox.begin(reply: item.replyID, now: clock(), in: tx) }
                try outbox.failed(reply: item.replyID, relayAnswer: error.description, now: clock(), in: tx)
                counts.failed += 1
            } else {
                if try outbox.retry(reply: item.replyID, error: error.description, now: clock(), in: tx) == .failed {
                    counts.failed += 1
                } else {
                    counts.retried += 1
                }
            }
        }
        log.warning("reply \(item.replyID): \(error)")
    }

    /// Every reply of `due` waits for the next attempt.
    private func retryAll(
        _ due: ArraySlice<OutboxItem>, error: SMTPError, outbox: Outbox, database: Database,
        clock: () -> Int64, counts: inout Counts, commit: (DatabaseTransaction, Int64) throws -> Void
    ) throws {
        try database.write { tx in
            try commit(tx, clock())
            for waiting in due {
                if try outbox.retry(reply: waiting.replyID, error: error.description, now: clock(), in: tx) == .failed {
                    counts.failed += 1
                } else {
                    counts.retried += 1
                }
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
