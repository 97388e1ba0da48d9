// WebApp+Replies: the reply editor and what happens to a reply after it — save, insert
// a template, attach a file (scanned with clamd before it is accepted: FOUND or a
// scanner that does not answer refuses it, madoguchi-security(7) C5), send (into the
// outbox for the undo window, or to 承認待ち when the mailbox needs approval), undo,
// approve, return, and for an unconfirmed reply send again or mark as sent; the
// approval queue.
// SECURITY: the recipient is never read from the request; the domain fills it in from
// the customer. An operator edits only their own draft (the domain checks it).

import Foundation
import MadoguchiCore
import MadoguchiHTTP
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore

extension WebApp {
    /// The reply routes.
    static let replyRoutes: [Route] = [
        Route(method: .get, pattern: .id(prefix: "/replies/", suffix: ""), access: .permission(.reply)) {
            try $0.editor($1)
        },
        Route(method: .post, pattern: .id(prefix: "/replies/", suffix: ""), access: .permission(.reply)) {
            try $0.editorPost($1)
        },
        Route(method: .post, pattern: .id(prefix: "/replies/", suffix: "/cancel"), access: .permission(.reply)) {
            try $0.cancelReply($1)
        },
        Route(method: .post, pattern: .id(prefix: "/replies/", suffix: "/approve"), access: .permission(.approve)) {
            try $0.approveReply($1)
        },
        Route(method: .post, pattern: .id(prefix: "/replies/", suffix: "/return"), access: .permission(.approve)) {
            try $0.returnReply($1)
        },
        Route(method: .post, pattern: .id(prefix: "/replies/", suffix: "/resend"), access: .permission(.reply)) {
            try $0.resendReply($1)
        },
        Route(method: .post, pattern: .id(prefix: "/replies/", suffix: "/mark-sent"), access: .permission(.reply)) {
            try $0.markReplySent($1)
        },
        Route(method: .get, pattern: .exact("/approvals"), access: .permission(.approve)) { try $0.approvals($1) },
    ]

    /// Whether `path` is the editor's POST, which may carry a file.
    static func isEditorPost(_ path: String) -> Bool {
        Route.Pattern.id(prefix: "/replies/", suffix: "").match(path) != nil
    }

    func editor(_ request: WebRequest) throws -> HTTPResponse {
        let actor = request.answeringActor
        let database = request.instance.database
        let reply = try database.read { try replies.reply(request.id, actor: actor, in: $0) }
        guard reply.state == .draft, reply.authorID == actor.userID else {
            return backToInquiry(reply.inquiryID, anchor: "r\(reply.id)")
        }
        // The editor shows the customer's text (quoted): an audited view of the inquiry.
        let (thread, (templates, settings)) = try InquiryView.thread(
            reply.inquiryID, revealCustomers: actor.permits(.viewAddresses), viewer: actor.userID,
            actor: request.actor, in: database, cache: listCache,
            now: Date(timeIntervalSince1970: Double(request.now))
        ) { tx in
            (
                try ReplyTemplates.list(mailbox: reply.mailboxID, by: actor, in: tx),
                try Mailboxes.replySettings(mailbox: reply.mailboxID, in: tx)
            )
        }
        var editor = ReplyEditorPage(
            context: try context(request), reply: reply, inquiry: thread.inquiry,
            needsApproval: settings.approvalRequired, templates: templates,
            notice: Notice.from(request)?.word.text(request.language),
            attachmentMax: replies.configuration.attachmentMax)
        editor.unencodable = MessageComposer.unencodableCharacters(
            in: [reply.subject ?? "", reply.body ?? ""], charset: settings.charset.outgoing)
        return page(editor.html)
    }

