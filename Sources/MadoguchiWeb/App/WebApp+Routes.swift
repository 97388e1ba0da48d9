// WebApp+Routes: the route table and the handlers of the read side — login and
// logout, the inbox with its filters and search, the inquiry, its HTML part in the
// sandboxed frame, attachments as downloads, the /go interstitial and the
// quarantine's metadata. Every read of mail content is audited by the domain call
// that makes it, before anything is returned.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiHTTP
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore

extension WebApp {
    /// The routes, built once.
    static let routes: [Route] = [
        Route(method: .get, pattern: .exact("/login"), access: .anyone) { try $0.loginPage($1) },
        Route(method: .post, pattern: .exact("/login"), access: .anyone, hashesPassword: true) {
            try $0.loginPost($1)
        },
        Route(method: .post, pattern: .exact("/logout"), access: .permission(.readMail)) { try $0.logout($1) },
        Route(method: .get, pattern: .exact("/"), access: .permission(.readMail), searches: true) {
            try $0.inbox($1)
        },
        Route(method: .get, pattern: .id(prefix: "/inquiries/", suffix: ""), access: .permission(.readMail)) {
            try $0.inquiry($1)
        },
        Route(method: .get, pattern: .id(prefix: "/messages/", suffix: "/html"), access: .permission(.readMail)) {
            try $0.messageHTML($1)
        },
        Route(
            method: .get, pattern: .id(prefix: "/attachments/", suffix: ""), access: .permission(.downloadAttachments)
        ) { try $0.attachment($1) },
        Route(method: .get, pattern: .exact("/go"), access: .permission(.readMail)) { try $0.go($1) },
        Route(method: .get, pattern: .exact("/quarantine"), access: .permission(.viewQuarantine)) {
            try $0.quarantine($1)
        },
    ]

    /// The header data of a logged-in page.
    func context(_ request: WebRequest) throws -> PageContext {
        guard let session = request.session else { throw InquiryError.notFound("session") }
        var context = PageContext(
            name: session.displayName, login: session.login,
            previousLogin: session.previousLogin.map { .init(time: $0.at, address: $0.peer) },
            failedSince: session.failuresSincePrevious, idleTimeout: max(0, session.expiresAt - request.now),
            csrfToken: try csrf.token(for: session), language: request.language, time: settings.time,
            now: request.now, showsQuarantine: session.permits(.viewQuarantine))
        context.showsApprovals = session.permits(.approve)
        context.showsTemplates = session.permits(.manageTemplates)
        context.elapsedLimits = settings.elapsedLimits
        return context
    }

    // MARK: login

    func loginPage(_ request: WebRequest) throws -> HTTPResponse {
        var language = request.language
        var cookies: [String] = []
        if let chosen = request.http.queryValue("lang").flatMap(Language.init(rawValue:)) {
            language = chosen
            cookies.append("\(Self.languageCookie)=\(chosen.rawValue); Path=/; Secure; SameSite=Strict")
        }
        let notice: LoginPage.Notice = request.http.queryValue("reason") == "idle" ? .idle : .none
        return try loginForm(language: language, notice: notice, login: "", cookies: cookies)
    }

    /// The login form with a fresh pre-session binding (cookie) and its CSRF token.
    private func loginForm(language: Language, notice: LoginPage.Notice, login: String, cookies: [String]) throws
        -> HTTPResponse
    {
        let binding = Hex.encode(try SecureRandom.bytes(32))
        var response = page(
            LoginPage.html(
                language: language, csrfToken: try csrf.token(forPreSession: binding), notice: notice, login: login))
        for cookie in cookies { response.headers.add("Set-Cookie", cookie) }
        response.headers.add(
            "Set-Cookie", "\(Self.preSessionCookie)=\(binding); Path=/; Secure; HttpOnly; SameSite=Strict")
        return response
    }

    func loginPost(_ request: WebRequest) throws -> HTTPResponse {
        let form = try request.http.formItems()
        func field(_ name: String) -> String { form.first { $0.name == name }?.value ?? "" }
        guard originAllowed(request.http), let binding = request.http.cookie(Self.preSessionCookie),
            csrf.verify(field("csrf"), forPreSession: binding)
        else {
            log.warning("login from \(request.peer) refused: CSRF/Origin")
            return try loginForm(language: request.language, notice: .expired, login: "", cookies: [])
        }
        let login = Login(
            database: request.instance.database, hasher: hasher, configuration: settings.login,
            sessions: settings.sessions)
        do {
            let success = try login.attempt(
                login: field("login"), password: field("password"), peer: request.peer,
                userAgent: request.http.headers["User-Agent"], now: request.now)
            var response = HTTPResponse.redirect(to: "/")
            response.headers.add(
                "Set-Cookie", "\(Self.sessionCookie)=\(success.token); Path=/; Secure; HttpOnly; SameSite=Strict")
            response.headers.add("Set-Cookie", "\(Self.preSessionCookie)=; Path=/; Secure; HttpOnly; Max-Age=0")
            return response
        } catch AccessError.loginRefused {
            // One answer for an unknown login, a wrong password and a locked account (E4).
            let typed = String(field("login").prefix(64))
            return try loginForm(language: request.language, notice: .failed, login: typed, cookies: [])
        }
    }

