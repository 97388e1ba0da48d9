// InboxView: the inbox page — status counts, assignee and mailbox filters in the left
// column; the list newest first with status, subject, customer, assignee, received
// and elapsed time; keyset paging ("次の 50 件"). Search results use the same list.

import MadoguchiInbox

/// The inbox page.
public struct InboxView {
    /// What the list shows, as the URL said it.
    public struct Selection: Sendable, Equatable {
        /// `status=` (nil: every status but the trash).
        public var status: String?
        /// `assignee=`: `me`, `unassigned` or nil for anyone.
        public var assignee: String?
        /// `mailbox=` (an id).
        public var mailbox: Int64?
        /// `q=`: the search text, or empty.
        public var query: String

        /// Creates a selection.
        public init(status: String? = nil, assignee: String? = nil, mailbox: Int64? = nil, query: String = "") {
            self.status = status
            self.assignee = assignee
            self.mailbox = mailbox
            self.query = query
        }

        /// The link of this selection changed by `change`, starting at the first page.
        func link(_ change: (inout Selection) -> Void = { _ in }, after: String? = nil) -> String {
            var selection = self
            change(&selection)
            return URLQuery.link(
                "/",
                [
                    ("status", selection.status), ("assignee", selection.assignee),
                    ("mailbox", selection.mailbox.map { String($0) }), ("q", selection.query), ("after", after),
                ])
        }
    }

    /// The operator.
    public var context: PageContext
    /// The selection.
    public var selection: Selection
    /// The sidebar counts.
    public var counts: InboxCounts
    /// The entries of this page.
    public var entries: [InboxEntry]
    /// The next page's cursor, nil on the last page.
    public var next: InboxCursor?
    /// A note above the list (search capped), or nil.
    public var note: String?
    /// The sidebar's markup as `sidebar(counts:selection:context:)` rendered it earlier
    /// (kept by the list cache), or nil to render it from `counts`.
    public var renderedSidebar: HTML?
    /// The list's markup as `list(_:next:selection:context:)` rendered it earlier, or nil
    /// to render it from `entries`.
    public var renderedList: HTML?

    /// Creates the view.
    public init(
        context: PageContext, selection: Selection, counts: InboxCounts, entries: [InboxEntry], next: InboxCursor?,
        note: String? = nil
    ) {
        self.context = context
        self.selection = selection
        self.counts = counts
        self.entries = entries
        self.next = next
        self.note = note
    }

    /// The whole document.
    public var html: HTML {
        let language = context.language
        let title = selection.query.isEmpty ? context.word(.inbox) : context.word(.searchResults)
        return Layout.page(
            title: title, context: context, search: selection.query,
            sidebar: renderedSidebar ?? Self.sidebar(counts: counts, selection: selection, context: context),
            main: """
                <h1 class="title">\(title)\(selection.status.map { " · " + StatusLabel.word($0).text(language) } ?? "")</h1>
                \(HTML.map(note) { "<p class=\"note\">\($0)</p>" })
                \(renderedList ?? Self.list(entries, next: next, selection: selection, context: context).output)
                """)
    }

