// Migration0011TimelineStamp: the list stamp (migration 10) also moves with an
// inquiry's timeline (`inquiry_events`: assignments, status changes, notes, reply locks,
// replies sent), its messages' attachments and its replies, so the web page can keep an
// inquiry's thread and its replies under the stamp as it keeps the inbox's pages
// (ListCacheTests). The reply lock itself is not in it: the page reads it on every
// view.

/// Migration 11: the timeline, the attachments and the replies move `list_stamp`.
enum Migration0011TimelineStamp {
    static let migration = Migration(number: 11, name: "timeline_stamp", sql: sql)

    /// The tables an inquiry's thread is made of besides migration 10's.
    static let tables = ["inquiry_events", "attachments", "replies"]

    private static let sql = Migration0010ListStamp.triggers(on: tables)
}
