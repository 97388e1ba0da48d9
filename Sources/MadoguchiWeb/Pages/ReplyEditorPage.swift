// ReplyEditorPage: the reply editor — the recipient as the server filled it in (a
// pseudonym for an operator who may not see addresses), the subject with the inquiry's
// tag, a template to insert, the body with the quoted original and the signature, the
// files attached (each scanned before it was accepted), the status the inquiry takes
// once it is sent, and send (or ask for approval), save and discard. One form,
// `multipart/form-data`, so a file can be attached without losing the text; it works
// without script.

import MadoguchiInbox

/// The reply editor.
public struct ReplyEditorPage {
    /// The operator.
    public var context: PageContext
    /// The draft, with texts.
    public var reply: Reply
    /// The inquiry answered.
    public var inquiry: InboxEntry
    /// Whether the mailbox sends replies only after approval.
    public var needsApproval: Bool
    /// The templates the operator may insert.
    public var templates: [ReplyTemplate]
    /// A notice (what the last action did or why it was refused), or nil.
    public var notice: String?
    /// Largest file accepted, in bytes.
    public var attachmentMax: Int64
    /// The characters of the draft the mailbox's charset cannot carry (sending is
    /// refused while there are any).
    public var unencodable: [Character] = []

    /// Creates the page.
    public init(
        context: PageContext, reply: Reply, inquiry: InboxEntry, needsApproval: Bool, templates: [ReplyTemplate],
        notice: String? = nil, attachmentMax: Int64
    ) {
        self.context = context
        self.reply = reply
        self.inquiry = inquiry
        self.needsApproval = needsApproval
        self.templates = templates
        self.notice = notice
        self.attachmentMax = attachmentMax
    }

    /// The unencodable characters, each quoted with its code points.
    private var characters: HTML {
        HTML.each(unencodable) { character in
            let points = character.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }
            return "<span class=\"char\">「\(String(character))」(\(points.joined(separator: " ")))</span> "
        }
    }

    /// The whole document.
    public var html: HTML {
        let language = context.language
        let subject = inquiry.subject.flatMap { $0.isEmpty ? nil : $0 } ?? context.word(.noSubject)
        let customer = StatusLabel.customer(
            name: inquiry.customerName, address: inquiry.customerAddress, pseudonym: inquiry.customerPseudonym, language
        )
        let recipient = reply.recipientRevealed ? (reply.recipient ?? "—") : customer
        let statusAfter = Replies.StatusAfter(rawValue: reply.statusAfter) ?? .done
        let options = HTML.each(Replies.StatusAfter.allCases) { value in
            let word = StatusLabel.word(value.rawValue).text(language)
            return value == statusAfter
                ? "<option value=\"\(value.rawValue)\" selected>\(word)</option>"
                : "<option value=\"\(value.rawValue)\">\(word)</option>"
        }
        let templateRow: HTML =
            templates.isEmpty
            ? ""
            : """
            <div class="row"><label for="template">\(context.word(.template))</label>
            <select id="template" name="template">\(HTML.each(templates) { "<option value=\"\($0.id)\">\($0.name)</option>" })</select>
            <button class="secondary" type="submit" name="action" value="template" formnovalidate>\(context.word(.insertTemplate))</button></div>
            """
        let files = HTML.each(reply.attachments) { file in
            """
            <li>\(file.filename) <span class="sub">\(file.contentType) · \(InquiryPage.size(file.size, language))</span>
            <button class="link" type="submit" name="remove" value="\(file.id)" formnovalidate>\(context.word(.remove))</button></li>
            """
        }
        let send = needsApproval ? context.word(.eventApprovalRequested) : context.word(.send)
        return Layout.page(
            title: context.word(.replyEditor) + " — " + subject, context: context,
            main: """
                <p class="back"><a href="/inquiries/\(inquiry.id)" id="back">‹ #\(inquiry.id) \(subject)</a></p>
                <h1 class="title">\(context.word(.replyEditor))</h1>
                \(HTML.map(notice) { "<p class=\"note\" role=\"alert\">\($0)</p>" })
                \(HTML.when(!unencodable.isEmpty) { "<p class=\"note\" id=\"unencodable\">\(context.word(.unencodable)) \(characters)</p>" })
                \(HTML.map(reply.returnComment) { "<p class=\"note\">\(context.word(.returnComment)) (\(reply.returnedByName ?? "—")): \($0)</p>" })
                <form class="editor" method="post" action="/replies/\(reply.id)" enctype="multipart/form-data">
                <input type="hidden" name="csrf" value="\(context.csrfToken)">
                <input type="hidden" name="version" value="\(reply.version)">
                <p class="to"><span>\(context.word(.recipient)):</span> \(recipient)</p>
                <label for="subject">\(context.word(.subject))</label>
                <input type="text" id="subject" name="subject" value="\(reply.subject ?? "")" maxlength="500" required>
                \(templateRow)
                <label for="body">\(context.word(.templateBody))</label>
                <textarea id="body" name="body" class="body-text" required autofocus>
                \(reply.body ?? "")</textarea>
                <div class="attachments"><h3>\(context.word(.attachments))</h3>
                \(reply.attachments.isEmpty ? "" : "<ul>\(files)</ul>" as HTML)
                <label for="file">\(context.word(.addAttachment))</label>
                <input type="file" id="file" name="file"> <button class="secondary" type="submit" name="action" value="attach" formnovalidate>\(context.word(.addAttachment))</button>
                <span class="sub">≤ \(InquiryPage.size(Int(attachmentMax), language))</span></div>
                <div class="row"><label for="status-after">\(context.word(.statusAfterSend))</label>
                <select id="status-after" name="status_after">\(options)</select></div>
                <div class="buttons">
                <button class="primary" type="submit" name="action" value="send">\(send)</button>
                <button class="secondary" type="submit" name="action" value="save" formnovalidate>\(context.word(.saveDraft))</button>
                <button class="danger" type="submit" name="action" value="discard" formnovalidate>\(context.word(.discardDraft))</button>
                </div>
                </form>
                """)
    }
}
