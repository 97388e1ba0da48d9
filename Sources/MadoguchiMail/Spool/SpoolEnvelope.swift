// SpoolEnvelope: what travels with a message through the sealed spool: its stable
// intake id, the mailbox it came from and where on the server it was.
// SECURITY: sealed together with the message; nothing here is written in clear.

import MadoguchiCore
import MadoguchiCrypto

/// Metadata sealed with each spooled message.
public struct SpoolEnvelope: Sendable, Decodable, Equatable {
    /// The stable intake id: `<mailbox>:<sha256 of the raw message>`. The database
    /// keeps it unique, so a message fetched twice (crash before DELE, UIDVALIDITY
    /// change, duplicate delivery of identical bytes) is filed once.
    public let intakeID: String
    /// The mailbox name (`madoguchi mailbox add --name`).
    public let mailbox: String
    /// Where it came from: `imap:<uidvalidity>/<uid>`, `pop3:<uidl>` or `enqueue:<file name>`.
    public let source: String
    /// Unix seconds when it was taken from the server.
    public let fetchedAt: Int64
    /// Size of the raw message in bytes.
    public let size: Int

    /// Creates an envelope, deriving the intake id from the mailbox and content.
    public init(mailbox: String, source: String, fetchedAt: Int64, raw: [UInt8]) {
        self.intakeID = SpoolEnvelope.intakeID(mailbox: mailbox, raw: raw)
        self.mailbox = mailbox
        self.source = source
        self.fetchedAt = fetchedAt
        self.size = raw.count
    }

    /// The intake id of a message in a mailbox.
    public static func intakeID(mailbox: String, raw: [UInt8]) -> String {
        mailbox + ":" + Hex.encode(SHA256Hasher.hash(raw))
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
