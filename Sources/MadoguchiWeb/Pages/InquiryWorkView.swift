// InquiryWorkView: what the inquiry page shows and offers for working it — the
// actions at the top (assignee, status, reply or who holds the reply lock, take over),
// who else is viewing it, the internal-note form, the timeline events between the
// messages and the replies not yet sent (draft, awaiting approval with approve and
// return, queued with the undo timer, failed with the relay's answer, unconfirmed with
// send again and mark as sent). Every form posts with the page's CSRF token.

import MadoguchiInbox

/// The working side of the inquiry page.
public struct InquiryWorkView: Sendable {
    /// The viewing operator's user id.
    public var userID: Int64
    /// The viewing operator's session id (the lock belongs to a session).
    public var sessionID: Int64
    /// Users to choose an assignee from.
    public var assignees: [Choice]
    /// The replies of the inquiry, oldest first (other people's drafts without texts).
    public var replies: [Reply]
    /// Who else has the page open.
    public var viewers: [String]
    /// What the operator may do.
    public var permissions: Set<Permission>
    /// A notice for the operator (the outcome of the last action), or nil.
    public var notice: String?
    /// Seconds of the undo window (for the text next to the timer).
    public var sendDelay: Int64

    /// Creates a value.
    public init(
        userID: Int64, sessionID: Int64, assignees: [Choice], replies: [Reply], viewers: [String],
        permissions: Set<Permission>, notice: String? = nil, sendDelay: Int64 = 60
    ) {
        self.userID = userID
        self.sessionID = sessionID
        self.assignees = assignees
        self.replies = replies
        self.viewers = viewers
        self.permissions = permissions
        self.notice = notice
        self.sendDelay = sendDelay
    }

    /// The text of the lock line for someone else's lock.
    static func lockedText(_ holder: ReplyLock.Holder, _ language: Language) -> String {
        language == .ja
            ? "対応中のため返信できません（\(holder.displayName)さんが返信中）" : "Locked: \(holder.displayName) is replying"
    }

    /// The lock line as the presence poll reports it: empty, or someone else's lock.
    static func lockLine(_ holder: ReplyLock.Holder?, viewer: Int64, _ language: Language) -> String {
        guard let holder, holder.userID != viewer else { return "" }
        return lockedText(holder, language)
    }

    /// The actions row under the inquiry's facts.
    func actions(_ thread: InquiryThread, _ context: PageContext) -> HTML {
        let inquiry = thread.inquiry
        let id = inquiry.id
        let csrf: HTML = "<input type=\"hidden\" name=\"csrf\" value=\"\(context.csrfToken)\">"
        let expectedAssignee = inquiry.assigneeID.map(String.init) ?? "none"
        let assign: HTML = HTML.when(permissions.contains(.assign)) {
            """
            <form method="post" action="/inquiries/\(id)/assign">\(csrf)<input type="hidden" name="expected" value="\(expectedAssignee)">
            <label for="assignee-select" class="vh">\(context.word(.assignee))</label>
            <select id="assignee-select" name="assignee"><option value="none">\(context.word(.assigneeUnassigned))</option>\(HTML.each(assignees) { user in
                user.id == inquiry.assigneeID
                    ? "<option value=\"\(user.id)\" selected>\(user.name)</option>" : "<option value=\"\(user.id)\">\(user.name)</option>"
            })</select>
            <button class="secondary" type="submit">\(context.word(.assign))</button></form>
            \(HTML.when(inquiry.assigneeID != userID) {
                "<form method=\"post\" action=\"/inquiries/\(id)/assign\">\(csrf)<input type=\"hidden\" name=\"expected\" value=\"\(expectedAssignee)\"><input type=\"hidden\" name=\"assignee\" value=\"\(userID)\"><button class=\"secondary\" type=\"submit\">\(context.word(.take))</button></form>"
            })
            """
        }
        let statuses = InquirySummary.statuses.filter { $0 != "awaiting_approval" || inquiry.status == $0 }
        let status: HTML = HTML.when(permissions.contains(.changeStatus)) {
            """
            <form method="post" action="/inquiries/\(id)/status">\(csrf)<input type="hidden" name="expected" value="\(inquiry.status)">
            <label for="status-select" class="vh">\(context.word(.status))</label>
            <select id="status-select" name="status">\(HTML.each(statuses) { value in
                value == inquiry.status
                    ? "<option value=\"\(value)\" selected>\(StatusLabel.word(value).text(context.language))</option>"
                    : "<option value=\"\(value)\">\(StatusLabel.word(value).text(context.language))</option>"
            })</select>
            <button class="secondary" type="submit">\(context.word(.change))</button></form>
            """
        }
        let lockText = Self.lockLine(thread.lock, viewer: userID, context.language)
        let reply: HTML
        if let holder = thread.lock, holder.userID != userID {
            reply = HTML.when(permissions.contains(.takeOver)) {
                "<form method=\"post\" action=\"/inquiries/\(id)/take-over\">\(csrf)<button class=\"danger\" type=\"submit\">\(context.word(.takeOver))</button></form>"
            }
        } else if permissions.contains(.reply) {
            // A draft outlives its lock (logout releases it): it is opened again, not a new reply.
            let hasDraft = replies.contains { $0.state == .draft && $0.authorID == userID }
            let label = thread.lock != nil || hasDraft ? context.word(.continueDraft) : context.word(.reply)
            reply =
                "<form method=\"post\" action=\"/inquiries/\(id)/reply\">\(csrf)<button class=\"primary-small\" id=\"reply-start\" type=\"submit\">\(label) (r)</button></form>"
        } else {
            reply = ""
        }
        let mine: HTML = HTML.when(thread.lock?.userID == userID) {
            "<span class=\"lock mine\">\(context.word(.lockedYou))</span>"
        }
        return """
            <div class="actions">\(reply)\(assign)\(status)
            <span class="lock" id="lock-holder" data-text="\(lockText)" role="status"\(lockText.isEmpty ? " hidden" as HTML : "")>\(lockText)</span>\(mine)
            <p class="presence" id="presence" data-url="/inquiries/\(id)/presence"\(viewers.isEmpty ? " hidden" as HTML : "")><span>\(context.word(.viewing)):</span> <span class="viewers">\(viewers.joined(separator: ", "))</span></p>
            </div>
            \(HTML.map(notice) { "<p class=\"note\" role=\"alert\">\($0)</p>" })
            """
    }

