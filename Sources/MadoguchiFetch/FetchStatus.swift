// FetchStatus: the small status file fetch-forwarded-mail writes after each run
// (`fetch_state_directory/status.json`), because it cannot write `job_runs`: the last
// run (start, end, outcome, counts, a failure of the whole run) and, per mailbox, its
// own last result and time, kept across runs that fetch only some mailboxes
// (`--mailbox`). SECURITY: error texts are escaped and password-free (FetchRun cuts
// the password out); no credential is stored.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiMail

/// The record of the last fetch run and of each mailbox's last result.
public struct FetchStatus: Sendable, Decodable, Equatable {
    /// One mailbox's last result.
    public struct Mailbox: Sendable, Decodable, Equatable {
        /// The mailbox name.
        public var name: String
        /// Start of the run that fetched it, ISO 8601 UTC.
        public var start: String
        /// End of that run, ISO 8601 UTC.
        public var end: String
        /// `ok`, `warning` (fetched, but see `warnings`), `tempfail` or `failed`.
        public var outcome: String
        /// The exit status of this mailbox (65 for a message held on the server).
        public var exit: Int32
        /// Messages spooled.
        public var spooled: Int
        /// Messages deleted on the server.
        public var deleted: Int
        /// Messages left on the server for being too large.
        public var oversize: Int
        /// Messages held on the server for a per-message problem.
        public var held: Int
        /// Messages stored but not yet deleted on the server (B10).
        public var undeleted: Int
        /// What needs attention although the mailbox was fetched.
        public var warnings: [String]
        /// The failure, or nil.
        public var error: String?
    }

    /// Run start, ISO 8601 UTC.
    public var start: String
    /// Run end, ISO 8601 UTC.
    public var end: String
    /// `ok`, `warning` (every mailbox fetched, some with warnings, even when the exit
    /// status is 0 as for an allowed `tls = none`), `tempfail` or `failed`.
    public var outcome: String
    /// The program's exit status.
    public var exit: Int32
    /// The mailbox named by `--mailbox`, or nil when the run was for all of them.
    public var scope: String?
    /// Messages spooled in this run.
    public var spooled: Int
    /// Messages deleted in this run.
    public var deleted: Int
    /// Oversized messages left on servers in this run.
    public var oversize: Int
    /// Each mailbox's last result: those of this run, and those of earlier runs for
    /// mailboxes this run did not fetch.
    public var mailboxes: [Mailbox]
    /// Why the whole run failed before fetching (bad accounts file, missing key), or nil.
    public var error: String?

    /// The file name under `fetch_state_directory`.
    public static let fileName = "status.json"

    /// Builds the record of a finished run, or of one that failed as a whole with `error`.
    /// - Parameters:
    ///   - summary: the run's per-mailbox results.
    ///   - start: when the run started.
    ///   - end: when it ended.
    ///   - error: the failure of the whole run, or nil.
    ///   - scope: the `--mailbox` name, or nil for a run over all mailboxes.
    public init(summary: FetchSummary, start: Date, end: Date, error: (any Error)? = nil, scope: String? = nil) {
        let formatter = ISO8601DateFormatter()
        self.start = formatter.string(from: start)
        self.end = formatter.string(from: end)
        self.scope = scope
        let code = error.map(exitCode(for:)) ?? summary.exitCode
        self.error = error.map { Log.escape("\($0)") }
        let onlyWarnings = error == nil && summary.failedMailboxes == 0
        let warned = summary.mailboxes.contains { !$0.warnings.isEmpty }
        outcome =
            code == .ok
            ? (warned && error == nil ? "warning" : "ok")
            : onlyWarnings ? "warning" : code == .tempFail ? "tempfail" : "failed"
        exit = code.rawValue
        spooled = summary.spooled
        deleted = summary.deleted
        oversize = summary.oversize
        let (startText, endText) = (self.start, self.end)
        mailboxes = summary.mailboxes.map {
            Mailbox(
                name: $0.mailbox, start: startText, end: endText, outcome: $0.outcome, exit: $0.exitCode.rawValue,
                spooled: $0.spooled, deleted: $0.deleted, oversize: $0.oversize, held: $0.held,
                undeleted: $0.undeleted, warnings: $0.warnings, error: $0.error)
        }
    }

