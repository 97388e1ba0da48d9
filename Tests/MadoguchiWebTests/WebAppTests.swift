// WebApp behind a real HTTPS server on loopback: every page needs a session (a GET
// goes to the login page, a POST is refused), login sets a new __Host- cookie and the
// one failure text is the same for an unknown login and a wrong password, the CSRF
// token and the Origin check guard every POST, a cookie from another address finds
// no session (E3), logout ends the session, permissions are checked by the router,
// every response carries the security fields, and the mail frame and downloads get
// their own policies. Unknown ids are one 404.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiHTTP
import MadoguchiInbox
import MadoguchiTestSupport
import Testing

@testable import MadoguchiWeb

/// A running instance with its page, two users and one filed inquiry.
final class WebFixture {
    let admin: AdminCommandFixture
    let certificates: TestCertificates
    let server: HTTPServer
    let app: WebApp
    let filed: FiledSample
    static let password = "Correct-Horse-Battery-1"

    init() throws {
        admin = try AdminCommandFixture(extraConfiguration: "password_hash_cost = 10\n")
        certificates = try TestCertificates()
        let hasher = try PasswordHasher(configuration: admin.configuration)
        let users = Users(database: admin.instance.database, hasher: hasher)
        let cli = AccessActor(actor: "cli:test")
        try users.add(login: "yamada", displayName: "山田 花子", role: "operator", password: Self.password, by: cli, now: 0)
        try users.add(
            login: "admin", displayName: "管理者", role: "administrator", password: Self.password, by: cli, now: 0)
        filed = try admin.file(subject: "<script>alert(1)</script>請求書")
        let app = try WebApp(
            configuration: admin.configuration, settings: WebSettings(baseURL: "https://127.0.0.1"),
            log: Log(program: "web-test"))
        self.app = app
        server = try HTTPServer.fixture(
            certificates: certificates, responseFilter: WebApp.secure, handler: app.handle)
    }

    deinit { server.stop() }

    /// One request on a new connection; `cookies` are sent as they are.
    func request(
        _ method: String, _ target: String, cookies: [String: String] = [:], form: [(String, String)]? = nil,
        headers: [String] = [], source: String? = nil
    ) throws -> HTTPTestClient.Response {
        let client = try HTTPTestClient.connect(port: server.port, source: source, caFile: certificates.caFile)
        defer { client.close() }
        var lines = ["\(method) \(target) HTTP/1.1", "Host: 127.0.0.1", "Connection: close"] + headers
        if !cookies.isEmpty { lines.append("Cookie: " + cookies.map { "\($0)=\($1)" }.joined(separator: "; ")) }
        var body = ""
        if let form {
            body = form.map { URLQuery.encode($0) + "=" + URLQuery.encode($1) }.joined(separator: "&")
            lines += ["Content-Type: application/x-www-form-urlencoded", "Content-Length: \(body.utf8.count)"]
        }
        try client.send(lines.joined(separator: "\r\n") + "\r\n\r\n" + body)
        return try #require(try client.readResponse())
    }

    /// The value a Set-Cookie of `name` gives, from every Set-Cookie field.
    static func cookie(_ name: String, in response: HTTPTestClient.Response) -> String? {
        for (field, value) in response.headers where field == "set-cookie" {
            if value.hasPrefix(name + "=") { return String(value.dropFirst(name.count + 1).prefix { $0 != ";" }) }
        }
        return nil
    }

    /// The CSRF token of a form in a page.
    static func csrf(_ page: String) -> String? {
        guard let range = page.range(of: "name=\"csrf\" value=\"") else { return nil }
        return String(page[range.upperBound...].prefix { $0 != "\"" })
    }

    /// Logs in; returns the session cookie.
    func login(_ login: String, password: String = WebFixture.password) throws -> String? {
        let form = try request("GET", "/login")
        let pre = try #require(Self.cookie("__Host-pre", in: form))
        let response = try request(
            "POST", "/login", cookies: ["__Host-pre": pre],
            form: [("csrf", Self.csrf(form.text) ?? ""), ("login", login), ("password", password)])
        return Self.cookie("__Host-sid", in: response)
    }
}

@Suite(.blocksThreads) struct WebAppTests {
    @Test("without a session a page redirects to the login page and a POST is refused", .timeLimit(.minutes(1)))
    func needsSession() throws {
        let web = try WebFixture()
        let inbox = try web.request("GET", "/")
        #expect(inbox.status == 303 && inbox.header("location") == "/login")
        #expect(try web.request("GET", "/inquiries/\(web.filed.inquiryID)").status == 303)
        #expect(try web.request("POST", "/logout", form: [("csrf", "x")]).status == 403)
        // A token in the query string is never a session (E2).
        #expect(try web.request("GET", "/?sid=abc").status == 303)
        let login = try web.request("GET", "/login")
        #expect(login.status == 200 && login.header("content-type") == "text/html; charset=utf-8")
        let pre = try #require(login.headers.first { $0.name == "set-cookie" }?.value)
        #expect(pre.contains("; Path=/; Secure; HttpOnly; SameSite=Strict"))
    }