    /// The internal-note form, under the thread.
    func noteForm(_ inquiry: Int64, _ context: PageContext) -> HTML {
        guard permissions.contains(.reply) else { return "" }
        return """
            <details class="note-form"><summary>\(context.word(.internalNote))</summary>
            <form method="post" action="/inquiries/\(inquiry)/notes"><input type="hidden" name="csrf" value="\(context.csrfToken)">
            <label for="note-text" class="vh">\(context.word(.internalNote))</label>
            <textarea id="note-text" name="text" rows="4" maxlength="20000" required></textarea>
            <div class="buttons"><button class="secondary" type="submit">\(context.word(.addNote))</button></div>
            </form></details>
            """
    }

    /// One timeline event (a note is a tinted card; the rest one line).
    /// - Parameters:
    ///   - event: the event.
    ///   - context: the page.
    ///   - names: display names by user id, for the assignee of an assignment (its
    ///     detail `to` is a user id).
    static func event(_ event: InquiryEvent, _ context: PageContext, names: [Int64: String] = [:]) -> HTML {
        let who = event.userName ?? "send-replies"
        let time: HTML =
            "<time title=\"\(context.time.full(event.at))\">\(context.time.short(event.at, now: context.now, language: context.language))</time>"
        if event.kind == .note {
            return """
                <article class="message note" id="e\(event.id)"><header data-label="\(context.word(.internalNote))"><span class="from">\(who)</span> \(time)</header>
                <div class="body">\(event.text ?? "")</div></article>
                """
        }
        var words = Self.eventWord(event.kind).text(context.language)
        if event.kind == .status, let from = event.detail["from"], let to = event.detail["to"] {
            words +=
                ": " + StatusLabel.word(from).text(context.language) + " → "
                + StatusLabel.word(to).text(context.language)
        }
        if event.kind == .assigned {
            if let to = event.detail["to"].flatMap({ Int64($0) }) {
                words += names[to].map { ": " + $0 } ?? ""
            } else {
                words = Word.eventUnassigned.text(context.language)
            }
        }
        return """
            <p class="event" id="e\(event.id)"><span class="who">\(who)</span> <span>\(words)</span> \(time)\(HTML.map(event.text.flatMap { $0.isEmpty ? nil : $0 }) { " <span class=\"sub\">\($0)</span>" })</p>
            """
    }

