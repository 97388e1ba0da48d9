// WebApp+Working: the handlers that work an inquiry — assign, status, internal notes,
// starting a reply (which takes the reply lock, 二重対応防止), taking a lock over, and
// the presence poll. Each change is one write transaction with its timeline event and
// audit entry (the domain writes both); a refusal comes back to the page as a notice
// code in the redirect (`?n=…`), never as text from the request.

import Foundation
import MadoguchiCore
import MadoguchiHTTP
import MadoguchiInbox
import MadoguchiStore

extension WebApp {
    /// The routes of working an inquiry and answering it.
    static let workingRoutes: [Route] = [
        Route(method: .post, pattern: .id(prefix: "/inquiries/", suffix: "/assign"), access: .permission(.assign)) {
            try $0.assign($1)
        },
        Route(
            method: .post, pattern: .id(prefix: "/inquiries/", suffix: "/status"), access: .permission(.changeStatus)
        ) { try $0.status($1) },
        Route(method: .post, pattern: .id(prefix: "/inquiries/", suffix: "/notes"), access: .permission(.reply)) {
            try $0.note($1)
        },
        Route(method: .post, pattern: .id(prefix: "/inquiries/", suffix: "/reply"), access: .permission(.reply)) {
            try $0.startReply($1)
        },
        Route(
            method: .post, pattern: .id(prefix: "/inquiries/", suffix: "/take-over"), access: .permission(.takeOver)
        ) { try $0.takeOver($1) },
        Route(
            method: .get, pattern: .id(prefix: "/inquiries/", suffix: "/presence"), access: .permission(.readMail),
            extendsSession: false
        ) { try $0.presence($1) },
    ]

    /// Back to the inquiry page, with a notice code when something was refused.
    func backToInquiry(_ id: Int64, notice: Notice? = nil, anchor: String = "") -> HTTPResponse {
        HTTPResponse.redirect(
            to: URLQuery.link("/inquiries/\(id)", [("n", notice?.rawValue)]) + (anchor.isEmpty ? "" : "#" + anchor))
    }

    /// Runs `change` in a write transaction; a domain refusal becomes its notice.
    func attempt(_ change: (DatabaseTransaction) throws -> Void, in request: WebRequest) throws -> Notice? {
        try attempt({ try request.instance.database.write { try change($0) } }, in: request)
    }

    /// Runs `change`, which opens its own transactions; a domain refusal becomes its notice.
    func attempt(_ change: () throws -> Void, in request: WebRequest) throws -> Notice? {
        do {
            try change()
            return nil
        } catch let error where Notice(error) != nil {
            log.info("\(request.actor.actor) \(request.http.path): \(error)")
            let notice = Notice(error)
            if let notice { refused(request, notice) }
            return notice
        }
    }

    func assign(_ request: WebRequest) throws -> HTTPResponse {
        let chosen = request.field("assignee")
        let expectedText = request.field("expected")
        let expected: InquiryWork.ExpectedAssignee =
            expectedText == "none" ? .nobody : Int64(expectedText).map { .user($0) } ?? .any
        guard chosen == "none" || Int64(chosen) != nil else { throw HTTPError(.badRequest, "bad assignee") }
        let notice = try attempt(
            { tx in
                try InquiryWork.assign(
                    request.id, to: Int64(chosen), expected: expected, by: request.answeringActor, now: request.now,
                    in: tx)
            }, in: request)
        return backToInquiry(request.id, notice: notice)
    }

    func status(_ request: WebRequest) throws -> HTTPResponse {
        let status = request.field("status")
        let expected = request.field("expected")
        guard InquirySummary.statuses.contains(status) else { throw HTTPError(.badRequest, "bad status") }
        let notice = try attempt(
            { tx in
                try InquiryWork.setStatus(
                    request.id, to: status, expected: expected.isEmpty ? nil : expected,
                    by: request.answeringActor, now: request.now, in: tx)
            }, in: request)
        return backToInquiry(request.id, notice: notice)
    }

