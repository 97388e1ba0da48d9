// WebApp: the operator page behind the HTTP server — the router (built once, never
// changed), the session and permission check every route gets before its handler
// runs, the CSRF and Origin checks on every POST, and the error answers. The server
// calls `handle` on its connection threads; each request borrows a database
// connection of its own.
// SECURITY: sessions come only from the `__Host-sid` cookie (never the URL); the
// IP allow-list runs before this, on the socket's address (madoguchi-security(7) D7).

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiHTTP
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore

/// The operator page.
public final class WebApp: Sendable {
    /// The session cookie.
    static let sessionCookie = "__Host-sid"
    /// The login form's pre-session binding cookie.
    static let preSessionCookie = "__Host-pre"
    /// The language cookie (ja or en).
    static let languageCookie = "__Host-lang"

    let settings: WebSettings
    let pool: DatabasePool
    /// Connections for the login POSTs, which wait for the one-at-a-time scrypt gate:
    /// 20 logins holding the pages' 8 connections while they waited stalled every page
    /// for seconds.
    let loginPool: DatabasePool
    /// Connections for searches (the inbox with `q=`), which decrypt thousands of
    /// fields each: 32 searches at once held all (then eight) page connections, and inquiry
    /// pages right after waited up to 0.6 s for one. As many as the pages have
    /// (`WebSettings.databaseConnections`), not two: a search the list cache answers
    /// costs what an inbox page does, but still holds its connection while its audit
    /// entry waits for the group commit, and few connections left a core idle (web.sh:
    /// 1,590 searches/s with two, 2,500–2,900 with six, 3,200–3,300 with sixteen).
    let searchPool: DatabasePool
    let hasher: PasswordHasher
    let csrf: SessionCSRF
    let links: LinkSigner
    let sanitizer = HTMLSanitizer()
    let log: Log
    /// Drafts, the outbox and approval (send_delay, attachment limits).
    let replies: Replies
    /// The outbox's operator actions (send again, mark as sent).
    let outbox: Outbox
    /// The virus scanner reply attachments go through before they are accepted.
    let scanner: ClamdClient
    /// Who has which inquiry open (memory only).
    let presenceBoard = PresenceBoard()
    /// Inbox and search pages computed since the list last changed (memory only).
    let listCache = ListCache()

    /// Opens the instance for serving.
    /// - Parameters:
    ///   - configuration: the instance configuration (database, keys, password cost).
    ///   - settings: the web settings.
    ///   - log: the program's log.
    /// - Throws: what opening the database and the keys throws.
    public init(configuration: Configuration, settings: WebSettings, log: Log) throws {
        self.settings = settings
        self.log = log
        let writeGate = WriteGate()
        let commitGroup = CommitGroup()
        pool = try DatabasePool(
            configuration: configuration, size: settings.databaseConnections, writeGate: writeGate,
            commitGroup: commitGroup)
        loginPool = try DatabasePool(
            configuration: configuration, size: 2, writeGate: writeGate, commitGroup: commitGroup)
        searchPool = try DatabasePool(
            configuration: configuration, size: settings.databaseConnections, writeGate: writeGate,
            commitGroup: commitGroup)
        // One scrypt at a time (128 MiB, ~0.6 s each): on the reference 2-core machine a
        // second one at once left the pages a single core and pushed their p99 past 0.6 s.
        hasher = try PasswordHasher(configuration: configuration, gate: PasswordHashGate(limit: 1))
        let keys = pool.with { $0.keys }
        csrf = try SessionCSRF(keys: keys)
        links = try LinkSigner(keys: keys)
        replies = Replies(keys: keys, configuration: Replies.Configuration(configuration))
        outbox = Outbox(keys: keys, configuration: Replies.Configuration(configuration))
        scanner = ClamdClient(configuration)
    }

