// Layout: the document around every page — the header that is always there (product
// name, search, the operator's name and login, log out; the previous login, failed
// attempts since, the auto-logout countdown) and the page's own content.
// No inline script or style: /static/app.css and /static/app.js only, so the CSP
// can forbid everything else.

/// The page frame.
public enum Layout {
    /// A complete document for a logged-in operator.
    /// - Parameters:
    ///   - title: the page title (escaped).
    ///   - context: who is logged in.
    ///   - search: the current search text, shown in the search field.
    ///   - sidebar: the left column, or nil for a page without one.
    ///   - main: the page's content.
    public static func page(
        title: String, context: PageContext, search: String = "", sidebar: HTML? = nil, main: HTML
    ) -> HTML {
        let previous: HTML =
            context.previousLogin.map { login in
                "<span>\(context.word(.previousLogin)) <time>\(context.time.full(login.time))</time> (\(login.address))</span>"
            } ?? "<span>\(context.word(.firstLogin))</span>"
        let failed: HTML =
            context.failedSince > 0
            ? "<span class=\"warn\">\(context.word(.failedLogins)) \(context.failedSince)\(context.language == .ja ? " 回" : "")</span>"
            : ""
        let quarantine: HTML =
            context.showsQuarantine ? "<a href=\"/quarantine\">\(context.word(.quarantine))</a>" : ""
        let approvals: HTML =
            context.showsApprovals ? "<a href=\"/approvals\">\(context.word(.approvalQueue))</a>" : ""
        let templates: HTML =
            context.showsTemplates ? "<a href=\"/templates\">\(context.word(.templates))</a>" : ""
        let body: HTML = """
            <header class="top">
            <div class="bar">
            <a class="brand" href="/">\(context.word(.productName))</a>
            <form class="search" action="/" method="get" role="search">
            <input type="search" name="q" id="search" value="\(search)" placeholder="\(context.word(.searchPlaceholder))" aria-label="\(context.word(.search))" maxlength="200">
            </form>
            <nav class="user">\(approvals)\(templates)\(quarantine)<span class="who">\(context.name) (\(context.login))</span>
            <form action="/logout" method="post"><input type="hidden" name="csrf" value="\(context.csrfToken)"><button type="submit" class="link">\(context.word(.logout))</button></form>
            </nav>
            </div>
            <div class="meta">\(previous)\(failed)<span id="countdown" data-idle="\(context.idleTimeout)" data-warn="\(context.word(.autoLogoutIn))">\(context.word(.autoLogoutIn)) <span class="clock">\(Self.minutes(context.idleTimeout))</span></span></div>
            </header>
            <div class="frame\(sidebar == nil ? " single" : "")">
            \(HTML.map(sidebar) { "<aside class=\"side\">\($0)</aside>" })
            <main id="main">\(main)</main>
            </div>
            <div id="help" class="help" hidden>\(context.word(.keyboardHelp))</div>
            """
        return document(title: title, language: context.language, body: body)
    }

    /// A document without the operator header (login, errors before login).
    public static func document(title: String, language: Language, body: HTML) -> HTML {
        """
        <!DOCTYPE html>
        <html lang="\(language.rawValue)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>\(title) - \(Word.productName.text(language))</title>
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
        <link rel="stylesheet" href="/static/app.css">
        <script src="/static/app.js" defer></script>
        </head>
        <body>
        \(body)
        </body>
        </html>
        """
    }

    /// `mm:ss` of a number of seconds.
    static func minutes(_ seconds: Int64) -> String {
        let s = seconds % 60
        return "\(seconds / 60):" + (s < 10 ? "0\(s)" : "\(s)")
    }
}