    func logout(_ request: WebRequest) throws -> HTTPResponse {
        try Sessions(database: request.instance.database, configuration: settings.sessions).logout(
            token: request.http.cookie(Self.sessionCookie) ?? "", sourceIP: request.peer, now: request.now)
        var response = HTTPResponse.redirect(to: "/login")
        response.headers.add("Set-Cookie", "\(Self.sessionCookie)=; Path=/; Secure; HttpOnly; Max-Age=0")
        return response
    }

    // MARK: reading

    func inbox(_ request: WebRequest) throws -> HTTPResponse {
        guard let session = request.session else { throw InquiryError.notFound("session") }
        let http = request.http
        let status = http.queryValue("status").flatMap { InquirySummary.statuses.contains($0) ? $0 : nil }
        let assigneeText = http.queryValue("assignee").flatMap { ["me", "unassigned"].contains($0) ? $0 : nil }
        let mailbox = http.queryValue("mailbox").flatMap { Int64($0) }
        let query = String((http.queryValue("q") ?? "").prefix(200))
        let assignee: InboxFilter.Assignee =
            assigneeText == "me" ? .user(session.userID) : assigneeText == "unassigned" ? .unassigned : .anyone
        let filter = InboxFilter(status: status, assignee: assignee, mailboxID: mailbox)
        let after = http.queryValue("after").flatMap(InboxCursor.init)
        let reveal = session.permits(.viewAddresses)
        let context = try context(request)
        let selection = InboxView.Selection(status: status, assignee: assigneeText, mailbox: mailbox, query: query)
        // The sidebar and the list are kept rendered in the list cache, under
        // the language and the selection's link (all else they show is in the cache key).
        let rendering = request.language.rawValue + " " + selection.link()
        func sidebar(_ tx: DatabaseTransaction) throws -> HTML {
            try Inbox.renderedCounts(
                rendering: rendering, cache: listCache, now: request.now, in: tx, bytes: { $0.bytes.count }
            ) { InboxView.sidebar(counts: $0, selection: selection, context: context) }
        }
        var view = InboxView(
            context: context, selection: selection, counts: InboxCounts(byStatus: [:], mailboxes: []), entries: [],
            next: nil)
        if !SearchText.normalize(query).isEmpty {
            // The counts first: in the session's snapshot, not in a new one after the audit commit.
            view.renderedSidebar = try request.instance.database.read { try sidebar($0) }
            // Only the candidates of the inquiries this page reaches are decrypted.
            let found = try InquirySearch.rendered(
                query, filter: filter, after: after, revealCustomers: reveal, viewer: session.userID,
                in: request.instance, candidateLimit: settings.searchCandidateLimit, actor: request.actor,
                mapDatabase: false, cache: listCache, now: Date(timeIntervalSince1970: Double(request.now)),
                rendering: rendering, bytes: { $0.bytes.count }
            ) { InboxView.list($0.entries, next: $0.next, selection: selection, context: context) }
            if found.page.truncated { view.note = Word.searchCapped.text(request.language) }
            view.renderedList = found.output
        } else {
            (view.renderedList, view.renderedSidebar) = try request.instance.database.read { tx in
                let list = try Inbox.rendered(
                    filter, after: after, revealCustomers: reveal, viewer: session.userID, rendering: rendering,
                    cache: listCache, now: request.now, in: tx, bytes: { $0.bytes.count }
                ) { InboxView.list($0, next: $1, selection: selection, context: context) }
                return (list, try sidebar(tx))
            }
        }
        return page(view.html)
    }

