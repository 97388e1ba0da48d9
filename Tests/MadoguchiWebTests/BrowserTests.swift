// BrowserTests: the operator page in a real headless Chromium (chromedriver, WebDriver),
// driven by Tests/Browser/operator_page.py against the built `madoguchi-web` binary.
// The scene: one instance, an operator and an administrator, Japanese inquiries filed
// through the real parser (a thread with an attachment, an HTML part with remote
// images) and the XSS payloads of madoguchi-security(7) A1–A8 in subjects, sender
// names and HTML bodies, each calling a loopback listener the script runs. A second
// instance with `session_idle_timeout = 1m` and its own server is there for auto-logout.
// The answering test adds a second operator, mailbox reply settings (From, signature,
// approval for sales), a real clamd for reply attachments and `send_delay = 5s`, and
// runs Tests/Browser/answering.py: two operators in two browsers, the lock, the editor,
// undo, take-over and approval. Screenshots go to .build/test-output/screenshots/.

import Foundation
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite(.blocksThreads, .serialized) struct BrowserTests {
    @Test(
        "headless Chromium: login, inbox, filters, search, inquiry, download, HTML frame, logout, auto-logout, XSS, CSP, axe",
        .timeLimit(.minutes(5)))
    func operatorPage() throws {
        try BrowserTools.check()
        let scene = try BrowserScene()
        let output = try BrowserTools.screenshots()
        let main = try scene.startServer(name: "main", instance: scene.admin)
        defer { main.process.terminate() }
        let idle = try scene.startServer(name: "idle", instance: scene.idle)
        defer { idle.process.terminate() }
        try scene.writeDescription(mainPort: main.port, idlePort: idle.port)

        try BrowserTools.runScript(
            "operator_page.py", description: scene.descriptionFile, home: scene.home, output: output,
            servers: [main, idle], timeout: 240)
    }

    @Test(
        "two headless Chromium operators: presence, the reply lock, templates, scanned attachments, drafts across logins, undo, take-over, approval, XSS in the quote",
        .timeLimit(.minutes(5)))
    func answering() throws {
        try BrowserTools.check()
        let clamdDirectory = try TemporaryDirectory()
        let clamd = try ClamdServer.start(in: clamdDirectory)
        defer { clamd.stop() }
        let scene = try BrowserScene(answering: true)
        let output = try BrowserTools.screenshots()
        let main = try scene.startServer(
            name: "answering", instance: scene.admin,
            extraConfiguration: "clamd_address = \(clamd.address)\nsend_delay = \(BrowserScene.sendDelay)s\n")
        defer { main.process.terminate() }
        try scene.writeDescription(mainPort: main.port, idlePort: 0)
        try BrowserTools.runScript(
            "answering.py", description: scene.descriptionFile, home: scene.home, output: output, servers: [main],
            timeout: 240)
    }
}

/// The instance the browser looks at.
private final class BrowserScene {
    let admin: AdminCommandFixture
    /// A second instance with `session_idle_timeout = 1m` (its own server; one server per instance).
    let idle: AdminCommandFixture
    let filer: Filer
    let home: String
    let descriptionFile: String
    let listenerPort: UInt16
    let now = Int64(Date().timeIntervalSince1970)
    static let password = "Browser-Test-Passw0rd"
    /// The undo window of the answering test, in seconds.
    static let sendDelay = 5
    /// The support mailbox's signature in the answering test.
    static let signature = "--\nサンプル株式会社 サポート窓口\nsupport@example.com"
    /// What the answering script needs: inquiries to work, the customer, the files.
    private var answering: [String: Any] = [:]
    private var inquiries: [[String: Any]] = []
    private var attachment: [String: Any] = [:]
    private var htmlMessage: [String: Any] = [:]
    private var xss: [[String: Any]] = []
    private var search: [String: Any] = [:]
    private var markers = 0
    private var count = 0