    @Test(
        "login: a new __Host- cookie; unknown login and wrong password get one answer; CSRF and Origin guard it",
        .timeLimit(.minutes(1)))
    func login() throws {
        let web = try WebFixture()
        let sid = try #require(try web.login("yamada"))
        #expect(sid.count == 43)
        let page = try web.request("GET", "/", cookies: ["__Host-sid": sid])
        #expect(page.status == 200)
        #expect(page.text.contains("山田 花子 (yamada)") && page.text.contains("初回ログイン"))
        #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;請求書") && !page.text.contains("<script>alert"))

        let wrong = try web.request("GET", "/login")
        let pre = try #require(WebFixture.cookie("__Host-pre", in: wrong))
        func attempt(_ login: String, _ password: String, csrf: String? = nil, headers: [String] = []) throws
            -> HTTPTestClient.Response
        {
            try web.request(
                "POST", "/login", cookies: ["__Host-pre": pre],
                form: [("csrf", csrf ?? WebFixture.csrf(wrong.text) ?? ""), ("login", login), ("password", password)],
                headers: headers)
        }
        let badPassword = try attempt("yamada", "Wrong-Password-123")
        let unknown = try attempt("nobody", "Wrong-Password-123")
        #expect(badPassword.status == 200 && unknown.status == 200)
        #expect(badPassword.text.contains("ログイン名またはパスワードが違います"))
        #expect(unknown.text.contains("ログイン名またはパスワードが違います"))
        #expect(WebFixture.cookie("__Host-sid", in: badPassword) == nil)
        // The right password with a forged token, or from another origin, logs nobody in.
        #expect(WebFixture.cookie("__Host-sid", in: try attempt("yamada", WebFixture.password, csrf: "forged")) == nil)
        let crossSite = try attempt("yamada", WebFixture.password, headers: ["Origin: https://evil.example"])
        #expect(WebFixture.cookie("__Host-sid", in: crossSite) == nil)
    }

