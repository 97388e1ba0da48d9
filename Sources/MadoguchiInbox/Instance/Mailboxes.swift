// Mailboxes: the `mailboxes` table — the mailboxes mail may be filed into. A mailbox
// exists only when an administrator made it (`madoguchi mailbox add`, `madoguchi init`
// for `enqueue`); scan-and-file never creates one from what a spool file says.
// SECURITY: a planted spool envelope naming an unknown mailbox is held, not filed
// (madoguchi-security(7), SPOOL).

import MadoguchiCore
import MadoguchiStore

/// The mailboxes of an instance.
public enum Mailboxes {
    /// The mailbox `madoguchi init` creates, which `madoguchi enqueue` uses by default.
    public static let enqueue = "enqueue"

    /// The id of the mailbox called `name`, or nil.
    /// - Throws: `StoreError`.
    public static func id(named name: String, in tx: DatabaseTransaction) throws -> Int64? {
        try tx.rows("SELECT id FROM mailboxes WHERE name = ?", [.text(name)]).first?.int64("id")
    }

    /// Creates the mailbox `name` unless it exists.
    /// - Returns: its id, and whether it was created now.
    /// - Throws: `StoreError`.
    @discardableResult
    public static func create(_ name: String, in tx: DatabaseTransaction, now: Int64) throws
        -> (id: Int64, created: Bool)
    {
        if let id = try id(named: name, in: tx) { return (id, false) }
        var values = RowValues()
        values.set("name", .text(name))
        values.set("created_at", .integer(now))
        values.set("updated_at", .integer(now))
        return (try tx.insert(into: "mailboxes", values), true)
    }
}