    func inquiry(_ request: WebRequest) throws -> HTTPResponse {
        guard let session = request.session else { throw InquiryError.notFound("session") }
        let actor = request.answeringActor
        let reveal = session.permits(.viewAddresses)
        // The thread, its replies and assignees, and the stamp they were read at, from one snapshot.
        var (thread, ((pending, assignees), stamp)) = try InquiryView.thread(
            request.id, revealCustomers: reveal, viewer: session.userID, actor: request.actor,
            in: request.instance.database, cache: listCache, now: Date(timeIntervalSince1970: Double(request.now))
        ) { tx in
            (
                try listCache.part(
                    "replies", inquiry: request.id, revealCustomers: reveal, viewer: session.userID, now: request.now,
                    in: tx
                ) {
                    (
                        try replies.replies(of: request.id, actor: actor, in: tx),
                        try Users.choices(in: tx).map { Choice(id: $0.id, name: $0.name) }
                    )
                }, try ListCache.stamp(in: tx)
            )
        }
        // A lock whose session expired unnoticed is released rather than shown.
        if let held = thread.lock, held.userID != session.userID, try endExpiredHolder(held, request) {
            thread.lock = nil
        }
        var shown: Int64?
        var blocked = 0
        if let html = request.http.queryValue("html").flatMap({ Int64($0) }),
            thread.messages.contains(where: { $0.id == html && $0.hasHTML })
        {
            shown = html
            let body = try InquiryView.htmlBody(messageID: html, in: request.instance.database)
            blocked = body.map { sanitize($0).document?.remoteContentBlocked ?? 0 } ?? 0
        }
        presenceBoard.mark(
            thread.inquiry.id,
            .init(session: session.reference, userID: session.userID, name: session.displayName, seenAt: request.now))
        let work = InquiryWorkView(
            userID: session.userID, sessionID: session.id, assignees: assignees, replies: pending,
            viewers: presenceBoard.viewers(of: thread.inquiry.id, except: session.userID, now: request.now),
            permissions: session.role.permissions, notice: Notice.from(request)?.word.text(request.language),
            sendDelay: replies.configuration.sendDelay)
        var inquiryPage = InquiryPage(
            context: try context(request), thread: thread, htmlMessage: shown, remoteBlocked: blocked, work: work)
        // The timeline is kept rendered under the stamp the thread was read at.
        inquiryPage.renderedTimeline = listCache.rendering(
            part: "timeline", inquiry: request.id, revealCustomers: reveal, viewer: session.userID,
            rendering: "\(request.language.rawValue) \(shown ?? 0) \(blocked)", stamp: stamp, now: request.now,
            bytes: { $0.bytes.count }
        ) { inquiryPage.timelineRendering }
        return page(inquiryPage.html)
    }

    /// The sanitized HTML part: links through /go; `cid:` images of the message itself
    /// as `data:` URLs (a sandboxed frame's own requests carry no session cookie, and
    /// nothing outside the message is ever loaded); other `cid:` references dropped.
    func sanitize(_ html: String, inline: [String: InquiryView.InlineImage] = [:]) -> HTMLSanitizationResult {
        sanitizer.sanitize(
            html, rewriteLink: { try? self.links.link(to: $0) },
            mapContentID: { cid in
                // `cid:` URLs are percent-encoded (RFC 2392).
                let id = cid.removingPercentEncoding ?? cid
                return inline[id].map { "data:\($0.contentType);base64," + Data($0.data).base64EncodedString() }
            })
    }

    func messageHTML(_ request: WebRequest) throws -> HTTPResponse {
        let document = try InquiryView.html(
            messageID: request.id, actor: request.actor, in: request.instance.database,
            now: Date(timeIntervalSince1970: Double(request.now))
        ) { html, inline -> (SanitizedHTML?, blocked: Int) in
            let result = sanitize(html, inline: inline)
            return (result.document, result.document?.remoteContentBlocked ?? 0)
        }
        // Over a budget: the frame says so; the text view stays on the page.
        let body =
            document.map { doc in
                "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>" + doc.html
                    + "</body></html>"
            }
            ?? "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><p>"
            + Word.htmlTooLarge.text(request.language) + "</p></body></html>"
        var response = HTTPResponse(contentType: "text/html; charset=utf-8", body: Array(body.utf8))
        response.headers.set("Content-Security-Policy", SecurityHeaders.mailFramePolicy)
        response.headers.set("X-Frame-Options", "SAMEORIGIN")
        return response
    }

    func attachment(_ request: WebRequest) throws -> HTTPResponse {
        let (name, data) = try InquiryView.attachment(
            request.id, actor: request.actor, in: request.instance.database,
            now: Date(timeIntervalSince1970: Double(request.now)))
        var response = HTTPResponse(contentType: "application/octet-stream", body: data)
        response.headers.set("Content-Disposition", ContentDisposition.attachment(named: name))
        response.headers.set("Content-Security-Policy", SecurityHeaders.downloadPolicy)
        return response
    }

    func go(_ request: WebRequest) throws -> HTTPResponse {
        guard let destination = request.http.queryValue("u"), let signature = request.http.queryValue("s"),
            links.verify(destination, signature: signature)
        else { throw InquiryError.notFound("link") }
        return page(MessagePage.link(to: destination, language: request.language))
    }

    func quarantine(_ request: WebRequest) throws -> HTTPResponse {
        let entries = try Quarantine.list(in: request.instance, actor: request.actor.actor)
        return page(QuarantinePage(context: try context(request), entries: entries).html)
    }
}
