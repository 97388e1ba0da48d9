// Quarantine+Output: how `madoguchi quarantine list` and `show` print entries — JSON
// lines, an aligned table and `name: value` lines.
// SECURITY: the metadata is parsed from infected mail: every value is made terminal-safe.

import MadoguchiCore
import MadoguchiInbox

extension Quarantine.Entry {
    /// `{"id":…,"mailbox":…,"received":…,"size":…,"virus":…}` and a newline; every key
    /// present (a row without a mailbox gives `null`).
    public var jsonLine: [UInt8] {
        var json = JSONOutput()
        json.raw("{\"id\":")
        json.integer(Int(id))
        json.raw(",\"mailbox\":")
        json.string(mailbox)
        json.raw(",\"received\":")
        json.string(received)
        json.raw(",\"size\":")
        json.integer(Int(size))
        json.raw(",\"virus\":")
        json.string(virus)
        json.raw("}\n")
        return json.bytes
    }
}

extension Quarantine.Details {
    /// `name: value` lines, values terminal-safe.
    public var text: String {
        let fields: [(String, String)] = [
            ("Quarantine", String(entry.id)), ("Mailbox", entry.mailbox ?? "-"), ("Received", entry.received),
            ("Virus", entry.virus), ("Size", "\(entry.size) bytes"), ("From", from ?? "-"),
            ("Subject", subject ?? "-"), ("Date", date ?? "-"), ("Purge after", purgeAfter),
        ]
        return fields.map { name, value in
            name + ":" + String(repeating: " ", count: 12 - name.count) + AdminOutput.terminalSafe(value) + "\n"
        }.joined()
    }
}

extension Quarantine {
    /// The text table of `madoguchi quarantine list`.
    static func table(_ entries: [Entry]) -> String {
        AdminOutput.table(
            header: ["ID", "RECEIVED", "SIZE", "MAILBOX", "VIRUS"],
            rows: entries.map {
                [
                    String($0.id), $0.received, String($0.size), AdminOutput.terminalSafe($0.mailbox ?? "-"),
                    AdminOutput.terminalSafe($0.virus),
                ]
            }, rightAligned: [0, 2])
    }
}
