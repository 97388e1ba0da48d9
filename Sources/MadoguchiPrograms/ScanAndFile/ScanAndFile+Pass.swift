// ScanAndFile+Pass: what one run does with each scanned window: clean messages are
// filed together in one transaction (one fsync), infected ones quarantined, files
// without a verdict left, unreadable ones (and anything not a regular file of a sane
// size) held. Spool files are handed to the unlinker only after the commit that stored
// their message.
// SECURITY: log lines carry spool file names and row ids, never content.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore

extension ScanAndFile {
    /// The state of one run over the spool. Used from the filing thread only.
    final class Pass {
        let filer: Filer
        let spool: Spool
        let attempts: SpoolAttempts
        let log: Log
        let timings: FilingTimings
        let now: () -> Date
        let tokens: Tokens
        private(set) var counts = ScanAndFileCounts()
        private(set) var reasons: [String] = []
        /// Set at the first failed connection to clamd: the rest of the spool waits.
        private(set) var clamdDown = false
        private let unlinker: Unlinker
        private var reloadedMailboxes = false

        init(
            filer: Filer, spool: Spool, attempts: SpoolAttempts, log: Log, timings: FilingTimings, tokens: Tokens,
            now: @escaping () -> Date
        ) {
            self.filer = filer
            self.attempts = attempts
            self.tokens = tokens
            self.spool = spool
            self.log = log
            self.timings = timings
            self.now = now
            unlinker = Unlinker(directory: spool.incomingDirectory)
        }

        private struct Clean {
            let name: String
            let envelope: SpoolEnvelope
            let message: ParsedMessage
            let tokens: IndexTokens?
        }

        /// Handles one window in spool order; clean messages are filed at the end, together.
        /// - Throws: transient errors (database busy): the run stops and exits 75.
        func handle(_ window: [(name: String, item: Prepared)]) throws {
            var clean: [Clean] = []
            for (name, item) in window {
                switch item {
                case .skipped:
                    counts.waiting += 1
                case .readFailed(let why):
                    counts.waiting += 1
                    log.error("spool file \(Log.escape(name)): \(why); left for the next run")
                    note("spool read failed")
                case .refused(let error):
                    hold(name, because: error)
                case .noVerdict(let error):
                    counts.waiting += 1
                    explain(error, name: name)
                case .scanned(let envelope, let raw, let verdict, let parsed, let made):
                    CrashPoint.reach("after-scan")
                    guard try knows(envelope.mailbox) else {
                        hold(name, reason: FilingError.unknownMailbox(envelope.mailbox).description)
                        continue
                    }
                    switch verdict {
                    case .clean:
                        let message = parsed ?? parseAlone(name, raw)
                        clean.append(Clean(name: name, envelope: envelope, message: message, tokens: made))
                    case .infected(let signature):
                        try quarantine(name, envelope: envelope, raw: raw, signature: signature)
                    }
                }
            }
            try file(clean)
        }

        /// Files clean messages in one transaction; if that fails for a reason other than
        /// a busy database, files them one by one so one bad message blocks no other.
        private func file(_ clean: [Clean]) throws {
            guard !clean.isEmpty else { return }
            let results: [FilingResult]
            do {
                results = try filer.file(parsed: clean.map { ($0.envelope, $0.message, $0.tokens) }, now: now())
            } catch let error as any MadoguchiError where error.isTransient {
                throw error
            } catch {
                guard clean.count == 1 else {
                    for item in clean { try file([item]) }
                    return
                }
                counts.failed += 1
                log.error("spool file \(Log.escape(clean[0].name)): cannot be filed: \(error); left in the spool")
                note("filing failed")
                return
            }
            for (item, result) in zip(clean, results) {
                switch result {
                case .filed(let inquiry, let message):
                    counts.filed += 1
                    log.debug("spool file \(Log.escape(item.name)): filed as message \(message) in inquiry \(inquiry)")
                case .malformed(let inquiry, let message, let reason):
                    counts.filed += 1
                    counts.malformed += 1
                    log.warning(
                        "spool file \(Log.escape(item.name)): malformed (\(reason)); filed as message \(message) "
                            + "in inquiry \(inquiry)")
                case .duplicate:
                    counts.duplicate += 1
                    log.debug("spool file \(Log.escape(item.name)): already filed")
                }
            }
            remove(clean.map(\.name))
        }