    /// The scene; `answering` adds the second operator and the mailboxes' reply settings.
    init(answering: Bool = false) throws {
        admin = try AdminCommandFixture(extraConfiguration: "password_hash_cost = 10\n")
        home = admin.directory.file("home")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        descriptionFile = admin.directory.file("scene.json")
        listenerPort = try FakeServer.freePort()
        filer = Filer(database: admin.instance.database, keys: admin.instance.keys, log: Log(program: "browser-test"))
        let hasher = try PasswordHasher(configuration: admin.configuration)
        let users = Users(database: admin.instance.database, hasher: hasher)
        let cli = AccessActor(actor: "cli:test")
        idle = try AdminCommandFixture(extraConfiguration: "password_hash_cost = 10\nsession_idle_timeout = 1m\n")
        _ = try Users(database: idle.instance.database, hasher: try PasswordHasher(configuration: idle.configuration))
            .add(
                login: "kanri", displayName: "管理 太郎", role: "administrator", password: Self.password, by: cli, now: now)
        let operatorID = try users.add(
            login: "yamada", displayName: "山田 花子", role: "operator", password: Self.password, by: cli, now: now
        ).id
        _ = try users.add(
            login: "kanri", displayName: "管理 太郎", role: "administrator", password: Self.password, by: cli, now: now)
        try admin.instance.database.write { tx in
            for mailbox in ["support", "sales"] { try Mailboxes.create(mailbox, in: tx, now: now) }
        }
        try fileInquiries(operatorID: operatorID)
        try fileHostile()
        if answering {
            _ = try users.add(
                login: "nakamura", displayName: "中村 大輔", role: "operator", password: Self.password, by: cli, now: now)
            try admin.instance.database.write { tx in
                let ids = try tx.rows("SELECT id, name FROM mailboxes").reduce(into: [String: Int64]()) {
                    $0[$1.string("name") ?? ""] = $1.int64("id")
                }
                _ = try Mailboxes.setReplySettings(
                    mailbox: ids["support"] ?? 0,
                    .init(
                        fromAddress: "support@example.com", fromName: "サンプル株式会社 サポート",
                        signature: .some(Self.signature)),
                    now: now, in: tx)
                _ = try Mailboxes.setReplySettings(
                    mailbox: ids["sales"] ?? 0, .init(approvalRequired: true, fromAddress: "sales@example.com"),
                    now: now, in: tx)
            }
            self.answering["send_delay"] = Self.sendDelay
            self.answering["signature"] = Self.signature
            self.answering["eicar_base64"] = Data(ClamdSamples.eicar).base64EncodedString()
        }
    }

