// The answering pages behind a real HTTPS server on loopback, for what the browser
// tests (BrowserTests `answering`) found: the timeline names the new assignee, a draft
// kept across logins is offered as 下書きを開く, the editor's cursor starts in the body,
// and the reply button hides while someone else holds the lock.

import Foundation
import MadoguchiTestSupport
import Testing

@Suite(.blocksThreads) struct AnsweringPagesTests {
    /// The page, its CSRF token.
    private func page(_ web: WebFixture, _ target: String, sid: String) throws -> (text: String, csrf: String) {
        let response = try web.request("GET", target, cookies: ["__Host-sid": sid])
        try #require(response.status == 200, "GET \(target): \(response.status)")
        return (response.text, try #require(WebFixture.csrf(response.text)))
    }

    @Test("the timeline says whom an inquiry was assigned to, and that it was unassigned", .timeLimit(.minutes(1)))
    func assignmentNamesTheAssignee() throws {
        let web = try WebFixture()
        let sid = try #require(try web.login("yamada"))
        let inquiry = "/inquiries/\(web.filed.inquiryID)"
        let admin = try #require(
            try web.admin.instance.database.connection.rows("SELECT id FROM users WHERE login = 'admin'").first?
                .int64("id"))
        var (_, csrf) = try page(web, inquiry, sid: sid)
        let assigned = try web.request(
            "POST", inquiry + "/assign", cookies: ["__Host-sid": sid],
            form: [("csrf", csrf), ("assignee", "\(admin)"), ("expected", "none")])
        #expect(assigned.status == 303 && assigned.header("location") == inquiry)
        var text: String
        (text, csrf) = try page(web, inquiry, sid: sid)
        #expect(text.contains("<span>担当者を設定: 管理者</span>"))
        let unassigned = try web.request(
            "POST", inquiry + "/assign", cookies: ["__Host-sid": sid],
            form: [("csrf", csrf), ("assignee", "none"), ("expected", "\(admin)")])
        #expect(unassigned.status == 303)
        (text, _) = try page(web, inquiry, sid: sid)
        #expect(text.contains("<span>担当者を解除</span>"))
    }

    @Test(
        "a draft kept across logins is offered as 下書きを開く; the editor starts in the body", .timeLimit(.minutes(1)))
    func draftAcrossLogins() throws {
        let web = try WebFixture()
        var sid = try #require(try web.login("yamada"))
        let inquiry = "/inquiries/\(web.filed.inquiryID)"
        let (fresh, csrf) = try page(web, inquiry, sid: sid)
        #expect(fresh.contains("id=\"reply-start\" type=\"submit\">返信 (r)</button>"))
        let started = try web.request("POST", inquiry + "/reply", cookies: ["__Host-sid": sid], form: [("csrf", csrf)])
        let editor = try #require(started.header("location"))
        #expect(started.status == 303 && editor.hasPrefix("/replies/"))
        let (form, _) = try page(web, editor, sid: sid)
        #expect(form.contains("<textarea id=\"body\" name=\"body\" class=\"body-text\" required autofocus>"))
        // Logout releases the lock; the draft stays.
        let out = try web.request("POST", "/logout", cookies: ["__Host-sid": sid], form: [("csrf", csrf)])
        #expect(out.status == 303)
        sid = try #require(try web.login("yamada"))
        let (again, token) = try page(web, inquiry, sid: sid)
        #expect(again.contains("id=\"reply-start\" type=\"submit\">下書きを開く (r)</button>"))
        let reopened = try web.request(
            "POST", inquiry + "/reply", cookies: ["__Host-sid": sid], form: [("csrf", token)])
        #expect(reopened.header("location") == editor)
    }

