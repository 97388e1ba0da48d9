// Migration0004InquiryStatus: the statuses the operators work with — new (未対応),
// in_progress (対応中), awaiting_approval (承認待ち), done (対応済) and trash (ゴミ箱)
// — in place of the intake's first set, and the indexes the inbox pages by: newest
// activity first, by status, mailbox or assignee, keyset-paged on
// (last_message_at, id) so a page costs the same at the 100,000th inquiry.

/// Migration 4: `inquiries.status` with the operator statuses (open → new,
/// pending → in_progress, answered and closed → done, spam → trash) and the inbox indexes.
enum Migration0004InquiryStatus {
    static let migration = Migration(number: 4, name: "inquiry_status", sql: sql)

    // SQLite cannot change a CHECK constraint in place: add the new column, copy, drop
    // the old one (after the index that uses it) and take over its name.
    private static let sql = """
        ALTER TABLE inquiries ADD COLUMN state TEXT NOT NULL DEFAULT 'new'
            CHECK (state IN ('new', 'in_progress', 'awaiting_approval', 'done', 'trash'));
        UPDATE inquiries SET state = CASE status
            WHEN 'open' THEN 'new' WHEN 'pending' THEN 'in_progress' WHEN 'spam' THEN 'trash' ELSE 'done' END;
        DROP INDEX inquiries_mailbox_status;
        ALTER TABLE inquiries DROP COLUMN status;
        ALTER TABLE inquiries RENAME COLUMN state TO status;

        CREATE INDEX inquiries_recent ON inquiries (last_message_at, id);
        CREATE INDEX inquiries_status_recent ON inquiries (status, last_message_at, id);
        CREATE INDEX inquiries_mailbox_status_recent ON inquiries (mailbox_id, status, last_message_at, id);
        CREATE INDEX inquiries_mailbox_recent ON inquiries (mailbox_id, last_message_at, id);
        DROP INDEX inquiries_assignee;
        CREATE INDEX inquiries_assignee_status_recent ON inquiries (assignee_id, status, last_message_at, id);
        """
}