    /// The ordinary inquiries: a thread with an attachment, one per status, two mailboxes.
    private func fileInquiries(operatorID: Int64) throws {
        let customer = "=?UTF-8?B?\(Self.base64("佐藤 一郎"))?= <sato.ichiro@example.co.jp>"
        let data = Array("%PDF-1.4\n見積書 (テスト)\n%%EOF\n".utf8)
        let first = try file(
            SceneMail(
                from: customer, subject: "【至急】請求書の再発行をお願いします", messageID: "<req-1@example.co.jp>",
                text: "いつもお世話になっております。株式会社サンプル商事の佐藤です。\n先月の請求書（INV-2026-0042）の宛名を変更して再発行していただけますか。\n見積書を添付します。",
                attachment: ("見積書_サンプル商事.pdf", "application/pdf", data)),
            at: now - 3 * 3600)
        let thread = try file(
            SceneMail(
                from: customer, subject: "Re: 【至急】請求書の再発行をお願いします", messageID: "<req-2@example.co.jp>",
                inReplyTo: "<req-1@example.co.jp>", text: "追記です。宛名は「株式会社サンプル商事 経理部」でお願いします。"),
            at: now - 2 * 3600)
        #expect(thread.inquiry == first.inquiry, "the follow-up joins the inquiry")
        try reply(to: first.inquiry, text: "佐藤様\nご連絡ありがとうございます。再発行した請求書を本日お送りいたします。", at: now - 3600)
        attachment = [
            "inquiry": first.inquiry, "name": "見積書_サンプル商事.pdf", "base64": Data(data).base64EncodedString(),
        ]
        search = ["query": "再発行", "inquiries": [first.inquiry]]
        answering["thread"] = [
            "inquiry": first.inquiry, "customer": "佐藤 一郎", "quoted": "> 追記です。宛名は「株式会社サンプル商事 経理部」でお願いします。",
            "subject": "Re: 【至急】請求書の再発行をお願いします",
        ]
        record(first.inquiry, "【至急】請求書の再発行をお願いします", status: "new", mailbox: "support")

        let delivery = try file(
            SceneMail(
                from: "=?UTF-8?B?\(Self.base64("鈴木 美咲"))?= <suzuki@example.jp>", subject: "納期について",
                messageID: "<d-1@example.jp>", text: "先日注文した商品の納期を教えてください。"),
            at: now - 26 * 3600, mailbox: "sales")
        try set(delivery.inquiry, status: "in_progress", assignee: operatorID)
        record(delivery.inquiry, "納期について", status: "in_progress", mailbox: "sales", assignee: "yamada")
        answering["approval"] = ["inquiry": delivery.inquiry, "customer": "鈴木 美咲"]

        let quote = try file(
            SceneMail(
                from: "=?UTF-8?B?\(Self.base64("田中 健"))?= <tanaka@example.com>", subject: "見積もりのお願い",
                messageID: "<q-1@example.com>", text: "業務用プランの見積もりをお願いします。"),
            at: now - 5 * 3600, mailbox: "sales")
        try set(quote.inquiry, status: "awaiting_approval", assignee: nil)
        record(quote.inquiry, "見積もりのお願い", status: "awaiting_approval", mailbox: "sales")

        let done = try file(
            SceneMail(
                from: "<ito@example.org>", subject: "ログインできません", messageID: "<l-1@example.org>",
                text: "パスワードを忘れてしまいました。"),
            at: now - 50 * 3600)
        try set(done.inquiry, status: "done", assignee: operatorID)
        record(done.inquiry, "ログインできません", status: "done", mailbox: "support", assignee: "yamada")

        let pixel = "http://127.0.0.1:\(listenerPort)"
        let newsletter = try file(
            SceneMail(
                from: "=?UTF-8?B?\(Self.base64("高橋 商店"))?= <info@takahashi.example>",
                subject: "新製品カタログ送付のお願い", messageID: "<n-1@takahashi.example>",
                text: "新製品カタログ（PDF）をお送りいただけますでしょうか。",
                html: """
                    <div style="font-family: sans-serif; color: #333">
                    <h2>新製品カタログ送付のお願い</h2>
                    <p>いつもお世話になっております。高橋商店の高橋です。</p>
                    <p><img src="\(pixel)/pixel.gif" width="1" height="1" alt=""></p>
                    <table background="\(pixel)/table-bg.gif"><tr><td style="background: url(\(pixel)/bg.gif)">新製品カタログ（PDF）をお送りいただけますでしょうか。</td></tr></table>
                    <p>詳細は <a href="https://takahashi.example/catalog">弊社サイト</a> をご覧ください。</p>
                    <img srcset="\(pixel)/srcset.png 2x" alt="logo"><video poster="\(pixel)/poster.png"></video>
                    <style>@import url(\(pixel)/import.css); p { background: url(\(pixel)/style-bg.gif) }</style>
                    <link rel="stylesheet" href="\(pixel)/style.css">
                    </div>
                    """),
            at: now - 40 * 60)
        htmlMessage = ["inquiry": newsletter.inquiry, "message": newsletter.message, "text": "高橋商店の高橋です"]
        record(newsletter.inquiry, "新製品カタログ送付のお願い", status: "new", mailbox: "support")
        answering["take_over"] = ["inquiry": newsletter.inquiry]
    }