    /// The left column: counts per status and mailbox, the assignee filters, each a link
    /// from `selection`.
    public static func sidebar(counts: InboxCounts, selection: Selection, context: PageContext) -> HTML {
        let language = context.language
        func item(_ label: String, count: Int?, link: String, current: Bool) -> HTML {
            let number: HTML = count.map { "<span class=\"count\">\($0)</span>" } ?? ""
            return
                "<li><a href=\"\(link)\"\(HTML.when(current) { " aria-current=\"page\"" })><span>\(label)</span>\(number)</a></li>"
        }
        let statuses = HTML.each(InquirySummary.statuses) { status in
            item(
                StatusLabel.word(status).text(language), count: counts.byStatus[status],
                link: selection.link { $0.status = status }, current: selection.status == status)
        }
        let assignees = HTML.each([
            ("me", Word.assigneeMe), ("unassigned", .assigneeUnassigned), (nil, .assigneeAnyone),
        ]) { value, word in
            item(
                word.text(language), count: nil, link: selection.link { $0.assignee = value },
                current: selection.assignee == value)
        }
        let mailboxes =
            HTML.each(counts.mailboxes) { mailbox in
                item(
                    mailbox.name, count: mailbox.count, link: selection.link { $0.mailbox = mailbox.id },
                    current: selection.mailbox == mailbox.id)
            }
        return """
            <nav aria-label="\(context.word(.status))">
            <ul class="nav">\(item(context.word(.allStatuses), count: nil, link: selection.link { $0.status = nil }, current: selection.status == nil))\(statuses)</ul>
            <h2>\(context.word(.assignee))</h2><ul class="nav">\(assignees)</ul>
            <h2>\(context.word(.mailbox))</h2><ul class="nav">\(item(context.word(.allMailboxes), count: nil, link: selection.link { $0.mailbox = nil }, current: selection.mailbox == nil))\(mailboxes)</ul>
            </nav>
            """
    }

    /// The list of `entries` with the link to the next page, and the first second after
    /// `context.now` at which it would read differently: an elapsed time's next minute
    /// (hour, day), a new inquiry turning amber or red, today's times becoming
    /// yesterday's.
    public static func list(
        _ entries: [InboxEntry], next: InboxCursor?, selection: Selection, context: PageContext
    ) -> (output: HTML, validUntil: Int64) {
        guard !entries.isEmpty else { return ("<p class=\"empty\">\(context.word(.noInquiries))</p>", .max) }
        let language = context.language
        let now = context.now
        var validUntil = context.time.shortChanges(now: now)
        for entry in entries {
            let time = entry.lastMessageAt
            validUntil = min(validUntil, context.time.elapsedChanges(since: time, now: now))
            if entry.status == "new" {
                for limit in [context.elapsedLimits.warning, context.elapsedLimits.alert] where now - time < limit {
                    validUntil = min(validUntil, time + limit)
                }
            }
        }
        let rows = HTML.each(entries) { entry in
            let age = context.now - entry.lastMessageAt
            let urgency =
                entry.status != "new"
                ? ""
                : age >= context.elapsedLimits.alert ? " late" : age >= context.elapsedLimits.warning ? " aging" : ""
            let customer = StatusLabel.customer(
                name: entry.customerName, address: entry.customerAddress, pseudonym: entry.customerPseudonym, language)
            let subject = entry.subject.flatMap { $0.isEmpty ? nil : $0 } ?? context.word(.noSubject)
            return """
                <tr class="row\(entry.unread ? " unread" : "")">
                <td>\(StatusLabel.badge(entry.status, language))</td>
                <td class="subject">\(HTML.when(entry.unread) { "<span class=\"vh\">\(context.word(.unread)) </span>" })<a href="/inquiries/\(entry.id)">\(subject)</a> <span class="num">#\(entry.id)</span></td>
                <td class="customer">\(customer)</td>
                <td>\(entry.assignee ?? "—")</td>
                <td>\(entry.mailbox)</td>
                <td><time title="\(context.time.full(entry.lastMessageAt))">\(context.time.short(entry.lastMessageAt, now: context.now, language: language))</time></td>
                <td class="elapsed\(urgency)">\(context.time.elapsed(since: entry.lastMessageAt, now: context.now, language: language))</td>
                </tr>
                """
        }
        let more: HTML =
            next.map { cursor in
                "<p class=\"more\"><a href=\"\(selection.link(after: cursor.description))\" rel=\"next\">\(context.word(.nextPage))</a></p>"
            } ?? ""
        let list: HTML = """
            <table class="list">
            <thead><tr><th scope="col">\(context.word(.status))</th><th scope="col">\(context.word(.subject))</th><th scope="col">\(context.word(.customer))</th><th scope="col">\(context.word(.assignee))</th><th scope="col">\(context.word(.mailbox))</th><th scope="col">\(context.word(.received))</th><th scope="col">\(context.word(.elapsed))</th></tr></thead>
            <tbody>\(rows)</tbody>
            </table>
            \(more)
            """
        return (list, validUntil)
    }
}
