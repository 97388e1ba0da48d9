// ParsedMessage+Inspection: what `madoguchi inspect-mail` shows of a parsed message —
// one JSON line or a readable summary. Pure functions of the parse result, so the
// parser fuzzer exercises them too.
// SECURITY: every field is customer text: JSON escapes it fully, the summary escapes
// control characters.

import MadoguchiCore
import MadoguchiCrypto

extension ParsedMessage {
    /// The JSON object `madoguchi inspect-mail --json` prints for this message parsed from
    /// `file` (one line, with the newline); the key set is fixed, absent values are `null`.
    public func inspectionJSON(file: String) -> [UInt8] {
        let message = self
        var out = JSONOutput()
        out.raw("{\"file\":")
        out.string(file)
        out.raw(",\"subject\":")
        out.string(message.subject)
        out.raw(",\"from_name\":")
        out.string(message.from.first?.name)
        out.raw(",\"from_addr\":")
        out.string(message.from.first?.address)
        out.raw(",\"to_addrs\":")
        out.strings(message.to.map(\.address))
        out.raw(",\"cc_addrs\":")
        out.strings(message.cc.map(\.address))
        out.raw(",\"date\":")
        out.string(message.date.map { MailDate.iso8601($0) })
        out.raw(",\"message_id\":")
        out.string(message.messageID)
        out.raw(",\"in_reply_to\":")
        out.string(message.inReplyTo)
        out.raw(",\"references\":")
        out.strings(message.references)
        out.raw(",\"text_body\":")
        out.string(message.textBody)
        out.raw(",\"has_html\":")
        out.bool(message.htmlBody != nil)
        out.raw(",\"attachments\":[")
        for (index, attachment) in message.attachments.enumerated() {
            if index > 0 { out.raw(",") }
            out.raw("{\"filename\":")
            out.string(attachment.filename)
            out.raw(",\"content_type\":")
            out.string(attachment.contentType)
            out.raw(",\"size\":")
            out.integer(attachment.data.count)
            out.raw(",\"sha256\":")
            out.string(Hex.encode(SHA256Hasher.hash(attachment.data)))
            out.raw("}")
        }
        out.raw("]}\n")
        return out.bytes
    }

    /// The readable multi-line summary `madoguchi inspect-mail` prints for this message parsed
    /// from `file` (control characters escaped).
    public func inspectionSummary(file: String) -> String {
        let message = self
        func show(_ text: String?) -> String { text.map { Log.escape($0) } ?? "(none)" }
        func mailbox(_ address: MailAddress) -> String {
            address.name.map { "\(Log.escape($0)) <\(Log.escape(address.address))>" } ?? Log.escape(address.address)
        }
        var text = "\(Log.escape(file)):\n"
        text += "  Subject:     \(show(message.subject))\n"
        text += "  From:        \(message.from.map(mailbox).joined(separator: ", "))\n"
        text += "  To:          \(message.to.map(mailbox).joined(separator: ", "))\n"
        if !message.cc.isEmpty { text += "  Cc:          \(message.cc.map(mailbox).joined(separator: ", "))\n" }
        text += "  Date:        \(show(message.date.map { MailDate.iso8601($0) }))\n"
        text += "  Message-ID:  \(show(message.messageID))\n"
        if let reply = message.inReplyTo { text += "  In-Reply-To: \(Log.escape(reply))\n" }
        if let body = message.textBody {
            text += "  Text body:   \(body.count) characters\n"
        } else {
            text += "  Text body:   (none)\n"
        }
        text += "  HTML body:   \(message.htmlBody == nil ? "no" : "yes")\n"
        for attachment in message.attachments {
            text += "  Attachment:  \(show(attachment.filename)) (\(Log.escape(attachment.contentType)), "
            text += "\(attachment.data.count) bytes, sha256 \(Hex.encode(SHA256Hasher.hash(attachment.data))))\n"
        }
        switch message.verdict {
        case .ok: text += "  Verdict:     ok\n"
        case .malformed(let reason): text += "  Verdict:     malformed: \(Log.escape(reason))\n"
        }
        return text
    }
}
