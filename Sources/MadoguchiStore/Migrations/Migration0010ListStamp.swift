// Migration0010ListStamp: one counter that every change to what an inbox or search page
// shows moves forward — inquiries, their messages (and so the search index written with
// them), customers, users, mailboxes and the operators' read marks. The web page keeps
// the pages it computed under the stamp they were computed at, and answers the same
// page again only while the stamp has not moved (ListCacheTests). Sessions, the audit
// log, replies and jobs do not move it: they are not on those pages.

/// Migration 10: `list_stamp` and the triggers that move it.
enum Migration0010ListStamp {
    static let migration = Migration(number: 10, name: "list_stamp", sql: sql)

    /// The tables whose rows an inbox or search page is made of.
    static let tables = ["inquiries", "messages", "customers", "users", "mailboxes", "inquiry_views"]

    private static let sql =
        """
        CREATE TABLE list_stamp (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            n INTEGER NOT NULL
        );
        INSERT INTO list_stamp (id, n) VALUES (1, 0);

        """
        + triggers(on: tables)

    /// The triggers that move the stamp on every insert, update and delete in `tables`
    /// (also migration 11's).
    static func triggers(on tables: [String]) -> String {
        tables.flatMap { table in
            ["INSERT", "UPDATE", "DELETE"].map { event in
                """
                CREATE TRIGGER list_stamp_\(table)_\(event.lowercased()) AFTER \(event) ON \(table) BEGIN
                    UPDATE list_stamp SET n = n + 1 WHERE id = 1;
                END;

                """
            }
        }.joined()
    }
}
