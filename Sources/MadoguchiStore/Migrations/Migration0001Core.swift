// Migration0001Core: the first schema (mailboxes … data_keys). Times are Unix seconds UTC.
// SECURITY: customer-identifying and content columns end in `_enc` (FieldCipher blobs);
// all others are clear metadata. `_enc` tables use AUTOINCREMENT: ids are never reused.

/// Migration 1: the core schema. No JSON functions in CHECK constraints: with
/// trusted_schema=OFF SQLite 3.40 rejects them in the schema as unsafe.
enum Migration0001Core {
    static let migration = Migration(number: 1, name: "core", sql: sql)

    private static let sql = """
        CREATE TABLE mailboxes (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
            enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );

        CREATE TABLE users (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            login TEXT NOT NULL UNIQUE CHECK (length(login) BETWEEN 1 AND 64),
            display_name TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL CHECK (length(role) > 0),
            locale TEXT CHECK (locale IS NULL OR locale IN ('ja', 'en')),
            created_at INTEGER NOT NULL,
            password_changed_at INTEGER NOT NULL,
            disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
            must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
            failed_logins INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
            locked_until INTEGER,
            totp_secret_enc BLOB,
            totp_last_step INTEGER
        );

        CREATE TABLE customers (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            address_index BLOB NOT NULL UNIQUE CHECK (length(address_index) = 32),
            address_enc BLOB NOT NULL,
            name_enc BLOB,
            pseudonym TEXT NOT NULL UNIQUE CHECK (length(pseudonym) BETWEEN 3 AND 32),
            created_at INTEGER NOT NULL
        );

        CREATE TABLE inquiries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            mailbox_id INTEGER NOT NULL REFERENCES mailboxes (id),
            customer_id INTEGER REFERENCES customers (id),
            status TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'pending', 'answered', 'closed', 'spam')),
            subject_enc BLOB,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            last_message_at INTEGER NOT NULL,
            assignee_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
            flags INTEGER NOT NULL DEFAULT 0 CHECK (flags >= 0)
        );
        CREATE INDEX inquiries_mailbox_status ON inquiries (mailbox_id, status, last_message_at);
        CREATE INDEX inquiries_customer ON inquiries (customer_id);
        CREATE INDEX inquiries_assignee ON inquiries (assignee_id) WHERE assignee_id IS NOT NULL;

        CREATE TABLE messages (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            inquiry_id INTEGER NOT NULL REFERENCES inquiries (id),
            mailbox_id INTEGER NOT NULL REFERENCES mailboxes (id),
            intake_id TEXT NOT NULL UNIQUE CHECK (length(intake_id) BETWEEN 1 AND 128),
            direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
            received_at INTEGER NOT NULL,
            size INTEGER NOT NULL CHECK (size >= 0),
            message_id_index BLOB CHECK (message_id_index IS NULL OR length(message_id_index) = 32),
            subject_enc BLOB,
            from_name_enc BLOB,
            from_addr_enc BLOB,
            to_enc BLOB,
            cc_enc BLOB,
            reply_to_enc BLOB,
            headers_enc BLOB,
            text_body_enc BLOB,
            html_body_enc BLOB,
            raw_enc BLOB,
            flags INTEGER NOT NULL DEFAULT 0 CHECK (flags >= 0),
            malformed_reason TEXT
        );
        CREATE INDEX messages_inquiry ON messages (inquiry_id, received_at);
        CREATE INDEX messages_message_id_index ON messages (message_id_index)
            WHERE message_id_index IS NOT NULL;
        CREATE INDEX messages_mailbox_received ON messages (mailbox_id, received_at);

        CREATE TABLE attachments (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL CHECK (ordinal >= 0),
            filename_enc BLOB,
            content_type TEXT NOT NULL DEFAULT 'application/octet-stream',
            size INTEGER NOT NULL CHECK (size >= 0),
            sha256_enc BLOB,
            data_enc BLOB NOT NULL,
            UNIQUE (message_id, ordinal)
        );

        CREATE TABLE quarantine (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            intake_id TEXT NOT NULL UNIQUE CHECK (length(intake_id) BETWEEN 1 AND 128),
            mailbox_id INTEGER REFERENCES mailboxes (id),
            received_at INTEGER NOT NULL,
            size INTEGER NOT NULL CHECK (size >= 0),
            virus_name TEXT NOT NULL,
            raw_enc BLOB NOT NULL,
            metadata_enc BLOB,
            purge_after INTEGER NOT NULL
        );
        CREATE INDEX quarantine_purge ON quarantine (purge_after);

        CREATE TABLE job_runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            program TEXT NOT NULL CHECK (length(program) BETWEEN 1 AND 64),
            started_at INTEGER NOT NULL,
            ended_at INTEGER,
            outcome TEXT NOT NULL DEFAULT 'running'
                CHECK (outcome IN ('running', 'ok', 'partial', 'tempfail', 'failed')),
            exit_code INTEGER CHECK (exit_code IS NULL OR exit_code BETWEEN 0 AND 255),
            counts TEXT CHECK (counts IS NULL OR counts LIKE '{%}'),
            message TEXT,
            CHECK ((outcome = 'running') = (ended_at IS NULL))
        );
        CREATE INDEX job_runs_program_started ON job_runs (program, started_at);

        CREATE TABLE settings (
            name TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 100),
            value TEXT NOT NULL,
            updated_at INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE data_keys (
            id INTEGER PRIMARY KEY CHECK (id BETWEEN 1 AND 4294967295),
            purpose TEXT NOT NULL CHECK (length(purpose) BETWEEN 1 AND 64),
            wrapped BLOB NOT NULL,
            created_at INTEGER NOT NULL,
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired'))
        );
        CREATE UNIQUE INDEX data_keys_one_active ON data_keys (purpose) WHERE status = 'active';
        """
}
