// FetchState: what fetch-forwarded-mail has taken from one mailbox (IMAP
// UIDVALIDITY + UIDs, or POP3 UIDLs), with the time taken. Written durably after each
// message is spooled and before anything is deleted on the server, so a crash at any
// step gives at most a re-fetch, never a loss.

import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiMail

/// The per-mailbox record of taken messages.
public struct FetchState: Sendable, Equatable {
    /// IMAP UIDVALIDITY the UIDs belong to ("" for POP3).
    public private(set) var validity: String
    /// Unix seconds each remote id was spooled, by remote id.
    public private(set) var taken: [String: Int64]

    /// An empty state.
    public init(validity: String = "", taken: [String: Int64] = [:]) {
        self.validity = validity
        self.taken = taken
    }

    /// The state file of a mailbox.
    public static func path(directory: String, mailbox: String) -> String {
        directory + "/" + mailbox + ".state"
    }

    /// Loads a mailbox's state; a missing file is an empty state.
    /// - Throws: `SystemError` for I/O, `MailboxConfigError.damagedState` for a bad file.
    public static func load(directory: String, mailbox: String) throws -> FetchState {
        let file = path(directory: directory, mailbox: mailbox)
        let bytes: [UInt8]
        do {
            bytes = try DurableFile.read(file, limit: 64 << 20)
        } catch let error as SystemError where error.code == ENOENT {
            return FetchState()
        }
        var state = FetchState()
        for (index, line) in bytes.split(separator: 0x0A).enumerated() {
            let fields = line.split(separator: 0x09, omittingEmptySubsequences: false).map {
                String(decoding: $0, as: UTF8.self)
            }
            if index == 0 {
                guard fields.count == 2, fields[0] == "validity" else {
                    throw MailboxConfigError.damagedState(path: file)
                }
                state.validity = fields[1]
                continue
            }
            guard fields.count == 2, let when = Int64(fields[1]), !fields[0].isEmpty else {
                throw MailboxConfigError.damagedState(path: file)
            }
            state.taken[fields[0]] = when
        }
        return state
    }

    /// Writes the state durably (tmp, fsync, rename).
    /// - Throws: `SystemError`.
    public func save(directory: String, mailbox: String) throws {
        var text = "validity\t\(validity)\n"
        for (uid, when) in taken.sorted(by: { $0.key < $1.key }) { text += "\(uid)\t\(when)\n" }
        try DurableFile.write(
            Array(text.utf8), to: FetchState.path(directory: directory, mailbox: mailbox), replace: true)
    }

    /// Starts over for a new UIDVALIDITY: every UID is new. Messages fetched again
    /// keep their content-based intake id, so scan-and-file files nothing twice.
    public mutating func reset(validity: String) {
        self.validity = validity
        taken = [:]
    }

    /// Records a spooled message.
    public mutating func markTaken(_ uid: String, at time: Int64) {
        taken[uid] = time
    }

    /// Forgets ids no longer on the server.
    public mutating func prune(keeping present: Set<String>) {
        taken = taken.filter { present.contains($0.key) }
    }
}
