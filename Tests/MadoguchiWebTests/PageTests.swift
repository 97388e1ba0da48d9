// Pages: the header on every page (name, login, previous login, failures since,
// countdown), the inbox list with hostile subjects and names escaped and customers
// masked unless revealed, paging links, the inquiry page's flags, frame and
// downloads, and no inline script or style anywhere (the CSP forbids them).

import Foundation
import MadoguchiInbox
import MadoguchiWeb
import Testing

@Suite struct PageTests {
    static let tokyo = DisplayTime(zoneName: "Asia/Tokyo")!
    static let now: Int64 = 1_796_175_720

    static func context(_ language: Language = .ja, failed: Int = 2) -> PageContext {
        PageContext(
            name: "山田 花子", login: "yamada",
            previousLogin: .init(time: now - 86400 + 3600, address: "192.168.1.24"), failedSince: failed,
            idleTimeout: 900, csrfToken: "tok-123", language: language, time: tokyo, now: now)
    }

    static let hostile = "<img src=x onerror=alert(1)>\"'&"

    static func text(_ html: HTML) -> String { String(decoding: html.bytes, as: UTF8.self) }

    /// No inline script, no inline style, no event handler attribute — and none of our
    /// own markup escaped by mistake (a template literal typed as a String).
    static func checkNoInline(_ page: String) {
        let own = try! NSRegularExpression(
            pattern: "&lt;/?(p|ul|li|span|div|aside|a|iframe|dl|article|main|nav)( |&gt;)")
        let whole = NSRange(page.startIndex..., in: page)
        #expect(!page.contains("HTML(bytes") && !page.contains("=&quot;"), "escaped markup")
        #expect(own.firstMatch(in: page, range: whole) == nil, "escaped markup")
        // Text escapes "<" and attribute values escape '"', so outside quoted values every
        // "<" is markup of our own templates: no event handler attribute there.
        let unquoted = page.replacingOccurrences(of: "\"[^\"]*\"", with: "\"\"", options: .regularExpression)
        let handler = try! NSRegularExpression(pattern: "<[^>]*\\son[a-z]+\\s*=")
        #expect(
            handler.firstMatch(in: unquoted, range: NSRange(unquoted.startIndex..., in: unquoted)) == nil,
            "event handler")
        let scripts = page.components(separatedBy: "<script").dropFirst()
        #expect(scripts.allSatisfy { $0.hasPrefix(" src=\"/static/app.js\" defer></script>") }, "inline script")
    }

    @Test(
        "the inbox: header, counts, escaped hostile text, masked customers, next-page link",
        arguments: Language.allCases)
    func inbox(language: Language) throws {
        let entries = [
            InboxEntry(
                id: 128, status: "new", subject: Self.hostile, customerPseudonym: "C-4F2K9Q", customerName: nil,
                customerAddress: nil, customerID: 1, mailbox: "support", assignee: nil, assigneeID: nil,
                lastMessageAt: Self.now - 7200, createdAt: Self.now - 7200, flags: []),
            InboxEntry(
                id: 127, status: "in_progress", subject: "見積もりのお願い", customerPseudonym: "C-9Q1C00",
                customerName: "山田商事", customerAddress: "info@yamada.example", customerID: 2, mailbox: "sales",
                assignee: Self.hostile, assigneeID: 3, lastMessageAt: Self.now - 90000, createdAt: 0, flags: []),
        ]
        let counts = InboxCounts(
            byStatus: ["new": 12, "in_progress": 5, "awaiting_approval": 2, "done": 340, "trash": 3],
            mailboxes: [.init(id: 1, name: "support", count: 15)])
        let view = InboxView(
            context: Self.context(language), selection: .init(status: "new", query: "請求 書"), counts: counts,
            entries: entries, next: entries.last?.cursor)
        let page = Self.text(view.html)
        Self.checkNoInline(page)
        // Two hours new: not yet amber at the default 4 h; red with limits of 1 h and 2 h.
        #expect(!page.contains("elapsed aging") && !page.contains("elapsed late"))
        var strict = view
        strict.context.elapsedLimits = (3600, 7200)
        #expect(Self.text(strict.html).contains("class=\"elapsed late\""))
        #expect(!page.contains(Self.hostile) && page.contains("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;"))
        #expect(page.contains("山田 花子 (yamada)"))
        #expect(page.contains("192.168.1.24") && page.contains("2026-12-01 11:42"))
        #expect(page.contains(language == .ja ? "ログイン失敗 2 回" : "Failed logins 2"))
        #expect(page.contains("data-idle=\"900\"") && page.contains("15:00"))
        #expect(page.contains(language == .ja ? "顧客-4F2K9Q" : "customer-4F2K9Q"))
        #expect(page.contains(language == .ja ? "山田商事 様" : "山田商事"))
        #expect(page.contains("<span class=\"count\">340</span>"))
        #expect(
            page.contains(
                "href=\"/?status=new&amp;q=%E8%AB%8B%E6%B1%82%20%E6%9B%B8&amp;after=\(Self.now - 90000)-127\""))
        #expect(page.contains("href=\"/inquiries/128\""))
        #expect(page.contains("name=\"csrf\" value=\"tok-123\""))
        #expect(page.contains(language == .ja ? "<html lang=\"ja\">" : "<html lang=\"en\">"))
    }

    @Test("the inbox list reads the same until the second it names and differently from then")
    func listValidity() throws {
        func entry(_ id: Int64, _ status: String, age: Int64) -> InboxEntry {
            InboxEntry(
                id: id, status: status, subject: "件名 \(id)", customerPseudonym: "C-AAAAAA", customerID: 1,
                mailbox: "support", lastMessageAt: Self.now - age, createdAt: Self.now - age, flags: [])
        }
        let selection = InboxView.Selection()
        func list(_ entries: [InboxEntry], at now: Int64) -> (String, Int64) {
            var context = Self.context()
            context.now = now
            let (html, until) = InboxView.list(entries, next: nil, selection: selection, context: context)
            return (Self.text(html), until)
        }
        // Two minutes and 50 s: the next minute in 10 s. A day-old done one changes later.
        let (text, until) = list([entry(2, "done", age: 90_000), entry(1, "in_progress", age: 170)], at: Self.now)
        #expect(until == Self.now + 10)
        #expect(list([entry(2, "done", age: 90_000), entry(1, "in_progress", age: 170)], at: until - 1).0 == text)
        #expect(list([entry(2, "done", age: 90_000), entry(1, "in_progress", age: 170)], at: until).0 != text)
        // A new inquiry 5 s short of the warning turns amber then, though its hours stay.
        let aging = [entry(3, "new", age: 4 * 3600 - 5)]
        let (young, soon) = list(aging, at: Self.now)
        #expect(soon == Self.now + 5 && !young.contains("elapsed aging"))
        #expect(list(aging, at: soon).0.contains("elapsed aging"))
        #expect(list([], at: Self.now).1 == .max)
    }

    @Test("the inquiry: flags said plainly, text by default, the HTML frame on request, downloads, related")
    func inquiry() throws {
        let entry = InboxEntry(
            id: 5, status: "new", subject: "件名", customerPseudonym: "C-AAAAAA", customerID: 1, mailbox: "support",
            lastMessageAt: Self.now, createdAt: Self.now, flags: [.senderOverflow])
        let message = InquiryThread.Message(
            id: 9, direction: "in", receivedAt: Self.now, subject: "件名", fromName: Self.hostile, fromAddress: nil,
            to: [], cc: [], replyTo: [], text: "本文 <b>not bold</b>\nline 2", hasHTML: true,
            flags: [.replyToDiffers, .internalSender, .autoSubmitted], malformedReason: nil,
            attachments: [.init(id: 3, filename: "../見積\"書.pdf", contentType: "application/pdf", size: 2048)])
        let thread = InquiryThread(inquiry: entry, claimedInquiryID: 4, messages: [message], related: [entry])
        let text = Self.text(InquiryPage(context: Self.context(), thread: thread).html)
        Self.checkNoInline(text)
        #expect(text.contains("本文 &lt;b&gt;not bold&lt;/b&gt;\nline 2"))
        #expect(!text.contains("<iframe") && text.contains("href=\"/inquiries/5?html=9#m9\""))
        for flag in ["返信先が差出人と異なります", "社内ドメインを名乗る差出人", "自動応答", "大量送信のためまとめました", "別の問い合わせの続きと称しています #4"] {
            #expect(text.contains(flag), "\(flag)")
        }
        #expect(text.contains("href=\"/attachments/3\" download>../見積&quot;書.pdf</a>") && text.contains("2 KB"))
        let framed = Self.text(
            InquiryPage(context: Self.context(), thread: thread, htmlMessage: 9, remoteBlocked: 2).html)
        #expect(
            framed.contains(
                "<iframe class=\"mail-html\" sandbox=\"allow-popups allow-popups-to-escape-sandbox\" src=\"/messages/9/html\" referrerpolicy=\"no-referrer\""
            ))
        #expect(framed.contains("外部画像をブロックしました (2)"))
    }

    @Test("login page: the one failure text, the idle notice, the token; the link interstitial shows the address")
    func loginAndLink() {
        let failed = Self.text(LoginPage.html(language: .ja, csrfToken: "t", notice: .failed, login: Self.hostile))
        Self.checkNoInline(failed)
        #expect(failed.contains("ログイン名またはパスワードが違います") && !failed.contains(Self.hostile))
        let idle = Self.text(LoginPage.html(language: .en, csrfToken: "t", notice: .idle))
        #expect(idle.contains("Logged out after inactivity") && idle.contains("autocomplete=\"current-password\""))
        let link = Self.text(MessagePage.link(to: "https://example.com/?a=1&b=\"x\"", language: .ja))
        #expect(link.contains("<code>https://example.com/?a=1&amp;b=&quot;x&quot;</code>"))
        #expect(link.contains("rel=\"noopener noreferrer\""))
        #expect(StaticAssets.files["/static/app.css"]?.contentType == "text/css; charset=utf-8")
        #expect(
            StaticAssets.files["/static/app.js"].map {
                !String(decoding: $0.bytes, as: UTF8.self).contains("innerHTML")
            } == true)
    }
}
