// Migration0008InquiryViews: when each operator last opened each inquiry, so the inbox
// shows in bold what has news for that operator (a customer message after their last
// view).

/// Migration 8: `inquiry_views`.
enum Migration0008InquiryViews {
    static let migration = Migration(number: 8, name: "inquiry_views", sql: sql)

    private static let sql = """
        CREATE TABLE inquiry_views (
            user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            inquiry_id INTEGER NOT NULL REFERENCES inquiries (id) ON DELETE CASCADE,
            viewed_at INTEGER NOT NULL,
            PRIMARY KEY (user_id, inquiry_id)
        ) WITHOUT ROWID;
        """
}
