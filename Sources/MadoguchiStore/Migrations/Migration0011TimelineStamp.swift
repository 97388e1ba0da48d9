// Migration0011TimelineStamp: the list stamp (migration 10) also moves with an
// inquiry's timeline (`inquiry_events`: assignments, status changes, notes, reply locks,
// replies sent) and its messages' attachments, so the web page can keep an inquiry's
// thread under the stamp as it keeps the inbox's pages (ListCacheTests). The reply lock
// itself and the replies are not in it: the page reads them on every view.

/// Migration 11: the timeline and the attachments move `list_stamp`.
enum Migration0011TimelineStamp {
    static let migration = Migration(number: 11, name: "timeline_stamp", sql: sql)

    /// The tables an inquiry's thread is made of besides migration 10's.
    static let tables = ["inquiry_events", "attachments"]

    private static let sql = tables.flatMap { table in
        ["INSERT", "UPDATE", "DELETE"].map { event in
            """
            CREATE TRIGGER list_stamp_\(table)_\(event.lowercased()) AFTER \(event) ON \(table) BEGIN
                UPDATE list_stamp SET n = n + 1 WHERE id = 1;
            END;

            """
        }
    }.joined()
}
