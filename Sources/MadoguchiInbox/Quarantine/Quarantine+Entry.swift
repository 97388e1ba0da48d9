// Quarantine+Entry: a quarantined message as listed (clear metadata) and as shown
// (decrypted sender, subject and date).
// SECURITY: the metadata is parsed from infected mail: escape it before a terminal sees it.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiMail
import MadoguchiStore

extension Quarantine {
    /// One line of `madoguchi quarantine list`.
    public struct Entry: Sendable, Equatable {
        /// `quarantine.id`.
        public var id: Int64
        /// ISO 8601 UTC time the message was fetched.
        public var received: String
        /// clamd's signature name.
        public var virus: String
        /// Size of the raw message in bytes.
        public var size: Int64
        /// The mailbox name (nil if the row names none).
        public var mailbox: String?
    }

    /// What `madoguchi quarantine show` prints.
    public struct Details: Sendable, Equatable {
        /// The list fields.
        public var entry: Entry
        /// Sender address as parsed.
        public var from: String?
        /// Subject as parsed.
        public var subject: String?
        /// The message's Date header, ISO 8601 UTC.
        public var date: String?
        /// ISO 8601 UTC time after which scan-and-file purges it.
        public var purgeAfter: String
    }

    public static let entryColumns = """
        q.id, q.intake_id, q.received_at, q.virus_name, q.size, q.purge_after, mb.name AS mailbox
        FROM quarantine q LEFT JOIN mailboxes mb ON mb.id = q.mailbox_id
        """

    public static func entry(_ row: Row) -> Entry {
        Entry(
            id: row.int64("id") ?? 0, received: MailDate.iso8601(row.int64("received_at") ?? 0),
            virus: row.string("virus_name") ?? "", size: row.int64("size") ?? 0, mailbox: row.string("mailbox"))
    }

    /// Decodes the sealed metadata object (`date` Unix seconds, `from`, `size`, `subject`);
    /// unknown or missing fields stay nil.
    public static func details(_ row: Row, metadata: [UInt8]?) -> Details {
        var object: [String: Any] = [:]
        if let metadata {
            do {
                object = try JSONSerialization.jsonObject(with: Data(metadata)) as? [String: Any] ?? [:]
            } catch {
                // Metadata that is not a JSON object shows as absent fields; the raw message is intact.
                object = [:]
            }
        }
        let date: String? =
            switch object["date"] {
            case let seconds as Int64: MailDate.iso8601(seconds)
            case let seconds as Int: MailDate.iso8601(Int64(seconds))
            case let text as String: text
            default: nil
            }
        return Details(
            entry: entry(row), from: object["from"] as? String, subject: object["subject"] as? String, date: date,
            purgeAfter: MailDate.iso8601(row.int64("purge_after") ?? 0))
    }
}
