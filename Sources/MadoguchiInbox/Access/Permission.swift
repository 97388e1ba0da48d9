// Permission: what a route or command needs, one case per grant of the access-control
// model (madoguchi(7), madoguchi-security(7) F). The raw values are stored role data
// in a later release (custom roles), so they must never change.

/// One permission a role may grant.
public enum Permission: String, Sendable, Hashable, CaseIterable {
    /// Read inquiries and their messages.
    case readMail = "read_mail"
    /// Write replies: start one (taking the reply lock, which assigns the inquiry to the
    /// replier and moves a new one to in_progress), add internal notes, use templates.
    case reply = "reply"
    /// Approve replies written by others.
    case approve = "approve"
    /// Assign inquiries to operators, to oneself (take) or to nobody.
    case assign = "assign"
    /// Change an inquiry's status (not to awaiting_approval, which submitting a reply for
    /// approval sets).
    case changeStatus = "change_status"
    /// Export inquiries as CSV.
    case exportCSV = "export_csv"
    /// Print inquiries.
    case print = "print"
    /// See customers' real addresses (without it, a pseudonym is shown).
    case viewAddresses = "view_addresses"
    /// Download attachments.
    case downloadAttachments = "download_attachments"
    /// See the quarantine's metadata.
    case viewQuarantine = "view_quarantine"
    /// Make, change and delete reply templates (using them needs `reply`).
    case manageTemplates = "manage_templates"
    /// Add, change, lock and unlock users and roles.
    case manageUsers = "manage_users"
    /// Manage mailboxes and settings.
    case manageMailboxes = "manage_mailboxes"
    /// Read the audit log.
    case viewAudit = "view_audit"
    /// Download other operators' audit entries.
    case exportAudit = "export_audit"
    /// Take over the reply lock of an inquiry another operator is replying to.
    case takeOver = "take_over"
}
