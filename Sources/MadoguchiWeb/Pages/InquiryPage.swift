// InquiryPage: one inquiry — its subject, status, mailbox, assignee and customer at
// the top; the intake flags said plainly; the thread oldest first (customer mail and
// our replies), each message as text, its HTML part only on request inside a
// sandboxed frame from its own URL; attachments as downloads; the customer's other
// inquiries beside it.

import MadoguchiInbox
import MadoguchiMail

/// The inquiry page.
public struct InquiryPage {
    /// The operator.
    public var context: PageContext
    /// The inquiry and its thread.
    public var thread: InquiryThread
    /// The message whose HTML part is shown in its frame, or nil for text everywhere.
    public var htmlMessage: Int64?
    /// Remote references the sanitizer blocked in that HTML part.
    public var remoteBlocked: Int
    /// The working side (actions, timeline, replies), or nil for a read-only page.
    public var work: InquiryWorkView?
    /// The thread's markup as `timelineRendering` made it earlier (kept by the list
    /// cache), or nil to render it.
    public var renderedTimeline: HTML?

    /// Creates the page.
    public init(
        context: PageContext, thread: InquiryThread, htmlMessage: Int64? = nil, remoteBlocked: Int = 0,
        work: InquiryWorkView? = nil
    ) {
        self.context = context
        self.thread = thread
        self.htmlMessage = htmlMessage
        self.remoteBlocked = remoteBlocked
        self.work = work
    }

    /// The thread's markup, and the first second it could read differently (today's
    /// times becoming yesterday's). It shows the thread, the assignees' names, the
    /// message shown as HTML with its blocked count, and the language — nothing else
    /// of the page.
    public var timelineRendering: (output: HTML, validUntil: Int64) {
        (timeline, context.time.shortChanges(now: context.now))
    }

