// Migration0002AuditSearch: the tamper-evident audit log and the contentless search
// index (madoguchi-security(7), AUDIT LOG and SEARCH INDEX).
// SECURITY: audit rows hold ids and hashes, never customer data; the index stores only
// truncated HMAC tokens (no content, no positions: `content=''`, `detail=none`).

/// Migration 2: `audit`, `audit_checkpoint` and `message_search`.
enum Migration0002AuditSearch {
    static let migration = Migration(number: 2, name: "audit_search", sql: sql)

    private static let sql = """
        CREATE TABLE audit (
            seq INTEGER PRIMARY KEY CHECK (seq >= 1),
            ts TEXT NOT NULL,
            actor TEXT NOT NULL CHECK (length(actor) BETWEEN 1 AND 128),
            session_ref TEXT,
            src_ip TEXT,
            action TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
            target TEXT,
            result TEXT NOT NULL CHECK (result IN ('ok', 'denied', 'failed')),
            detail TEXT,
            prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
            hash TEXT NOT NULL CHECK (length(hash) = 64),
            actor_prev TEXT NOT NULL CHECK (length(actor_prev) = 64),
            actor_hash TEXT NOT NULL CHECK (length(actor_hash) = 64)
        );
        CREATE INDEX audit_actor ON audit (actor, seq);
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;

        CREATE TABLE audit_checkpoint (
            seq INTEGER PRIMARY KEY,
            ts TEXT NOT NULL,
            head TEXT NOT NULL,
            actor_heads TEXT NOT NULL,
            statement BLOB NOT NULL,
            signature BLOB NOT NULL,
            key_id TEXT NOT NULL
        );

        CREATE VIRTUAL TABLE message_search USING fts5(
            subject, body, content = '', detail = none, tokenize = 'ascii'
        );
        """
}