    /// Answers one request (the HTTP server's handler).
    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        let now = Int64(Date().timeIntervalSince1970)
        let language = Self.language(of: request)
        if request.path.hasPrefix("/static/") { return Self.asset(request) }
        let method = request.method == .head ? HTTPMethod.get : request.method
        let matches = Self.allRoutes.compactMap { route in route.pattern.match(request.path).map { (route, $0) } }
        guard !matches.isEmpty else { return page(MessagePage.error(.notFound, language: language), .notFound) }
        guard let (route, id) = matches.first(where: { $0.0.method == method }) else {
            var response = HTTPResponse.text("405 Method Not Allowed\n", status: .methodNotAllowed)
            response.headers.set(
                "Allow", matches.map { $0.0.method == .get ? "GET, HEAD" : "POST" }.joined(separator: ", "))
            return response
        }
        do {
            // One read transaction for the session and the page's reads (Database.sharingReads).
            return try pool(for: route, request).with { instance in
                try instance.database.sharingReads {
                    var web = WebRequest(
                        http: request, id: id, session: nil, language: language, instance: instance, now: now)
                    if case .permission(let permission) = route.access {
                        switch try Sessions(database: instance.database, configuration: settings.sessions).lookup(
                            token: request.cookie(Self.sessionCookie) ?? "", peer: web.peer, now: now,
                            touch: route.extendsSession)
                        {
                        case .active(let session):
                            web.session = session
                            // The operator's own setting, when there is one, over the browser's.
                            if let chosen = session.locale.flatMap(Language.init(rawValue:)) { web.language = chosen }
                        case .expired:
                            return Self.toLogin(request, reason: "idle")
                        case .none:
                            return Self.toLogin(request, reason: nil)
                        }
                        guard let session = web.session, session.permits(permission) else {
                            log.warning(
                                "\(web.actor.actor) from \(web.peer): \(request.path) needs \(permission.rawValue)")
                            denied(web, detail: ["permission": permission.rawValue])
                            return page(MessagePage.error(.forbidden, language: language), .forbidden)
                        }
                        if request.method == .post {
                            // The body is parsed here once; handlers read web.form and web.parts.
                            let parts = try request.multipartParts()
                            web.parts = parts ?? []
                            web.form =
                                try parts.map { parts throws(HTTPError) in try MultipartFormData.fields(of: parts) }
                                ?? request.formItems()
                            guard originAllowed(request), !web.field("csrf").isEmpty,
                                csrf.verify(web.field("csrf"), for: session)
                            else {
                                log.warning(
                                    "\(session.login) from \(web.peer): POST \(request.path) refused (CSRF/Origin)")
                                denied(web, detail: ["reason": "csrf"])
                                return page(MessagePage.error(.forbidden, language: language), .forbidden)
                            }
                        }
                    }
                    return try route.handler(self, web)
                }
            }
        } catch let error as HTTPError {
            return HTTPResponse.error(error)
        } catch InquiryError.notFound {
            return page(MessagePage.error(.notFound, language: language), .notFound)
        } catch {
            log.error("\(request.method.rawValue) \(request.path): \(error)")
            return page(MessagePage.error(.badRequest, language: language), .internalServerError)
        }
    }

    /// Writes an `access-denied` entry for a refused request (madoguchi-security(7) F1,
    /// F3: refusals are logged). The refusal stands even when the entry cannot be written.
    func denied(_ request: WebRequest, detail: [String: String]) {
        auditRefusal(request, .accessDenied, result: .denied, detail: detail)
    }

    /// Audits a change the domain refused (`change-refused`), with the notice's code.
    func refused(_ request: WebRequest, _ notice: Notice) {
        auditRefusal(
            request, .changeRefused, result: notice == .forbidden || notice == .ownReply ? .denied : .failed,
            detail: ["notice": notice.rawValue])
    }

    /// Writes a refusal's entry, target the request's path. A failure to write it is
    /// logged: what was refused did not happen either way.
    private func auditRefusal(
        _ request: WebRequest, _ action: AuditAction, result: AuditResult, detail: [String: String]
    ) {
        let event = request.actor.event(
            action, target: String(request.http.path.prefix(200)), result: result, detail: AuditDetail.words(detail))
        do {
            try request.instance.database.writeGrouped { tx in
                try AuditLog.append(event, in: tx, now: Date(timeIntervalSince1970: Double(request.now)))
            }
        } catch {
            log.error("could not audit a refused request: \(error)")
        }
    }

    /// Every route: reading, working an inquiry, replies, templates.
    static let allRoutes: [Route] = routes + workingRoutes + replyRoutes + templateRoutes

    /// The connections a request borrows from: logins and searches wait in pools of
    /// their own, so neither the scrypt gate nor a run of slow searches can hold every
    /// connection the pages need.
    func pool(for route: Route, _ request: HTTPRequest) -> DatabasePool {
        if route.hashesPassword { return loginPool }
        if route.searches, !SearchText.normalize(request.queryValue("q") ?? "").isEmpty { return searchPool }
        return pool
    }

    /// The response filter: the security fields on every response.
    public static func secure(_ request: HTTPRequest?, _ response: HTTPResponse) -> HTTPResponse {
        SecurityHeaders.apply(request, response)
    }

    /// Whether a POST comes from our own page: an `Origin` other than the base URL and
    /// `Sec-Fetch-Site: cross-site` are refused. Our pages say `Referrer-Policy:
    /// no-referrer`, under which browsers send `Origin: null` on their own same-origin
    /// form posts (Fetch standard, "serializing a request origin"; BrowserTests), so
    /// `null` passes only together with the browser's own `Sec-Fetch-Site: same-origin`.
    func originAllowed(_ request: HTTPRequest) -> Bool {
        let site = request.headers["Sec-Fetch-Site"]
        if let origin = request.headers["Origin"], origin != settings.baseURL {
            guard origin == "null", site == "same-origin" else { return false }
        }
        if site == "cross-site" { return false }
        return true
    }

    /// An HTML page response.
    func page(_ html: HTML, _ status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "text/html; charset=utf-8", body: html.bytes)
    }

    /// To the login page: a redirect for GET, 403 for anything else.
    static func toLogin(_ request: HTTPRequest, reason: String?) -> HTTPResponse {
        guard request.method != .post else { return HTTPResponse.text("403 Forbidden\n", status: .forbidden) }
        return HTTPResponse.redirect(to: URLQuery.link("/login", [("reason", reason)]))
    }

    /// The page language: the `__Host-lang` cookie, else Accept-Language.
    static func language(of request: HTTPRequest) -> Language {
        if let chosen = request.cookie(languageCookie).flatMap(Language.init(rawValue:)) { return chosen }
        return Language.preferred(acceptLanguage: request.headers["Accept-Language"])
    }

    /// A static file, with its ETag and a day of caching.
    static func asset(_ request: HTTPRequest) -> HTTPResponse {
        guard request.method == .get || request.method == .head, let asset = StaticAssets.files[request.path] else {
            return HTTPResponse.text("404 Not Found\n", status: .notFound)
        }
        var response =
            request.headers["If-None-Match"] == asset.etag
            ? HTTPResponse(status: .notModified) : HTTPResponse(contentType: asset.contentType, body: asset.bytes)
        response.headers.set("ETag", asset.etag)
        response.headers.set("Cache-Control", "private, max-age=86400")
        return response
    }
}
