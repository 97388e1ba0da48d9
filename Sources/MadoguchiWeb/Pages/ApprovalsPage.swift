// ApprovalsPage: the replies waiting for approval (承認待ち), oldest first, for users
// with `approve`: the inquiry, the author, when it was asked, and the way to the
// inquiry where the reply is read, approved or returned. A user's own replies are
// listed but cannot be approved by them (the domain refuses it too).

import MadoguchiInbox

/// The approval queue.
public struct ApprovalsPage {
    /// The operator.
    public var context: PageContext
    /// The replies awaiting approval.
    public var replies: [Reply]
    /// The viewing user.
    public var userID: Int64

    /// Creates the page.
    public init(context: PageContext, replies: [Reply], userID: Int64) {
        self.context = context
        self.replies = replies
        self.userID = userID
    }

    /// The whole document.
    public var html: HTML {
        let rows = HTML.each(replies) { reply in
            """
            <tr><td><a href="/inquiries/\(reply.inquiryID)#r\(reply.id)">#\(reply.inquiryID) \(reply.subject ?? context.word(.noSubject))</a></td>
            <td>\(reply.authorName)\(reply.authorID == userID ? " (\(context.word(.assigneeMe)))" : "")</td>
            <td><time>\(context.time.short(reply.queuedAt ?? reply.updatedAt, now: context.now, language: context.language))</time></td></tr>
            """
        }
        return Layout.page(
            title: context.word(.approvalQueue), context: context,
            main: """
                <p class="back"><a href="/" id="back">\(context.word(.backToInbox))</a></p>
                <h1 class="title">\(context.word(.approvalQueue))</h1>
                \(replies.isEmpty
                    ? "<p class=\"empty\">\(context.word(.nothingToApprove))</p>" as HTML
                    : "<table class=\"plain\"><thead><tr><th scope=\"col\">\(context.word(.subject))</th><th scope=\"col\">\(context.word(.sender))</th><th scope=\"col\">\(context.word(.received))</th></tr></thead><tbody>\(rows)</tbody></table>")
                """)
    }
}