    static func eventWord(_ kind: InquiryEventKind) -> Word {
        switch kind {
        case .assigned: .eventAssigned
        case .status: .eventStatus
        case .note: .eventNote
        case .lock: .eventLock
        case .unlock: .eventUnlock
        case .takeOver: .eventTakeOver
        case .replyQueued: .eventQueued
        case .replyCancelled: .eventCancelled
        case .approvalRequested: .eventApprovalRequested
        case .approved: .eventApproved
        case .returned: .eventReturned
        case .replySent: .eventSent
        case .replyRetry: .eventRetry
        case .replyFailed: .eventFailed
        case .replyUnconfirmed: .eventUnconfirmed
        }
    }

    /// The replies not yet sent, each with what the operator may do with it.
    func pendingReplies(_ context: PageContext) -> HTML {
        let open = replies.filter { $0.state != .sent }
        guard !open.isEmpty else { return "" }
        return HTML.each(open) { reply($0, context) }
    }

    private func reply(_ reply: Reply, _ context: PageContext) -> HTML {
        let csrf: HTML = "<input type=\"hidden\" name=\"csrf\" value=\"\(context.csrfToken)\">"
        let mine = reply.authorID == userID
        let header: HTML =
            "<header><span class=\"from\">\(reply.authorName)</span> <span class=\"reply-state \(reply.state.rawValue)\">\(Self.stateWord(reply.state).text(context.language))</span> <time>\(context.time.short(reply.updatedAt, now: context.now, language: context.language))</time></header>"
        let subject: HTML = HTML.map(reply.subject) { "<p class=\"sub\">\(context.word(.subject)): \($0)</p>" }
        var body = HTML()
        switch reply.state {
        case .draft:
            if mine {
                body = """
                    \(HTML.map(reply.returnComment) { "<p class=\"note\">\(context.word(.returnComment)): \($0)</p>" })
                    <p><a href="/replies/\(reply.id)">\(context.word(.continueDraft))</a></p>
                    """
            }
        case .awaitingApproval:
            if permissions.contains(.approve) && !mine {
                body = """
                    <p><a href="/replies/\(reply.id)">\(context.word(.replyEditor))</a></p>
                    <div class="buttons"><form method="post" action="/replies/\(reply.id)/approve">\(csrf)<button class="primary-small" type="submit">\(context.word(.approve))</button></form>
                    <form method="post" action="/replies/\(reply.id)/return">\(csrf)<label for="return-\(reply.id)">\(context.word(.returnPrompt))</label>
                    <input type="text" id="return-\(reply.id)" name="comment" required maxlength="2000"><button class="secondary" type="submit">\(context.word(.returnReply))</button></form></div>
                    """
            } else if mine {
                body = """
                    <form method="post" action="/replies/\(reply.id)/cancel">\(csrf)<button class="secondary" type="submit">\(context.word(.undoSend))</button></form>
                    """
            }
        case .queued:
            let left = reply.timeLeft(now: context.now) ?? 0
            if left > 0 && (mine || permissions.contains(.approve)) {
                body = """
                    <form method="post" action="/replies/\(reply.id)/cancel" class="undo" data-left="\(left)">\(csrf)<span>\(context.word(.sendsIn)) <span class="left">\(left)</span>\(context.word(.seconds))</span> <button class="secondary" type="submit">\(context.word(.undoSend))</button></form>
                    """
            }
            if let error = reply.lastError {
                body.append("<p class=\"answer\">\(context.word(.relayAnswer)): \(error)</p>")
            }
        case .sending, .sent:
            break
        case .failed:
            body = HTML.map(reply.lastError) { "<p class=\"answer\">\(context.word(.relayAnswer)): \($0)</p>" }
        case .unconfirmed:
            body = """
                <p class="note">\(context.word(.sendUnconfirmed))</p>
                \(HTML.when(permissions.contains(.reply)) { """
                <div class="buttons"><form method="post" action="/replies/\(reply.id)/resend">\(csrf)<button class="secondary" type="submit">\(context.word(.resend))</button></form>
                <form method="post" action="/replies/\(reply.id)/mark-sent">\(csrf)<button class="secondary" type="submit">\(context.word(.markSent))</button></form></div>
                """ })
                """
        }
        return """
            <article class="message outgoing" id="r\(reply.id)">\(header)\(subject)\(body)</article>
            """
    }

    static func stateWord(_ state: ReplyState) -> Word {
        switch state {
        case .draft: .draftReply
        case .awaitingApproval: .awaitingApprovalReply
        case .queued, .sending: .queuedReply
        case .unconfirmed: .eventUnconfirmed
        case .sent: .sentReply
        case .failed: .sendFailed
        }
    }
}
