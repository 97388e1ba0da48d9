// QuarantinePage: what administrators see of the quarantine — when, which mailbox,
// the signature clamd named and the size. Metadata only: the content of an infected
// message never reaches the page.

import MadoguchiInbox

/// The quarantine list.
public struct QuarantinePage {
    /// The operator.
    public var context: PageContext
    /// The quarantined messages, newest first.
    public var entries: [Quarantine.Entry]

    /// Creates the page.
    public init(context: PageContext, entries: [Quarantine.Entry]) {
        self.context = context
        self.entries = entries
    }

    /// The whole document.
    public var html: HTML {
        let rows = HTML.each(entries) { entry in
            """
            <tr><td class="num">#\(entry.id)</td><td>\(entry.received)</td><td>\(entry.mailbox ?? "—")</td><td>\(entry.virus)</td><td>\(InquiryPage.size(Int(entry.size), context.language))</td></tr>
            """
        }
        let list: HTML =
            entries.isEmpty
            ? "<p class=\"empty\">—</p>"
            : """
            <table class="list"><thead><tr><th scope="col">#</th><th scope="col">\(context.word(.received))</th><th scope="col">\(context.word(.mailbox))</th><th scope="col">\(context.word(.quarantineSignature))</th><th scope="col">\(context.word(.size))</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        return Layout.page(
            title: context.word(.quarantine), context: context,
            main: """
                <p class="back"><a href="/" id="back">\(context.word(.backToInbox))</a></p>
                <h1 class="title">\(context.word(.quarantine))</h1>
                <p class="note">\(context.word(.quarantineNote))</p>
                \(list)
                """)
    }
}
