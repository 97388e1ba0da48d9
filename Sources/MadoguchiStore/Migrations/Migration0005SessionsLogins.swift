// Migration0005SessionsLogins: server-side web sessions and the login history
// (madoguchi-security(7) E1, E3, E4). Times are Unix seconds UTC.
// SECURITY: a session row holds SHA-256 of its token, never the token; peer addresses
// and the user-agent hash are operators' metadata (clear, like the audit log's).

/// Migration 5: `sessions` (one row per logged-in browser, with the previous login the
/// page header shows) and `logins` (every attempt on an existing account).
enum Migration0005SessionsLogins {
    static let migration = Migration(number: 5, name: "sessions_logins", sql: sql)

    private static let sql = """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
            user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            created_at INTEGER NOT NULL,
            last_seen_at INTEGER NOT NULL CHECK (last_seen_at >= created_at),
            peer TEXT NOT NULL CHECK (length(peer) <= 64),
            user_agent_hash BLOB CHECK (user_agent_hash IS NULL OR length(user_agent_hash) = 32),
            previous_login_at INTEGER,
            previous_login_peer TEXT CHECK (previous_login_peer IS NULL OR length(previous_login_peer) <= 64),
            failures_since_previous INTEGER NOT NULL DEFAULT 0 CHECK (failures_since_previous >= 0)
        );
        CREATE INDEX sessions_user ON sessions (user_id);
        CREATE INDEX sessions_last_seen ON sessions (last_seen_at);
        CREATE INDEX sessions_created ON sessions (created_at);

        CREATE TABLE logins (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            at INTEGER NOT NULL,
            peer TEXT NOT NULL CHECK (length(peer) <= 64),
            success INTEGER NOT NULL CHECK (success IN (0, 1)),
            reason TEXT NOT NULL CHECK (reason IN ('ok', 'wrong-password', 'locked', 'disabled', 'too-long'))
        );
        CREATE INDEX logins_user ON logins (user_id, success, id);
        """
}