    @Test(
        "an ISO-2022-JP mailbox: the editor names the characters it cannot carry, and 送信 is refused with a notice and audited",
        .timeLimit(.minutes(1)))
    func unencodableNamed() throws {
        let web = try WebFixture()
        try web.admin.instance.database.write { tx in
            try tx.run("UPDATE mailboxes SET reply_charset = 'iso-2022-jp', reply_from = 'support@example.com'")
        }
        let sid = try #require(try web.login("yamada"))
        let inquiry = "/inquiries/\(web.filed.inquiryID)"
        let (_, csrf) = try page(web, inquiry, sid: sid)
        let started = try web.request("POST", inquiry + "/reply", cookies: ["__Host-sid": sid], form: [("csrf", csrf)])
        let editor = try #require(started.header("location"))
        var (form, token) = try page(web, editor, sid: sid)
        #expect(!form.contains("id=\"unencodable\""))
        let version = try #require(
            form.range(of: #"name="version" value="(\d+)""#, options: .regularExpression).map {
                String(form[$0].dropFirst(22).dropLast())
            })
        let sent = try web.request(
            "POST", editor, cookies: ["__Host-sid": sid],
            form: [
                ("csrf", token), ("version", version), ("action", "send"), ("subject", "Re: お問い合わせ"),
                ("body", "𠮷野家の件です 😀"), ("status_after", "done"),
            ])
        #expect(sent.status == 303)
        let location = try #require(sent.header("location"))
        #expect(location.hasPrefix(editor) && location.contains("n=charset"))
        // The refusal is in the audit log, with the code the page shows.
        let refusal = try #require(try web.admin.audit().last { $0.string("action") == "change-refused" })
        #expect(refusal.string("result") == "failed")
        #expect(refusal.string("target") == editor)
        #expect(refusal.string("detail") == #"{"notice":"charset"}"#)
        (form, token) = try page(web, location, sid: sid)
        #expect(form.contains("ISO-2022-JP で送るため"))
        #expect(form.contains("「𠮷」(U+20BB7)") && form.contains("「😀」(U+1F600)"))
        // The draft kept the text and stays a draft.
        #expect(form.contains("𠮷野家の件です 😀</textarea>"))
    }

    @Test(
        "a colleague's lock from a session that expired unnoticed is released: the page offers 返信 again",
        .timeLimit(.minutes(1)))
    func expiredHolderReleased() throws {
        let web = try WebFixture()
        let yamada = try #require(try web.login("yamada"))
        let inquiry = "/inquiries/\(web.filed.inquiryID)"
        let (_, csrf) = try page(web, inquiry, sid: yamada)
        let started = try web.request(
            "POST", inquiry + "/reply", cookies: ["__Host-sid": yamada], form: [("csrf", csrf)])
        #expect(started.status == 303)
        let admin = try #require(try web.login("admin"))
        var (text, _) = try page(web, inquiry, sid: admin)
        #expect(text.contains("山田 花子"))
        #expect(!text.contains("id=\"reply-start\""))
        // 山田's browser was closed an hour ago; expire-sessions has not run yet.
        try web.admin.instance.database.write { tx in
            try tx.run(
                """
                UPDATE sessions SET created_at = created_at - 3600, last_seen_at = last_seen_at - 3600
                WHERE user_id = (SELECT id FROM users WHERE login = 'yamada')
                """)
        }
        (text, _) = try page(web, inquiry, sid: admin)
        #expect(text.contains("id=\"reply-start\""))
        let lock = try web.admin.instance.database.connection.rows("SELECT count(*) AS n FROM inquiry_locks")
        #expect(lock.first?.int64("n") == 0)
        let ended = try web.admin.instance.database.connection.rows(
            "SELECT count(*) AS n FROM sessions WHERE user_id = (SELECT id FROM users WHERE login = 'yamada')")
        #expect(ended.first?.int64("n") == 0)
    }

    @Test(
        "the reply button hides while the poll reports another's lock; hidden wins over the stylesheet's display",
        .timeLimit(.minutes(1)))
    func replyButtonHidesUnderLock() throws {
        let web = try WebFixture()
        let script = try web.request("GET", "/static/app.js").text
        #expect(script.contains("start.form.hidden = text !== \"\";"))
        #expect(script.contains("if (reply && !(reply.form && reply.form.hidden)) { reply.click();"))
        let css = try web.request("GET", "/static/app.css").text
        #expect(css.contains("[hidden] { display: none !important; }"))
    }
}