    /// This run's record with the last results of the mailboxes it did not fetch
    /// carried over from `previous`.
    /// - Parameters:
    ///   - previous: the file as the last run left it, or nil.
    ///   - accounts: the configured mailbox names (entries of removed mailboxes are
    ///     dropped), or nil when the accounts file could not be read.
    /// - Returns: the merged record.
    public func merged(with previous: FetchStatus?, accounts: [String]?) -> FetchStatus {
        guard let previous else { return self }
        var result = self
        let fetched = Set(mailboxes.map(\.name))
        let kept = previous.mailboxes.filter { entry in
            !fetched.contains(entry.name) && (accounts.map { $0.contains(entry.name) } ?? true)
        }
        result.mailboxes += kept
        if let accounts {
            let order = Dictionary(accounts.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            result.mailboxes.sort { (order[$0.name] ?? Int.max) < (order[$1.name] ?? Int.max) }
        }
        return result
    }

    /// One mailbox's last result as `madoguchi mailbox list` shows it.
    public struct LastResult: Sendable, Equatable {
        /// When, ISO 8601 UTC.
        public var end: String
        /// `ok`, `warning`, `tempfail` or `failed`.
        public var outcome: String
        /// The exit status it maps to.
        public var exit: Int32
        /// One line: `ok`, `warning: …` with the warnings, or the error.
        public var text: String
        /// The warnings alone.
        public var warnings: [String]
    }

    /// The last result of one mailbox: its own entry, or the failure of a later run
    /// that failed as a whole before reaching it; nil when it was never fetched.
    public func lastResult(of mailbox: String) -> LastResult? {
        let entry = mailboxes.first { $0.name == mailbox }
        if let error, scope == nil || scope == mailbox, entry.map({ $0.end <= end }) ?? true {
            return LastResult(end: end, outcome: outcome, exit: exit, text: error, warnings: [])
        }
        guard let entry else { return nil }
        let text =
            entry.error ?? (entry.warnings.isEmpty ? "ok" : "warning: " + entry.warnings.joined(separator: "; "))
        return LastResult(
            end: entry.end, outcome: entry.outcome, exit: entry.exit, text: text, warnings: entry.warnings)
    }

    /// Writes the file durably (mode 0640).
    /// - Throws: `SystemError`.
    public func save(directory: String) throws {
        try DurableFile.write(json, to: directory + "/" + Self.fileName, mode: 0o640, replace: true)
    }

    /// The file's text: one JSON object (keys sorted, an absent value as `null`) and a newline.
    public var json: [UInt8] {
        var json = JSONOutput()
        json.raw("{\"deleted\":")
        json.integer(deleted)
        json.raw(",\"end\":")
        json.string(end)
        json.raw(",\"error\":")
        json.string(error)
        json.raw(",\"exit\":")
        json.integer(Int(exit))
        json.raw(",\"mailboxes\":[")
        for (index, mailbox) in mailboxes.enumerated() {
            if index > 0 { json.raw(",") }
            json.raw("{\"deleted\":")
            json.integer(mailbox.deleted)
            json.raw(",\"end\":")
            json.string(mailbox.end)
            json.raw(",\"error\":")
            json.string(mailbox.error)
            json.raw(",\"exit\":")
            json.integer(Int(mailbox.exit))
            json.raw(",\"held\":")
            json.integer(mailbox.held)
            json.raw(",\"name\":")
            json.string(mailbox.name)
            json.raw(",\"outcome\":")
            json.string(mailbox.outcome)
            json.raw(",\"oversize\":")
            json.integer(mailbox.oversize)
            json.raw(",\"spooled\":")
            json.integer(mailbox.spooled)
            json.raw(",\"start\":")
            json.string(mailbox.start)
            json.raw(",\"undeleted\":")
            json.integer(mailbox.undeleted)
            json.raw(",\"warnings\":")
            json.strings(mailbox.warnings)
            json.raw("}")
        }
        json.raw("],\"outcome\":")
        json.string(outcome)
        json.raw(",\"oversize\":")
        json.integer(oversize)
        json.raw(",\"scope\":")
        json.string(scope)
        json.raw(",\"spooled\":")
        json.integer(spooled)
        json.raw(",\"start\":")
        json.string(start)
        json.raw("}\n")
        return json.bytes
    }

    /// Reads the last run's record; nil when there is none yet.
    /// - Throws: `SystemError` for I/O, `MailboxConfigError.damagedState` for a bad file.
    public static func load(directory: String) throws -> FetchStatus? {
        let path = directory + "/" + fileName
        let bytes: [UInt8]
        do {
            bytes = try DurableFile.read(path, limit: 16 << 20)
        } catch let error as SystemError where error.code == ENOENT {
            return nil
        }
        do {
            return try JSONDecoder().decode(FetchStatus.self, from: Data(bytes))
        } catch {
            throw MailboxConfigError.damagedState(path: path)
        }
    }
}