    /// The XSS payloads of madoguchi-security(7) A1–A8, each calling the listener
    /// (`/xss-<n>`) and alert(); subjects and names carry A8, HTML bodies A1–A7.
    private func fileHostile() throws {
        let base = "http://127.0.0.1:\(listenerPort)"
        var next = 0
        func js() -> String {
            next += 1
            return "fetch('\(base)/xss-\(next)');alert(\(next))"
        }
        let subjects: [(String, String)] = [
            ("A8", "<script>\(js())</script>請求書"),
            ("A8", "\"><img src=x onerror=\(js())>見積"),
            ("A8", "'><svg onload=\(js())>納品"),
            ("A8", "=?UTF-8?B?\(Self.base64("<img src=x onerror=\(js())>お問い合わせ"))?="),
            ("A8", "</title><script>\(js())</script>"),
            ("A8", "<iframe src=\"javascript:\(js())\"></iframe>"),
            ("A8", "<a href=\"javascript:\(js())\">リンク</a>"),
        ]
        let names: [String] = [
            "\"<img src=x onerror=\(js())>\" <a1@attacker.example>",
            "=?UTF-8?B?\(Self.base64("<script>\(js())</script>"))?= <a2@attacker.example>",
            "\"\\\"><svg onload=\(js())>\" <a3@attacker.example>",
        ]
        let a1 = """
            <p>A1</p><script>\(js())</script><img src=x onerror="\(js())"><body onload="\(js())">
            <details open ontoggle="\(js())"><summary>詳細</summary></details><svg onload="\(js())"></svg>
            <p onclick="\(js())" onmouseover="\(js())">クリック</p><img src="x" onerror=\(js())>
            """
        let a2 = """
            <p>A2</p><a href="javascript:\(js())">j1</a> <a href="jav&#x09;ascript:\(js())">j2</a>
            <a href="&#106;avascript:\(js())">j3</a> <a href="JaVaScRiPt:\(js())">j4</a>
            <a href="vbscript:msgbox(1)">vb</a> <a href="data:text/html,&lt;script&gt;\(js())&lt;/script&gt;">data</a>
            <a href=" javascript:\(js())">sp</a> <a href="java\u{0}script:\(js())">nul</a>
            """
        let a3 = """
            <p>A3</p><math><mtext><table><mglyph><style><img src=x onerror="\(js())">
            <svg><p><style><img src=x onerror="\(js())"></style></svg>
            <noscript><p title="</noscript><img src=x onerror=\(js())>"></noscript>
            <form><math><mtext></form><form><mglyph><style></math><img src onerror="\(js())">
            <template><script>\(js())</script></template><p title="&lt;img src=x onerror=\(js())&gt;">attr</p>
            """
        let a4 = """
            <p>A4</p><img src="\(base)/xss-\(next + 1)-img"><div style="background-image: url('\(base)/xss-\(next + 1)-css')">bg</div>
            <img srcset="\(base)/xss-\(next + 1)-srcset 1x"><video poster="\(base)/xss-\(next + 1)-poster"></video>
            <table background="\(base)/xss-\(next + 1)-table"><tr><td>t</td></tr></table>
            <svg><filter><feImage href="\(base)/xss-\(next + 1)-feimage"/></filter></svg>
            <link rel="stylesheet" href="\(base)/xss-\(next + 1)-link"><style>@import '\(base)/xss-\(next + 1)-import';</style>
            """
        next += 1
        let a5 = """
            <p>A5</p><meta http-equiv="refresh" content="0;url=\(base)/xss-\(next + 1)-refresh">
            <base href="\(base)/xss-\(next + 1)-base/"><a href="relative">relative</a>
            <form action="\(base)/xss-\(next + 1)-form"><input name="q" value="x"><button>送信</button></form>
            <iframe srcdoc="<script>\(js())</script>"></iframe><object data="\(base)/xss-\(next + 1)-object"></object>
            <embed src="\(base)/xss-\(next + 1)-embed">
            """
        next += 1
        let a6 = "<p>A6</p><p title=\"x\">dangling</p><img src='\(base)/xss-\(next + 1)-dangling?"
        next += 1
        let a6Deep = "<p>A6 deep</p>" + String(repeating: "<div>", count: 10_000) + "<img src=x onerror=\(js())>"
        let line = String(repeating: "長い行のテキスト", count: 4_000)
        let a7 =
            "<p>A7</p>" + (0..<12).map { _ in "<p>\(line)<img src=x onerror=\(js())></p>" }.joined()
        let bodies: [(String, String)] = [
            ("A1", a1), ("A2", a2), ("A3", a3), ("A4", a4), ("A5", a5), ("A6", a6), ("A6", a6Deep), ("A7", a7),
        ]
        let total = max(subjects.count, names.count, bodies.count)
        for index in 0..<total {
            let subject = subjects[index % subjects.count]
            let body = index < bodies.count ? bodies[index] : nil
            let from = index < names.count ? names[index] : "<customer\(index)@example.net>"
            let filed = try file(
                SceneMail(
                    from: from, subject: subject.1, messageID: "<xss-\(index)@attacker.example>",
                    text: "XSS テスト \(index)", html: body?.1,
                    attachment: index == 0 ? ("\"><img src=x onerror=\(js())>.pdf", "application/pdf", [0x25]) : nil),
                at: now - 3 * 86400 + Int64(index) * 60)
            xss.append([
                "inquiry": filed.inquiry, "message": filed.message, "html": body != nil,
                "cases": [subject.0, "A8"] + (body.map { [$0.0] } ?? []),
            ])
        }
        markers = next
    }

