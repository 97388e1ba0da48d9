// MessagePage: the small pages without the inbox around them — an error with its one
// sentence, and the link interstitial that shows where a link in a mail really goes
// before the operator follows it (madoguchi-security(7), WEB PAGE).

/// Error and interstitial pages.
public enum MessagePage {
    /// An error page (404, 403, 400) with a way back to the inbox.
    public static func error(_ word: Word, language: Language) -> HTML {
        Layout.document(
            title: word.text(language), language: language,
            body: """
                <main class="login" id="main"><div class="card">
                <h1>\(word.text(language))</h1>
                <p><a href="/">\(Word.backToInbox.text(language))</a></p>
                </div></main>
                """)
    }

    /// The interstitial for a link from a mail: the full destination, shown as text,
    /// and a link that opens it without a referrer or an opener.
    public static func link(to destination: String, language: Language) -> HTML {
        Layout.document(
            title: Word.linkInterstitialTitle.text(language), language: language,
            body: """
                <main class="login" id="main"><div class="card wide">
                <h1>\(Word.linkInterstitialTitle.text(language))</h1>
                <p>\(Word.linkInterstitialText.text(language))</p>
                <p class="destination"><code>\(destination)</code></p>
                <p><a class="button primary" href="\(destination)" rel="noopener noreferrer" target="_blank">\(Word.linkOpen.text(language))</a></p>
                </div></main>
                """)
    }
}
