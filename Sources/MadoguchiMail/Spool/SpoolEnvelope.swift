// SpoolEnvelope: what travels with a message through the sealed spool: its stable
// intake id, the mailbox it came from and where on the server it was.
// SECURITY: sealed together with the message; nothing here is written in clear.

import MadoguchiCore
import MadoguchiCrypto

/// Metadata sealed with each spooled message.
public struct SpoolEnvelope: Sendable, Decodable, Equatable {
    /// The fetcher's intake id, `<mailbox>:` + hex HMAC-SHA256 under its own key
    /// (FetchIdentityKey): it names the spool file, so a message fetched twice (crash
    /// before DELE, UIDVALIDITY change) lands on the same name. The database never trusts
    /// it: scan-and-file computes its own id from the decrypted bytes (IntakeID).
    public let intakeID: String
    /// The mailbox name (`madoguchi mailbox add --name`).
    public let mailbox: String
    /// Where it came from: `imap:<uidvalidity>/<uid>`, `pop3:<uidl>` or `enqueue:<file name>`.
    public let source: String
    /// Unix seconds when it was taken from the server.
    public let fetchedAt: Int64
    /// Size of the raw message in bytes.
    public let size: Int

    /// Creates an envelope.
    /// - Parameters:
    ///   - intakeID: the name-giving id (see `intakeID`).
    ///   - mailbox: the mailbox name.
    ///   - source: where it came from.
    ///   - fetchedAt: Unix seconds when it was taken.
    ///   - size: the raw message's size in bytes.
    public init(intakeID: String, mailbox: String, source: String, fetchedAt: Int64, size: Int) {
        self.intakeID = intakeID
        self.mailbox = mailbox
        self.source = source
        self.fetchedAt = fetchedAt
        self.size = size
    }

    /// Creates the envelope of `raw`, its intake id keyed with the fetcher's key.
    /// - Throws: `CryptoError`.
    public init(mailbox: String, source: String, fetchedAt: Int64, raw: [UInt8], identity: FetchIdentityKey) throws {
        self.init(
            intakeID: try identity.intakeID(mailbox: mailbox, raw: raw), mailbox: mailbox, source: source,
            fetchedAt: fetchedAt, size: raw.count)
    }

    /// The JSON object sealed before the message bytes, with the keys `Decodable` reads
    /// back: `{"intakeID":…,"mailbox":…,"source":…,"fetchedAt":…,"size":…}`.
    public var json: [UInt8] {
        var json = JSONOutput()
        json.raw("{\"intakeID\":")
        json.string(intakeID)
        json.raw(",\"mailbox\":")
        json.string(mailbox)
        json.raw(",\"source\":")
        json.string(source)
        json.raw(",\"fetchedAt\":")
        json.integer(Int(fetchedAt))
        json.raw(",\"size\":")
        json.integer(size)
        json.raw("}")
        return json.bytes
    }
}
