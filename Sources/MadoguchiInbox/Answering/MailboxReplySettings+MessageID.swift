// MailboxReplySettings+MessageID: the host our Message-IDs carry after the `@` — the
// domain of the mailbox's reply From address, so replies thread under the company's
// own domain.

extension MailboxReplySettings {
    /// The domain of the From address, lower-cased, or nil without one.
    var messageIDHost: String? {
        guard let address = fromAddress, let at = address.lastIndex(of: "@") else { return nil }
        let host = address[address.index(after: at)...].lowercased()
        return host.isEmpty ? nil : host
    }
}