    @Test("CSRF and Origin on POST; logout ends the session; another address finds none (E3)", .timeLimit(.minutes(1)))
    func postsAndLogout() throws {
        let web = try WebFixture()
        let sid = try #require(try web.login("yamada"))
        let page = try web.request("GET", "/", cookies: ["__Host-sid": sid])
        let token = try #require(WebFixture.csrf(page.text))
        #expect(try web.request("POST", "/logout", cookies: ["__Host-sid": sid], form: [("csrf", "no")]).status == 403)
        #expect(
            try web.request(
                "POST", "/logout", cookies: ["__Host-sid": sid], form: [("csrf", token)], headers: ["Origin: null"]
            ).status == 403)
        #expect(try web.request("GET", "/", cookies: ["__Host-sid": sid], source: "127.0.0.2").status == 303)
        let out = try web.request("POST", "/logout", cookies: ["__Host-sid": sid], form: [("csrf", token)])
        #expect(out.status == 303 && out.header("location") == "/login")
        #expect(try web.request("GET", "/", cookies: ["__Host-sid": sid]).status == 303)
        let actions = try web.admin.audit().compactMap { $0.string("action") }
        #expect(actions.contains("login") && actions.contains("logout"))
        // The refused POSTs were audited as such (F1).
        let refused = try web.admin.audit().filter { $0.string("action") == "access-denied" }
        #expect(refused.count == 2 && refused.allSatisfy { $0.string("result") == "denied" })
        #expect(refused.first?.string("detail") == #"{"reason":"csrf"}"#)
    }

    @Test(
        "security fields everywhere; the mail frame and downloads have their own policy; unknown ids are 404",
        .timeLimit(.minutes(1)))
    func headersAndPermissions() throws {
        let web = try WebFixture()
        let sid = try #require(try web.login("yamada"))
        let cookies = ["__Host-sid": sid]
        let inquiry = try web.request("GET", "/inquiries/\(web.filed.inquiryID)", cookies: cookies)
        #expect(inquiry.status == 200)
        for field in [
            "Strict-Transport-Security", "X-Content-Type-Options", "Referrer-Policy", "Content-Security-Policy",
        ] {
            #expect(inquiry.header(field.lowercased()) != nil, "\(field)")
        }
        #expect(inquiry.header("cache-control") == "no-store" && inquiry.header("x-frame-options") == "DENY")
        #expect(inquiry.header("content-security-policy")?.contains("script-src 'self'") == true)
        #expect(inquiry.header("server") == nil)
        #expect(try web.request("GET", "/inquiries/999999", cookies: cookies).status == 404)
        #expect(try web.request("GET", "/inquiries/01", cookies: cookies).status == 404)
        #expect(try web.request("GET", "/messages/999999/html", cookies: cookies).status == 404)
        #expect(try web.request("GET", "/attachments/999999", cookies: cookies).status == 404)
        // An operator has no quarantine; an administrator does.
        #expect(try web.request("GET", "/quarantine", cookies: cookies).status == 403)
        let denied = try web.admin.audit().filter { $0.string("action") == "access-denied" }
        #expect(denied.count == 1 && denied.first?.string("target") == "/quarantine")
        #expect(denied.first?.string("detail") == #"{"permission":"view_quarantine"}"#)
        let admin = try #require(try web.login("admin"))
        #expect(try web.request("GET", "/quarantine", cookies: ["__Host-sid": admin]).status == 200)
        // Other methods, and POST where only GET exists.
        #expect(try web.request("PUT", "/", cookies: cookies).status == 405)
        #expect(try web.request("POST", "/", cookies: cookies, form: [("csrf", "x")]).status == 405)
        let css = try web.request("GET", "/static/app.css")
        #expect(css.status == 200 && css.header("content-type") == "text/css; charset=utf-8")
        #expect(css.header("cache-control")?.contains("max-age") == true)
        #expect(try web.request("GET", "/static/../etc/passwd").status != 200)
        // Viewing the inquiry was audited with the session's reference and address.
        let views = try web.admin.audit().filter { $0.string("action") == "inquiry-view" }
        #expect(
            views.count == 1 && views.first?.string("src_ip") == "127.0.0.1"
                && views.first?.string("session_ref") != nil)
    }

    @Test(
        "searches borrow from connections of their own: with all of them busy, pages still answer",
        .timeLimit(.minutes(1)))
    func searchesHaveTheirOwnPool() throws {
        nonisolated(unsafe) let web = try WebFixture()
        let sid = try #require(try web.login("yamada"))
        let held = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        let connections = web.app.searchPool.size
        for _ in 0..<connections {
            done.enter()
            Thread {
                web.app.searchPool.with { _ in
                    held.signal()
                    release.wait()
                }
                done.leave()
            }.start()
        }
        for _ in 0..<connections { #expect(held.wait(timeout: .now() + 20) == .success) }
        #expect(try web.request("GET", "/", cookies: ["__Host-sid": sid]).status == 200)
        #expect(try web.request("GET", "/inquiries/\(web.filed.inquiryID)", cookies: ["__Host-sid": sid]).status == 200)
        // A search waits for a search connection, then answers.
        let lock = NSLock()
        nonisolated(unsafe) var searched = 0
        done.enter()
        Thread {
            let status = (try? web.request("GET", "/?q=%E8%AB%8B%E6%B1%82%E6%9B%B8", cookies: ["__Host-sid": sid]))?
                .status
            lock.withLock { searched = status ?? -1 }
            done.leave()
        }.start()
        Thread.sleep(forTimeInterval: 0.3)
        #expect(lock.withLock { searched } == 0)
        for _ in 0..<connections { release.signal() }
        #expect(done.wait(timeout: .now() + 30) == .success)
        #expect(searched == 200)
    }

    @Test("links: /go shows only destinations this server signed", .timeLimit(.minutes(1)))
    func links() throws {
        let web = try WebFixture()
        let sid = try #require(try web.login("yamada"))
        #expect(
            try web.request("GET", "/go?u=https%3A%2F%2Fevil.example&s=00", cookies: ["__Host-sid": sid]).status == 404)
    }

    @Test(
        "a search page decrypts the candidates of the inquiries it shows, not every candidate; the next page follows",
        .timeLimit(.minutes(1)))
    func searchPage() throws {
        let web = try WebFixture()
        for number in 1...80 {
            try web.admin.file(subject: "請求書 \(number)", received: AdminCommandFixture.nine + Int64(number) * 60)
        }
        let sid = try #require(try web.login("yamada"))
        let first = try web.request("GET", "/?q=%E8%AB%8B%E6%B1%82%E6%9B%B8", cookies: ["__Host-sid": sid])
        #expect(first.status == 200 && first.text.contains("請求書 80") && !first.text.contains("請求書 30<"))
        let searches = try web.admin.audit().filter { $0.string("action") == "search" }
        // 50 shown and one more to know there is a next page, of 81 candidates.
        #expect(
            searches.last?.string("detail")
                == #"{"candidates":51,"limited":1,"messages":51,"results":50,"terms":2,"truncated":0}"#)
        let more = try #require(first.text.range(of: #"href="/\?q=[^"]*after=[0-9-]+""#, options: .regularExpression))
        let link = first.text[more].dropFirst(6).dropLast().replacingOccurrences(of: "&amp;", with: "&")
        let second = try web.request("GET", link, cookies: ["__Host-sid": sid])
        #expect(second.status == 200 && second.text.contains("請求書 30<") && second.text.contains("&lt;script&gt;"))
        #expect(!second.text.contains("請求書 31<"))
    }
}
