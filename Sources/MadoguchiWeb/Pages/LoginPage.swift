// LoginPage: the login form (login name, password, CSRF token) with the one answer a
// failed attempt gets — the same for an unknown login, a wrong password and a locked
// account — and the note after an automatic logout.

/// The login page.
public enum LoginPage {
    /// Why the login page is shown.
    public enum Notice: Sendable, Equatable {
        /// Nothing to say.
        case none
        /// The last attempt failed (whatever the reason).
        case failed
        /// The session ended after inactivity.
        case idle
        /// The session ended (maximum age, or ended elsewhere).
        case expired
    }

    /// The document.
    /// - Parameters:
    ///   - language: the page language.
    ///   - csrfToken: the login form's token.
    ///   - notice: what to tell the user.
    ///   - login: the login name to fill in again after a failure.
    public static func html(language: Language, csrfToken: String, notice: Notice = .none, login: String = "") -> HTML {
        let message: HTML =
            switch notice {
            case .none: ""
            case .failed: "<p class=\"alert\" role=\"alert\">\(Word.loginFailed.text(language))</p>"
            case .idle: "<p class=\"info\" role=\"status\">\(Word.loggedOutIdle.text(language))</p>"
            case .expired: "<p class=\"info\" role=\"status\">\(Word.sessionExpired.text(language))</p>"
            }
        let other: Language = language == .ja ? .en : .ja
        return Layout.document(
            title: Word.login.text(language), language: language,
            body: """
                <main class="login" id="main">
                <form class="card" action="/login" method="post">
                <h1><span class="brand">\(Word.productName.text(language))</span> \(Word.loginTitle.text(language))</h1>
                \(message)
                <input type="hidden" name="csrf" value="\(csrfToken)">
                <label for="login">\(Word.loginName.text(language))</label>
                <input id="login" name="login" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="64" value="\(login)"\(login.isEmpty ? " autofocus" : "")>
                <label for="password">\(Word.password.text(language))</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024"\(login.isEmpty ? "" : " autofocus")>
                <button type="submit" class="primary">\(Word.login.text(language))</button>
                <p class="lang"><a href="/login?lang=\(other.rawValue)" lang="\(other.rawValue)">\(other == .ja ? "日本語" : "English")</a></p>
                </form>
                </main>
                """)
    }
}
