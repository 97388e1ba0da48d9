// FetchStatus: the small status file fetch-forwarded-mail writes after each run
// (`fetch_state_directory/status.json`), because it cannot write `job_runs`: start,
// end, outcome, counts and per-mailbox errors. SECURITY: error texts are escaped
// and password-free (FetchRun cuts the password out); no credential is stored.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiMail

/// The record of the last fetch run.
public struct FetchStatus: Sendable, Decodable, Equatable {
    /// One mailbox's line in the status file.
    public struct Mailbox: Sendable, Decodable, Equatable {
        /// The mailbox name.
        public var name: String
        /// Messages spooled.
        public var spooled: Int
        /// Messages deleted on the server.
        public var deleted: Int
        /// Messages left on the server for being too large.
        public var oversize: Int
        /// Messages held on the server for a per-message problem.
        public var held: Int
        /// The failure, or nil.
        public var error: String?
        /// The exit status of this mailbox.
        public var exit: Int32
    }

    /// Run start, ISO 8601 UTC.
    public var start: String
    /// Run end, ISO 8601 UTC.
    public var end: String
    /// `ok`, `tempfail` or `failed`.
    public var outcome: String
    /// The program's exit status.
    public var exit: Int32
    /// Messages spooled in all mailboxes.
    public var spooled: Int
    /// Messages deleted in all mailboxes.
    public var deleted: Int
    /// Oversized messages left on servers.
    public var oversize: Int
    /// Per-mailbox results.
    public var mailboxes: [Mailbox]
    /// Why the whole run failed before fetching (bad accounts file, missing key), or nil.
    public var error: String?

    /// The file name under `fetch_state_directory`.
    public static let fileName = "status.json"

    /// Builds the record of a finished run, or of one that failed as a whole with `error`.
    public init(summary: FetchSummary, start: Date, end: Date, error: (any Error)? = nil) {
        let formatter = ISO8601DateFormatter()
        self.start = formatter.string(from: start)
        self.end = formatter.string(from: end)
        let code = error.map(exitCode(for:)) ?? summary.exitCode
        self.error = error.map { Log.escape("\($0)") }
        outcome = code == .ok ? "ok" : code == .tempFail ? "tempfail" : "failed"
        exit = code.rawValue
        spooled = summary.spooled
        deleted = summary.deleted
        oversize = summary.oversize
        mailboxes = summary.mailboxes.map {
            Mailbox(
                name: $0.mailbox, spooled: $0.spooled, deleted: $0.deleted, oversize: $0.oversize, held: $0.held,
                error: $0.error, exit: $0.exitCode.rawValue)
        }
    }

    /// Writes the file durably (mode 0640).
    /// - Throws: `SystemError`.
    public func save(directory: String) throws {
        try DurableFile.write(json, to: directory + "/" + Self.fileName, mode: 0o640, replace: true)
    }

    /// The file's text: one JSON object (keys sorted, an absent error as `null`) and a newline.
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
            json.raw(",\"error\":")
            json.string(mailbox.error)
            json.raw(",\"exit\":")
            json.integer(Int(mailbox.exit))
            json.raw(",\"held\":")
            json.integer(mailbox.held)
            json.raw(",\"name\":")
            json.string(mailbox.name)
            json.raw(",\"oversize\":")
            json.integer(mailbox.oversize)
            json.raw(",\"spooled\":")
            json.integer(mailbox.spooled)
            json.raw("}")
        }
        json.raw("],\"outcome\":")
        json.string(outcome)
        json.raw(",\"oversize\":")
        json.integer(oversize)
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