    /// Files one message through the real parser, as scan-and-file does.
    private func file(_ mail: SceneMail, at time: Int64, mailbox: String = "support") throws -> (
        inquiry: Int64, message: Int64
    ) {
        count += 1
        let envelope = SpoolEnvelope(
            intakeID: "\(mailbox):browser-\(count)", mailbox: mailbox, source: "test", fetchedAt: time,
            size: mail.raw.count)
        switch try filer.file(envelope: envelope, raw: mail.raw, now: Date(timeIntervalSince1970: Double(time))) {
        case .filed(let inquiry, let message), .malformed(let inquiry, let message, _): return (inquiry, message)
        case .duplicate: throw TestToolError("\(mail.subject) filed twice")
        }
    }

    /// Our reply in the thread (answering is the next issue; written as it will be stored).
    private func reply(to inquiry: Int64, text: String, at time: Int64) throws {
        try admin.instance.database.write { tx in
            let mailbox = try tx.rows("SELECT mailbox_id FROM inquiries WHERE id = ?", [.integer(inquiry)]).first?
                .int64("mailbox_id")
            var message = RowValues()
            message.set("inquiry_id", .integer(inquiry))
            message.set("mailbox_id", .integer(mailbox ?? 0))
            message.set("intake_id", .text("reply-\(inquiry)"))
            message.set("direction", "out")
            message.set("received_at", .integer(time))
            message.set("size", .int(text.utf8.count))
            message.seal("subject_enc", "Re: 【至急】請求書の再発行をお願いします")
            message.seal("from_name_enc", "山田 花子")
            message.seal("from_addr_enc", "support@example.com")
            message.seal("text_body_enc", text)
            try tx.insert(into: "messages", message)
            try tx.run("UPDATE inquiries SET last_message_at = ? WHERE id = ?", [.integer(time), .integer(inquiry)])
        }
    }

    private func set(_ inquiry: Int64, status: String, assignee: Int64?) throws {
        try admin.instance.database.write { tx in
            try tx.run(
                "UPDATE inquiries SET status = ?, assignee_id = ? WHERE id = ?",
                [.text(status), assignee.map { .integer($0) } ?? .null, .integer(inquiry)])
        }
    }

    private func record(
        _ inquiry: Int64, _ subject: String, status: String, mailbox: String, assignee: String? = nil
    ) {
        inquiries.append([
            "id": inquiry, "subject": subject, "status": status, "mailbox": mailbox, "assignee": assignee ?? NSNull(),
        ])
    }

