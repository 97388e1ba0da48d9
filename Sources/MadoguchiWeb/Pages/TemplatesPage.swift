// TemplatesPage: the reply templates (定型文) for users with `manage_templates`: each
// one editable in place (name, subject, text) or deleted, and a form for a new one,
// global or for one mailbox; the placeholders are listed next to the text.

import MadoguchiInbox

/// The template manager.
public struct TemplatesPage {
    /// The operator.
    public var context: PageContext
    /// The templates.
    public var templates: [ReplyTemplate]
    /// The mailboxes.
    public var mailboxes: [Choice]
    /// A notice (the outcome of the last change), or nil.
    public var notice: String?

    /// Creates the page.
    public init(context: PageContext, templates: [ReplyTemplate], mailboxes: [Choice], notice: String? = nil) {
        self.context = context
        self.templates = templates
        self.mailboxes = mailboxes
        self.notice = notice
    }

    /// The whole document.
    public var html: HTML {
        let csrf: HTML = "<input type=\"hidden\" name=\"csrf\" value=\"\(context.csrfToken)\">"
        let existing = HTML.each(templates) { template in
            """
            <form class="editor" method="post" action="/templates/\(template.id)">\(csrf)
            <p class="sub">\(template.mailboxName ?? context.word(.allMailboxesTemplate))</p>
            <label for="name-\(template.id)">\(context.word(.templateName))</label>
            <input type="text" id="name-\(template.id)" name="name" value="\(template.name)" maxlength="100" required>
            <label for="subject-\(template.id)">\(context.word(.subject))</label>
            <input type="text" id="subject-\(template.id)" name="subject" value="\(template.subject ?? "")" maxlength="500">
            <label for="body-\(template.id)">\(context.word(.templateBody))</label>
            <textarea id="body-\(template.id)" name="body" rows="6" required>
            \(template.body)</textarea>
            <div class="buttons"><button class="primary" type="submit" name="action" value="save">\(context.word(.save))</button>
            <button class="danger" type="submit" name="action" value="delete" formnovalidate>\(context.word(.delete))</button></div>
            </form>
            """
        }
        let mailboxOptions = HTML.each(mailboxes) { "<option value=\"\($0.id)\">\($0.name)</option>" }
        return Layout.page(
            title: context.word(.templates), context: context,
            main: """
                <p class="back"><a href="/" id="back">\(context.word(.backToInbox))</a></p>
                <h1 class="title">\(context.word(.templates))</h1>
                \(HTML.map(notice) { "<p class=\"note\" role=\"alert\">\($0)</p>" })
                <p class="sub">\(context.word(.templatePlaceholders))</p>
                \(templates.isEmpty ? "<p class=\"empty\">\(context.word(.noTemplates))</p>" as HTML : existing)
                <h2 class="title">\(context.word(.newTemplate))</h2>
                <form class="editor" method="post" action="/templates">\(csrf)
                <label for="new-mailbox">\(context.word(.mailbox))</label>
                <select id="new-mailbox" name="mailbox"><option value="">\(context.word(.allMailboxesTemplate))</option>\(mailboxOptions)</select>
                <label for="new-name">\(context.word(.templateName))</label>
                <input type="text" id="new-name" name="name" maxlength="100" required>
                <label for="new-subject">\(context.word(.subject))</label>
                <input type="text" id="new-subject" name="subject" maxlength="500">
                <label for="new-body">\(context.word(.templateBody))</label>
                <textarea id="new-body" name="body" rows="6" required></textarea>
                <div class="buttons"><button class="primary" type="submit">\(context.word(.save))</button></div>
                </form>
                """)
    }
}