    /// The thread: messages and timeline events in time order (an event at the same
    /// second as a message comes after it).
    private var timeline: HTML {
        var items: [(at: Int64, order: Int, html: HTML)] = []
        for (index, item) in thread.messages.enumerated() {
            items.append((item.receivedAt, index * 2, message(for: item)))
        }
        let names = Dictionary(
            (work?.assignees ?? []).map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        for (index, event) in thread.events.enumerated() {
            items.append((event.at, index * 2 + 1, InquiryWorkView.event(event, context, names: names)))
        }
        items.sort { ($0.at, $0.order) < ($1.at, $1.order) }
        return HTML.each(items) { $0.html }
    }

    /// The whole document.
    public var html: HTML {
        let inquiry = thread.inquiry
        let language = context.language
        let subject = inquiry.subject.flatMap { $0.isEmpty ? nil : $0 } ?? context.word(.noSubject)
        let customer = StatusLabel.customer(
            name: inquiry.customerName, address: inquiry.customerAddress, pseudonym: inquiry.customerPseudonym, language
        )
        var flags: [String] = []
        if inquiry.flags.contains(.senderOverflow) { flags.append(context.word(.flagSenderOverflow)) }
        if let claimed = thread.claimedInquiryID { flags.append(context.word(.flagThreadClaim) + " #\(claimed)") }
        let related = HTML.each(thread.related) { entry in
            """
            <li><a href="/inquiries/\(entry.id)">\(entry.subject.flatMap { $0.isEmpty ? nil : $0 } ?? context.word(.noSubject))</a>
            <span class="sub">\(StatusLabel.badge(entry.status, language)) <time>\(context.time.short(entry.lastMessageAt, now: context.now, language: language))</time></span></li>
            """
        }
        let side: HTML = """
            <h2>\(context.word(.customerInquiries))</h2>
            \(thread.related.isEmpty ? "<p class=\"empty\">—</p>" as HTML : "<ul class=\"related\">\(related)</ul>")
            """
        return Layout.page(
            title: subject, context: context,
            main: """
                <p class="back"><a href="/" id="back">\(context.word(.backToInbox))</a></p>
                <article class="inquiry">
                <header class="head">
                <h1>\(subject) <span class="num">#\(inquiry.id)</span></h1>
                <dl class="facts">
                <div><dt>\(context.word(.status))</dt><dd>\(StatusLabel.badge(inquiry.status, language))</dd></div>
                <div><dt>\(context.word(.customer))</dt><dd>\(customer)</dd></div>
                <div><dt>\(context.word(.assignee))</dt><dd>\(inquiry.assignee ?? context.word(.assigneeUnassigned))</dd></div>
                <div><dt>\(context.word(.mailbox))</dt><dd>\(inquiry.mailbox)</dd></div>
                </dl>
                \(Self.flagList(flags))
                \(HTML.map(work) { $0.actions(thread, context) })
                </header>
                <section class="thread" aria-label="\(context.word(.thread))">
                \(renderedTimeline ?? timeline)
                \(HTML.map(work) { $0.pendingReplies(context) })
                </section>
                \(HTML.map(work) { $0.noteForm(inquiry.id, context) })
                </article>
                <aside class="related-panel">\(side)</aside>
                """)
    }

    /// One message of the thread.
    private func message(for message: InquiryThread.Message) -> HTML {
        let language = context.language
        var flags = Self.messageFlagWords.filter { message.flags.contains($0.0) }.map { context.word($0.1) }
        if message.malformedReason != nil { flags.append(context.word(.flagMalformed)) }
        let sender = [message.fromName, message.fromAddress.map { "<\($0)>" }].compactMap { $0 }.joined(separator: " ")
        let showing = htmlMessage == message.id && message.hasHTML
        let body: HTML =
            showing
            ? """
            \(HTML.when(remoteBlocked > 0) { "<p class=\"blocked\" role=\"status\">\(context.word(.remoteContentBlocked)) (\(remoteBlocked))</p>" })
            <iframe class="mail-html" sandbox="allow-popups allow-popups-to-escape-sandbox" src="/messages/\(message.id)/html" referrerpolicy="no-referrer" title="\(message.subject)"></iframe>
            """
            : "<div class=\"body\">\(message.text ?? "")</div>"
        let toggle: HTML =
            message.hasHTML
            ? (showing
                ? "<a class=\"toggle\" href=\"/inquiries/\(thread.inquiry.id)#m\(message.id)\">\(context.word(.showText))</a>"
                : "<a class=\"toggle\" href=\"/inquiries/\(thread.inquiry.id)?html=\(message.id)#m\(message.id)\">\(context.word(.showHTML))</a>")
            : ""
        let attachments: HTML =
            message.attachments.isEmpty
            ? ""
            : """
            <div class="attachments"><h3>\(context.word(.attachments))</h3><ul>\(HTML.each(message.attachments) { file in
                "<li><a href=\"/attachments/\(file.id)\" download>\(file.filename ?? "attachment.bin")</a> <span class=\"sub\">\(file.contentType) · \(Self.size(file.size, language))</span></li>"
            })</ul></div>
            """
        let recipients: HTML =
            message.to.isEmpty && message.cc.isEmpty && message.replyTo.isEmpty
            ? ""
            : """
            <dl class="recipients">\(Self.addressLine(context.word(.to), message.to))\(Self.addressLine(context.word(.cc), message.cc))\(Self.addressLine(context.word(.replyTo), message.replyTo))</dl>
            """
        return """
            <article class="message \(message.direction == "out" ? "ours" : "theirs")" id="m\(message.id)">
            <header><span class="from">\(sender.isEmpty ? "—" : sender)</span> <time title="\(context.time.full(message.receivedAt))">\(context.time.short(message.receivedAt, now: context.now, language: language))</time> \(toggle)</header>
            \(recipients)
            \(Self.flagList(flags))
            \(body)
            \(attachments)
            </article>
            """
    }

    /// The intake flags a message shows, in this order.
    private static let messageFlagWords: [(MessageFlags, Word)] = [
        (.autoSubmitted, .flagAutoReply), (.bounce, .flagBounce), (.list, .flagList),
        (.internalSender, .flagInternalSender), (.replyToDiffers, .flagReplyToDiffers),
        (.threadClaim, .flagThreadClaim),
    ]

    private static func flagList(_ flags: [String]) -> HTML {
        flags.isEmpty ? "" : "<ul class=\"flags\">\(HTML.each(flags) { "<li>\($0)</li>" })</ul>"
    }

    private static func addressLine(_ label: String, _ addresses: [MailAddress]) -> HTML {
        guard !addresses.isEmpty else { return "" }
        let text = addresses.map { address in
            address.name.map { "\($0) <\(address.address)>" } ?? address.address
        }.joined(separator: ", ")
        return "<div><dt>\(label)</dt><dd>\(text)</dd></div>"
    }

    /// `12 KB`-style sizes.
    static func size(_ bytes: Int, _ language: Language) -> String {
        if bytes < 1024 { return "\(bytes) " + Word.bytes.text(language) }
        if bytes < 1024 * 1024 { return "\((bytes + 512) / 1024) KB" }
        let tenths = bytes * 10 / (1024 * 1024)
        return "\(tenths / 10).\(tenths % 10) MB"
    }
}