    func note(_ request: WebRequest) throws -> HTTPResponse {
        let text = request.field("text")
        var event: Int64?
        let notice = try attempt(
            { tx in
                event = try InquiryWork.addNote(
                    request.id, text: text, by: request.answeringActor, now: request.now, in: tx)
            }, in: request)
        return backToInquiry(request.id, notice: notice, anchor: event.map { "e\($0)" } ?? "")
    }

    /// Starts (or continues) the operator's reply: the lock and the draft in one
    /// transaction, so nobody else can start one in between.
    func startReply(_ request: WebRequest) throws -> HTTPResponse {
        try openEditor(request, takingOver: false)
    }

    func takeOver(_ request: WebRequest) throws -> HTTPResponse {
        try openEditor(request, takingOver: true)
    }

    private func openEditor(_ request: WebRequest, takingOver: Bool) throws -> HTTPResponse {
        var draft: Int64?
        let notice = try attempt(
            { tx in
                let actor = request.answeringActor
                try endExpiredHolder(of: request.id, request, in: tx)
                if takingOver {
                    _ = try ReplyLock.takeOver(inquiry: request.id, by: actor, now: request.now, in: tx)
                } else {
                    _ = try ReplyLock.acquire(inquiry: request.id, by: actor, now: request.now, in: tx)
                }
                let reply = try replies.start(
                    inquiry: request.id, actor: request.answeringActor, language: request.language.quoteLanguage,
                    timeZone: settings.time.zone, now: request.now, in: tx)
                _ = try ReplyLock.acquire(inquiry: request.id, reply: reply.id, by: actor, now: request.now, in: tx)
                draft = reply.id
            }, in: request)
        guard let draft else { return backToInquiry(request.id, notice: notice) }
        return HTTPResponse.redirect(to: "/replies/\(draft)")
    }

    /// `{"viewers": [...], "lock": "..."}`: who else has the page open and who else
    /// holds the reply lock. Marks the caller as viewing; does not extend the session.
    func presence(_ request: WebRequest) throws -> HTTPResponse {
        guard let session = request.session else { throw InquiryError.notFound("session") }
        var holder = try request.instance.database.read { try ReplyLock.holder(of: request.id, in: $0) }
        if let held = holder, held.userID != session.userID, try endExpiredHolder(held, request) { holder = nil }
        presenceBoard.mark(
            request.id,
            .init(session: session.reference, userID: session.userID, name: session.displayName, seenAt: request.now))
        let viewers = presenceBoard.viewers(of: request.id, except: session.userID, now: request.now)
        let body: [String: Any] = [
            "viewers": viewers, "lock": InquiryWorkView.lockLine(holder, viewer: session.userID, request.language),
        ]
        let json = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        return HTTPResponse(contentType: "application/json; charset=utf-8", body: Array(json))
    }
}

extension WebApp {
    /// Ends the session holding `inquiry`'s lock if it has expired (releasing the lock),
    /// inside the caller's write transaction.
    func endExpiredHolder(of inquiry: Int64, _ request: WebRequest, in tx: DatabaseTransaction) throws {
        guard let held = try ReplyLock.holder(of: inquiry, in: tx), held.userID != request.session?.userID else {
            return
        }
        try endExpiredSession(of: held, request, in: tx)
    }

    /// Whether `held` belonged to an expired session, now ended (and the lock released).
    func endExpiredHolder(_ held: ReplyLock.Holder, _ request: WebRequest) throws -> Bool {
        try request.instance.database.write { try endExpiredSession(of: held, request, in: $0) }
    }

    @discardableResult
    private func endExpiredSession(of held: ReplyLock.Holder, _ request: WebRequest, in tx: DatabaseTransaction)
        throws -> Bool
    {
        guard let session = held.sessionID else { return false }
        return try Sessions(database: request.instance.database, configuration: settings.sessions).endIfExpired(
            session: session, now: request.now, by: "page", in: tx)
    }
}

extension Language {
    /// The language of a reply's quote line.
    var quoteLanguage: ReplyQuote.Language { self == .ja ? .ja : .en }
}
