// Migration0009Answering: what operators do with an inquiry — assignment, status and
// notes as events, the reply lock (二重対応防止), replies from draft to sent (approval,
// the undo window, send-replies' attempts), reply attachments, reply templates — and the
// per-mailbox reply settings. Times are Unix seconds UTC.
// SECURITY: reply texts, notes, comments, the recipient and the relay's answers are
// FieldCipher blobs (`_enc`); states, times and user ids are clear metadata, like the
// audit log's. A reply's `attempt_at` is committed before the final dot of SMTP DATA,
// so a run killed after it never sends the reply twice (send-replies(8)).

/// Migration 9: `inquiry_events`, `inquiry_locks`, `replies`, `reply_attachments`,
/// `reply_templates`, the mailboxes' reply settings and `messages.reply_id`.
enum Migration0009Answering {
    static let migration = Migration(number: 9, name: "answering", sql: sql)

    private static let sql = """
        ALTER TABLE mailboxes ADD COLUMN approval_required INTEGER NOT NULL DEFAULT 0
            CHECK (approval_required IN (0, 1));
        ALTER TABLE mailboxes ADD COLUMN reply_charset TEXT NOT NULL DEFAULT 'utf-8'
            CHECK (reply_charset IN ('utf-8', 'iso-2022-jp'));
        ALTER TABLE mailboxes ADD COLUMN reply_from TEXT
            CHECK (reply_from IS NULL OR length(reply_from) BETWEEN 3 AND 254);
        ALTER TABLE mailboxes ADD COLUMN reply_from_name TEXT
            CHECK (reply_from_name IS NULL OR length(reply_from_name) <= 100);
        ALTER TABLE mailboxes ADD COLUMN signature_enc BLOB;

        CREATE TABLE replies (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            inquiry_id INTEGER NOT NULL REFERENCES inquiries (id) ON DELETE CASCADE,
            mailbox_id INTEGER NOT NULL REFERENCES mailboxes (id),
            author_id INTEGER NOT NULL REFERENCES users (id),
            answers_message_id INTEGER REFERENCES messages (id) ON DELETE SET NULL,
            state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN
                ('draft', 'awaiting_approval', 'queued', 'sending', 'unconfirmed', 'sent', 'failed')),
            subject_enc BLOB,
            body_enc BLOB,
            recipient_enc BLOB,
            status_after TEXT NOT NULL DEFAULT 'done' CHECK (status_after IN ('in_progress', 'done')),
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
            queued_at INTEGER,
            send_after INTEGER,
            approver_id INTEGER REFERENCES users (id),
            approved_at INTEGER,
            returned_by INTEGER REFERENCES users (id),
            returned_at INTEGER,
            return_comment_enc BLOB,
            message_id TEXT UNIQUE CHECK (message_id IS NULL OR length(message_id) BETWEEN 3 AND 250),
            attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            next_attempt_at INTEGER,
            attempt_at INTEGER,
            last_error_enc BLOB,
            sent_at INTEGER,
            CHECK ((state IN ('queued', 'sending')) <= (send_after IS NOT NULL))
        );
        CREATE INDEX replies_inquiry ON replies (inquiry_id, id);
        CREATE INDEX replies_due ON replies (send_after, id) WHERE state IN ('queued', 'sending');
        CREATE INDEX replies_author_state ON replies (author_id, state, id);
        CREATE INDEX replies_state ON replies (state, id);

        CREATE TABLE reply_attachments (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            reply_id INTEGER NOT NULL REFERENCES replies (id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL CHECK (ordinal >= 0),
            filename_enc BLOB NOT NULL,
            content_type TEXT NOT NULL DEFAULT 'application/octet-stream',
            size INTEGER NOT NULL CHECK (size >= 0),
            data_enc BLOB NOT NULL,
            scanned_at INTEGER NOT NULL,
            UNIQUE (reply_id, ordinal)
        );

        CREATE TABLE reply_templates (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            mailbox_id INTEGER REFERENCES mailboxes (id) ON DELETE CASCADE,
            name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
            subject_enc BLOB,
            body_enc BLOB NOT NULL,
            created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX reply_templates_name ON reply_templates (coalesce(mailbox_id, 0), name);

        CREATE TABLE inquiry_locks (
            inquiry_id INTEGER PRIMARY KEY REFERENCES inquiries (id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            session_id INTEGER REFERENCES sessions (id) ON DELETE CASCADE,
            reply_id INTEGER REFERENCES replies (id) ON DELETE CASCADE,
            acquired_at INTEGER NOT NULL
        );
        CREATE INDEX inquiry_locks_session ON inquiry_locks (session_id);
        CREATE INDEX inquiry_locks_user ON inquiry_locks (user_id);

        CREATE TABLE inquiry_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            inquiry_id INTEGER NOT NULL REFERENCES inquiries (id) ON DELETE CASCADE,
            at INTEGER NOT NULL,
            user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
            kind TEXT NOT NULL CHECK (kind IN ('assigned', 'status', 'note', 'lock', 'unlock', 'take-over',
                'reply-queued', 'reply-cancelled', 'approval-requested', 'approved', 'returned',
                'reply-sent', 'reply-retry', 'reply-failed', 'reply-unconfirmed')),
            detail TEXT CHECK (detail IS NULL OR detail LIKE '{%}'),
            text_enc BLOB,
            reply_id INTEGER REFERENCES replies (id) ON DELETE SET NULL
        );
        CREATE INDEX inquiry_events_inquiry ON inquiry_events (inquiry_id, id);

        ALTER TABLE messages ADD COLUMN reply_id INTEGER REFERENCES replies (id) ON DELETE SET NULL;
        """
}