    /// The editor's one form: saves the text, then does what the pressed button says.
    func editorPost(_ request: WebRequest) throws -> HTTPResponse {
        let parts = request.parts
        let field = request.field
        let action = field("action")
        let actor = request.answeringActor
        let database = request.instance.database
        let current = try database.read { try replies.reply(request.id, actor: actor, in: $0) }
        guard current.state == .draft, current.authorID == actor.userID else {
            return backToInquiry(current.inquiryID, notice: .forbidden)
        }
        let here = "/replies/\(request.id)"
        if action == "discard" {
            let notice = try attempt(
                { tx in
                    _ = try ReplyLock.release(
                        inquiry: current.inquiryID, reason: .cancelled, by: actor, now: request.now, in: tx)
                    try replies.discard(draft: request.id, actor: actor, now: request.now, in: tx)
                }, in: request)
            return backToInquiry(current.inquiryID, notice: notice)
        }
        guard let version = Int64(field("version")) else { throw HTTPError(.badRequest, "no version") }
        let statusAfter = Replies.StatusAfter(rawValue: field("status_after")) ?? .done
        var body = field("body")
        if action == "template", let id = Int64(field("template")) {
            let thread = try InquiryView.thread(
                current.inquiryID, revealCustomers: actor.permits(.viewAddresses), viewer: actor.userID,
                actor: request.actor, in: database, cache: listCache,
                now: Date(timeIntervalSince1970: Double(request.now)))
            let templates = try database.read {
                try ReplyTemplates.list(mailbox: current.mailboxID, by: request.answeringActor, in: $0)
            }
            if let template = templates.first(where: { $0.id == id }) {
                let rendered = ReplyTemplates.render(
                    template,
                    values: ReplyTemplates.values(for: thread, operatorName: request.answeringActor.displayName))
                body = rendered.body + "\n\n" + body
            }
        }
        var notice = try attempt(
            { tx in
                try replies.save(
                    draft: request.id, version: version, subject: field("subject"), body: body,
                    statusAfter: statusAfter, actor: actor, now: request.now, in: tx)
                if let remove = Int64(field("remove")) {
                    try ReplyAttachments.remove(
                        remove, from: request.id, replies: replies, actor: actor, now: request.now, in: tx)
                }
            }, in: request)
        if notice == nil, action == "attach", let file = parts.first(where: { $0.name == "file" }),
            let name = file.filename, !name.isEmpty
        {
            // Scanned outside any transaction; stored only on clamd's OK (C5).
            notice = try attempt(
                { () throws -> Void in
                    try ReplyAttachments.add(
                        to: request.id, filename: name, contentType: file.contentType, data: file.data,
                        replies: replies, actor: actor, scanner: { try self.scanner.scan($0) }, in: database,
                        now: request.now)
                }, in: request)
        }
        if notice == nil, action == "send" {
            notice = try attempt(
                { tx in
                    let saved = try replies.reply(request.id, actor: actor, in: tx)
                    _ = try replies.send(
                        draft: request.id, version: saved.version, actor: actor, now: request.now, in: tx)
                }, in: request)
            if notice == nil { return backToInquiry(current.inquiryID, anchor: "r\(request.id)") }
        }
        if notice == nil && action == "save" { notice = .saved }
        return HTTPResponse.redirect(to: URLQuery.link(here, [("n", notice?.rawValue)]))
    }

    func cancelReply(_ request: WebRequest) throws -> HTTPResponse {
        var inquiry: Int64?
        let notice = try attempt(
            { tx in
                let reply = try replies.cancel(
                    reply: request.id, actor: request.answeringActor, now: request.now, in: tx)
                inquiry = reply.inquiryID
                // Back in the editor: the author holds the lock again unless someone
                // took it meanwhile (then the draft waits, and the page says who).
                if (try ReplyLock.holder(of: reply.inquiryID, in: tx)) == nil {
                    _ = try ReplyLock.acquire(
                        inquiry: reply.inquiryID, reply: reply.id, by: request.answeringActor, now: request.now, in: tx)
                }
            }, in: request)
        if notice == nil { return HTTPResponse.redirect(to: "/replies/\(request.id)") }
        return try backToReply(request, notice: notice, inquiry: inquiry)
    }

    func approveReply(_ request: WebRequest) throws -> HTTPResponse {
        let notice = try attempt(
            { tx in _ = try replies.approve(reply: request.id, actor: request.answeringActor, now: request.now, in: tx)
            },
            in: request)
        return try backToReply(request, notice: notice)
    }

    func returnReply(_ request: WebRequest) throws -> HTTPResponse {
        let comment = request.field("comment")
        let notice = try attempt(
            { tx in
                _ = try replies.returnToAuthor(
                    reply: request.id, comment: comment, actor: request.answeringActor, now: request.now, in: tx)
            }, in: request)
        return try backToReply(request, notice: notice)
    }

    func resendReply(_ request: WebRequest) throws -> HTTPResponse {
        let notice = try attempt(
            { tx in try outbox.resend(reply: request.id, actor: request.answeringActor, now: request.now, in: tx) },
            in: request)
        return try backToReply(request, notice: notice)
    }

    func markReplySent(_ request: WebRequest) throws -> HTTPResponse {
        let notice = try attempt(
            { tx in _ = try outbox.markSent(reply: request.id, actor: request.answeringActor, now: request.now, in: tx)
            },
            in: request)
        return try backToReply(request, notice: notice)
    }

    /// To the reply's place on its inquiry page.
    private func backToReply(_ request: WebRequest, notice: Notice?, inquiry: Int64? = nil) throws -> HTTPResponse {
        let id =
            try inquiry
            ?? request.instance.database.read {
                try $0.rows("SELECT inquiry_id FROM replies WHERE id = ?", [.integer(request.id)]).first?.int64(
                    "inquiry_id")
            }
        guard let id else { throw InquiryError.notFound("reply \(request.id)") }
        return backToInquiry(id, notice: notice, anchor: "r\(request.id)")
    }

    func approvals(_ request: WebRequest) throws -> HTTPResponse {
        let actor = request.answeringActor
        let list = try request.instance.database.read { try replies.awaitingApproval(actor: actor, in: $0) }
        return page(ApprovalsPage(context: try context(request), replies: list, userID: actor.userID).html)
    }
}
