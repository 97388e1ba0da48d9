// InquiryEvent: one row of an inquiry's timeline — who did what and when — as the
// inquiry page shows it between the messages.
// SECURITY: `text` is decrypted internal text (a note, a return comment, a relay's
// answer): the page escapes it, and it never leaves the company.

/// One event on an inquiry, with the acting user's names joined.
public struct InquiryEvent: Sendable, Equatable {
    /// `inquiry_events.id`.
    public var id: Int64
    /// `inquiries.id`.
    public var inquiryID: Int64
    /// Unix time.
    public var at: Int64
    /// What happened.
    public var kind: InquiryEventKind
    /// The acting user's `users.id`, or nil (a program, or a deleted user).
    public var userID: Int64?
    /// The acting user's login name, or nil.
    public var userLogin: String?
    /// The acting user's display name, or nil.
    public var userName: String?
    /// Clear metadata (ids, states, reasons), e.g. `["from": "new", "to": "done"]`.
    public var detail: [String: String]
    /// The decrypted text (a note, a return comment, a relay's answer), or nil.
    public var text: String?
    /// The reply it concerns (`replies.id`), or nil.
    public var replyID: Int64?

    /// Creates a value.
    public init(
        id: Int64, inquiryID: Int64, at: Int64, kind: InquiryEventKind, userID: Int64? = nil, userLogin: String? = nil,
        userName: String? = nil, detail: [String: String] = [:], text: String? = nil, replyID: Int64? = nil
    ) {
        self.id = id
        self.inquiryID = inquiryID
        self.at = at
        self.kind = kind
        self.userID = userID
        self.userLogin = userLogin
        self.userName = userName
        self.detail = detail
        self.text = text
        self.replyID = replyID
    }
}
