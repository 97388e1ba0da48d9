// AuditAction: the closed list of actions this release records in the audit log.
// The raw values are the exact strings stored in the `action` column and hashed into
// both chains, so they must never change (AuditLogTests "stableBytes").

/// What an audit entry says was done; the raw value is the stored `action` text.
///
/// Rows are read back as text (`AuditRecord.action`), so a verifier of this release
/// still walks entries whose action a later release added.
public enum AuditAction: String, Sendable, Equatable, CaseIterable {
    /// `madoguchi list` showed inquiries; target `mailbox:<id>` when filtered by mailbox,
    /// detail the result count.
    case list = "list"
    /// `madoguchi search` ran a query; target `mailbox:<name>` when limited to one mailbox,
    /// detail counts only (terms, candidates, messages, results), never the query.
    case search = "search"
    /// scan-and-file quarantined a message clamd found infected; target
    /// `quarantine:<id>`, detail the signature name.
    case quarantine = "quarantine"
    /// scan-and-file purged a quarantined message after `quarantine_days`; target
    /// `quarantine:<id>`, detail the reason.
    case quarantinePurge = "quarantine-purge"
    /// `madoguchi quarantine list` showed the quarantine; detail the result count.
    case quarantineList = "quarantine-list"
    /// `madoguchi quarantine show` decrypted one message's metadata; target `quarantine:<id>`.
    case quarantineShow = "quarantine-show"
    /// `madoguchi quarantine show --raw` wrote one message's raw bytes; target
    /// `quarantine:<id>`.
    case quarantineShowRaw = "quarantine-show-raw"
    /// `madoguchi quarantine release` re-queued a message into the spool for a fresh scan
    /// and removed it from the quarantine; target `quarantine:<id>`.
    case quarantineRelease = "quarantine-release"
    /// `madoguchi quarantine delete` removed a message; target `quarantine:<id>`.
    case quarantineDelete = "quarantine-delete"
    /// `madoguchi quarantine release --force` filed a message without scanning it and
    /// removed it from the quarantine; target `quarantine:<id>`, detail whether it was
    /// already filed (`duplicate`).
    case quarantineReleaseForce = "quarantine-release-force"
    /// `madoguchi mailbox add` made a mailbox (and, without `--import-only`, its fetch
    /// account); target `mailbox:<id>`, detail `{"import_only":0|1}`.
    case mailboxAdd = "mailbox-add"
    /// `madoguchi mailbox remove` removed a fetch account; target `mailbox:<id>` when the
    /// database has the mailbox.
    case mailboxRemove = "mailbox-remove"
    /// `madoguchi mailbox test` logged in to a mailbox with its stored password; result
    /// `ok` or `failed`.
    case mailboxTest = "mailbox-test"
    /// `madoguchi enqueue` queued one file into the spool; target `mailbox:<id>`, detail
    /// `{"bytes":n}`.
    case enqueue = "enqueue"
    /// The web page showed one inquiry with its thread; target `inquiry:<id>`.
    case inquiryView = "inquiry-view"
    /// The web page sent one attachment as a download; target `attachment:<id>`, detail
    /// `{"bytes":n}`.
    case attachmentDownload = "attachment-download"
    /// The web page sent one message's sanitized HTML part to its sandboxed frame;
    /// target `message:<id>`, detail the count of remote references blocked.
    case htmlView = "html-view"
    /// `madoguchi user add` made an operator account; target `user:<id>`, detail the role.
    case userAdd = "user-add"
    /// `madoguchi user passwd` set a new password; target `user:<id>`, detail the number
    /// of that user's sessions it ended.
    case userPasswd = "user-passwd"
    /// `madoguchi user lock` locked an account; target `user:<id>`, detail the number of
    /// sessions it ended.
    case userLock = "user-lock"
    /// `madoguchi user unlock` unlocked an account and cleared its failure count; target
    /// `user:<id>`.
    case userUnlock = "user-unlock"
    /// A successful login; actor the operator, target `user:<id>`, the new session's
    /// reference and the source address.
    case login = "login"
    /// A refused login (result `failed`); actor the operator, or `web:unknown-user` for a
    /// name without an account; detail the reason (never the password or the name typed).
    case loginFailed = "login-failed"
    /// Repeated wrong passwords locked an account for `login_lockout`; target `user:<id>`,
    /// detail the failure count and the lock's end.
    case lockout = "lockout"
    /// An operator logged out; the session's reference and the source address.
    case logout = "logout"
    /// A session ended by the server after `session_idle_timeout` or `session_max_age`;
    /// actor the operator, the session's reference and its address, detail the reason and
    /// who ended it (the page or expire-sessions).
    case autoLogout = "auto-logout"
    /// The web page refused a request of a logged-in operator (result `denied`): its
    /// role lacks the route's permission (detail `{"permission":…}`) or a POST failed the
    /// CSRF or Origin check (detail `{"reason":"csrf"}`); target the request's path.
    case accessDenied = "access-denied"
    /// The web page refused an operator's change for a reason of the domain: result
    /// `denied` when the operator may not make it (approving their own reply, editing
    /// another's draft), `failed` otherwise (a page out of date, a lock held by a
    /// colleague, an empty or invalid text, an attachment refused, characters the
    /// mailbox's charset cannot carry); target the request's path, detail
    /// `{"notice":…}`, the code the page shows (madoguchi-web(8)).
    case changeRefused = "change-refused"
    /// An operator sent a reply: it went into the outbox for `send_delay` (or, in a
    /// mailbox that requires approval, to the approval queue); target `reply:<id>`,
    /// detail `{"inquiry":n,"state":"queued"|"awaiting_approval"}`.
    case replyQueue = "reply-queue"
    /// The author took a queued reply back within its undo window; target `reply:<id>`.
    case replyCancel = "reply-cancel"
    /// The author threw a draft away; target `reply:<id>`.
    case replyDiscard = "reply-discard"
    /// An approver approved a reply (queued with a fresh undo window); target `reply:<id>`.
    case replyApprove = "reply-approve"
    /// An approver returned a reply to its author with a comment (never in the entry);
    /// target `reply:<id>`.
    case replyReturn = "reply-return"
    /// send-replies delivered a reply to the relay (actor `system:send-replies`), or an
    /// operator marked an unconfirmed one as sent (detail `{"marked":1}`); target
    /// `reply:<id>`.
    case replySent = "reply-sent"
    /// A reply failed for good: a 5xx answer, temporary failures past
    /// `send_queue_lifetime`, or a bounce (detail `{"reason":…}`); target `reply:<id>`.
    case replyFailed = "reply-failed"
    /// A run of send-replies was killed after the final dot of a reply, so whether the
    /// relay took it is unknown; it is not resent automatically; target `reply:<id>`.
    case replyUnconfirmed = "reply-unconfirmed"
    /// An operator queued a failed or unconfirmed reply again; target `reply:<id>`.
    case replyResend = "reply-resend"
    /// An inquiry's assignee changed (by hand, or by starting a reply); target
    /// `inquiry:<id>`, detail the `from`/`to` user ids (absent for nobody).
    case inquiryAssign = "inquiry-assign"
    /// An inquiry's status changed; target `inquiry:<id>`, detail `from`/`to`.
    case inquiryStatus = "inquiry-status"
    /// An internal note was added; target `inquiry:<id>`, detail the event id and the
    /// character count (never the text).
    case inquiryNote = "inquiry-note"
    /// An operator started a reply and took the reply lock; target `inquiry:<id>`.
    case replyLock = "reply-lock"
    /// The reply lock was released; target `inquiry:<id>`, detail the reason (sent,
    /// cancelled, logout, expired, password-changed, account-locked) and the holder's id.
    case replyUnlock = "reply-unlock"
    /// An operator with `take_over` took another's reply lock; target `inquiry:<id>`,
    /// detail the previous holder's user id.
    case replyTakeOver = "reply-take-over"
    /// A reply template was made; target `template:<id>`, detail the mailbox id (absent
    /// for a global one).
    case templateAdd = "template-add"
    /// A reply template was changed; target `template:<id>`.
    case templateChange = "template-change"
    /// A reply template was deleted; target `template:<id>`.
    case templateDelete = "template-delete"
    /// `madoguchi mailbox set` changed a mailbox's reply settings; target `mailbox:<id>`,
    /// detail the settings given (`approval`, `charset`, and `set`/`removed` for the
    /// from address, from name and signature).
    case mailboxSet = "mailbox-set"
}