    /// Starts `madoguchi-web` for `instance` (its configuration plus `extraConfiguration`).
    func startServer(name: String, instance: AdminCommandFixture, extraConfiguration: String = "") throws
        -> BrowserTools.WebServer
    {
        try BrowserTools.startWeb(
            name: name, configuration: instance.layout.configurationFile, extraConfiguration: extraConfiguration,
            directory: instance.directory)
    }

    /// The scene as the script reads it.
    func writeDescription(mainPort: UInt16, idlePort: UInt16) throws {
        let description: [String: Any] = [
            "base_url": "https://127.0.0.1:\(mainPort)", "idle_base_url": "https://127.0.0.1:\(idlePort)",
            "idle_timeout": 60, "listener_port": Int(listenerPort),
            "operator": ["login": "yamada", "password": Self.password, "name": "山田 花子"],
            "administrator": ["login": "kanri", "password": Self.password, "name": "管理 太郎"],
            "inquiries": inquiries, "search": search, "attachment": attachment, "html": htmlMessage, "xss": xss,
            "xss_markers": markers,
            "second_operator": ["login": "nakamura", "password": Self.password, "name": "中村 大輔"],
            "answering": answering,
        ]
        let data = try JSONSerialization.data(withJSONObject: description, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: descriptionFile))
    }

    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
}

/// One RFC 5322 message of the scene: UTF-8 subject (encoded word unless it is one
/// already), text part, optional HTML part and attachment, all base64.
private struct SceneMail {
    var from: String
    var subject: String
    var messageID: String
    var inReplyTo: String?
    var text: String
    var html: String?
    var attachment: (name: String, type: String, data: [UInt8])?

    init(
        from: String, subject: String, messageID: String, inReplyTo: String? = nil, text: String,
        html: String? = nil, attachment: (name: String, type: String, data: [UInt8])? = nil
    ) {
        self.from = from
        self.subject = subject
        self.messageID = messageID
        self.inReplyTo = inReplyTo
        self.text = text
        self.html = html
        self.attachment = attachment
    }

    var raw: [UInt8] {
        func part(_ type: String, _ bytes: [UInt8], disposition: String? = nil) -> String {
            "Content-Type: \(type)\r\nContent-Transfer-Encoding: base64\r\n"
                + (disposition.map { "Content-Disposition: \($0)\r\n" } ?? "") + "\r\n"
                + Data(bytes).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn])
                + "\r\n"
        }
        let encodedSubject =
            subject.hasPrefix("=?") ? subject : "=?UTF-8?B?\(BrowserScene.base64(subject))?="
        var header =
            "From: \(from)\r\nTo: support@example.com\r\nSubject: \(encodedSubject)\r\nMessage-ID: \(messageID)\r\n"
            + "Date: Thu, 03 Dec 2026 09:00:00 +0900\r\nMIME-Version: 1.0\r\n"
        if let inReplyTo { header += "In-Reply-To: \(inReplyTo)\r\nReferences: \(inReplyTo)\r\n" }
        let text = part("text/plain; charset=UTF-8", Array(text.utf8))
        var body = text
        if let html {
            body =
                "Content-Type: multipart/alternative; boundary=\"alt-b\"\r\n\r\n--alt-b\r\n\(text)--alt-b\r\n"
                + part("text/html; charset=UTF-8", Array(html.utf8)) + "--alt-b--\r\n"
        }
        guard let attachment else { return Array((header + body).utf8) }
        let name = attachment.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
        let file = part(
            "\(attachment.type); name*=UTF-8''\(name)", attachment.data,
            disposition: "attachment; filename*=UTF-8''\(name)")
        return Array(
            (header + "Content-Type: multipart/mixed; boundary=\"mix-b\"\r\n\r\n--mix-b\r\n\(body)--mix-b\r\n\(file)"
                + "--mix-b--\r\n").utf8)
    }
}