        /// Parses a file the scanning lanes left unparsed (its parse killed the program
        /// before), counting the attempt first so a message that kills the parser every
        /// time ends in hold/ after `SpoolAttempts.limit` runs.
        private func parseAlone(_ name: String, _ raw: [UInt8]) -> ParsedMessage {
            do {
                let attempt = try attempts.begin(name)
                log.warning("spool file \(name): parse attempt \(attempt) of \(SpoolAttempts.limit) after a crash")
            } catch {
                log.warning("spool file \(name): cannot count the parse attempt: \(error)")
            }
            CrashPoint.poison(raw)
            let message = timings.measure("parse") { filer.parser.parse(raw) }
            attempts.finish(name)
            return message
        }

        /// Whether mail for `mailbox` may be filed: the mailbox is in the database (reloaded
        /// once per run when a name is not, in case an administrator just added it).
        private func knows(_ mailbox: String) throws -> Bool {
            if tokens.knows(mailbox) { return true }
            guard !reloadedMailboxes else { return false }
            reloadedMailboxes = true
            try tokens.loadMailboxes(from: filer.database)
            return tokens.knows(mailbox)
        }

        private func quarantine(_ name: String, envelope: SpoolEnvelope, raw: [UInt8], signature: String) throws {
            do {
                switch try filer.quarantine(envelope: envelope, raw: raw, virus: signature, now: now()) {
                case .quarantined(let id):
                    counts.quarantined += 1
                    log.info("spool file \(Log.escape(name)): \(signature) found; quarantined as \(id)")
                case .duplicate:
                    counts.duplicate += 1
                    log.debug("spool file \(Log.escape(name)): already quarantined")
                }
            } catch let error as any MadoguchiError where error.isTransient {
                throw error
            } catch {
                counts.failed += 1
                log.error("spool file \(Log.escape(name)): cannot be quarantined: \(error); left in the spool")
                note("quarantine failed")
                return
            }
            remove([name])
        }

        /// Hands committed spool files to the background unlinker.
        private func remove(_ names: [String]) {
            unlinker.remove(names)
        }

        /// Waits for the unlinks of this run and makes them durable (one directory fsync).
        /// - Throws: `SystemError`.
        func finish() throws {
            timings.add("unlink", try unlinker.finish())
        }

        /// Moves a spool file that must not be filed to `hold/`, logging why.
        func hold(_ name: String, reason: String) {
            do {
                try spool.hold(name)
                counts.held += 1
                log.error("spool file \(Log.escape(name)): \(reason); moved to hold/")
                note("held spool files")
            } catch {
                counts.waiting += 1
                log.error("spool file \(Log.escape(name)): \(reason); not moved to hold/: \(error)")
            }
        }

        /// Moves a file the reader refused to `hold/`; the log line and the job run say why.
        private func hold(_ name: String, because reason: SpoolError) {
            do {
                try spool.hold(name)
                counts.held += 1
                switch reason {
                case .unreadable:
                    log.error("spool file \(Log.escape(name)) cannot be opened with the spool key; moved to hold/")
                    note("held unreadable spool files")
                case .notRegularFile:
                    log.error("\(reason); moved to hold/ unread")
                    note("held spool entries that are not regular files")
                case .tooLarge:
                    log.error("\(reason); moved to hold/ unread")
                    note("held oversize spool files")
                }
            } catch {
                counts.waiting += 1
                log.error("\(reason); not moved to hold/: \(error)")
            }
        }

        /// Logs why clamd gave no verdict, with what an administrator should do.
        private func explain(_ error: ScanError, name: String) {
            switch error {
            case .network(.connectFailed):
                if !clamdDown { log.error("\(error); leaving the spool for the next run") }
                clamdDown = true
                note("clamd unreachable")
            case .streamTooLarge(let size, let limit):
                log.error(
                    "spool file \(Log.escape(name)): message of \(size) bytes is larger than clamd_max_stream_size "
                        + "(\(limit) bytes); it waits until an administrator raises clamd's StreamMaxLength and "
                        + "clamd_max_stream_size")
                note("message beyond clamd_max_stream_size")
            case .sizeLimitExceeded:
                log.error("spool file \(Log.escape(name)): \(error); raise StreamMaxLength in clamd.conf")
                note("clamd StreamMaxLength too small")
            default:
                log.error("spool file \(Log.escape(name)): \(error); left for the next run")
                note("clamd gave no verdict")
            }
        }

        private func note(_ reason: String) {
            if !reasons.contains(reason) { reasons.append(reason) }
        }
    }
}
