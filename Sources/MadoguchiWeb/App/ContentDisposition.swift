// ContentDisposition: `attachment; filename="…"; filename*=UTF-8''…` for downloads
// (RFC 6266 with RFC 8187 encoding). The ASCII fallback keeps letters, digits and
// `-._ ` only (never `"`, `\`, CR, LF, `;` or non-ASCII); path parts and controls
// are removed from the UTF-8 name too (MailAttachment.safeFilename), so a `..\x.exe`
// cannot name a place.

import MadoguchiMail

/// The Content-Disposition of a download.
enum ContentDisposition {
    /// The field value for a file the sender called `name` (nil or unusable:
    /// `attachment.bin`).
    static func attachment(named name: String?) -> String {
        let utf8 = MailAttachment.safeFilename(name)
        var ascii = String(
            utf8.unicodeScalars.map { scalar -> Character in
                let ok =
                    (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
                    || (scalar >= "0" && scalar <= "9") || "-._ ".unicodeScalars.contains(scalar)
                return ok ? Character(scalar) : "_"
            })
        if ascii.allSatisfy({ $0 == "_" || $0 == "." }) { ascii = MailAttachment.fallbackFilename }
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(URLQuery.encode(utf8))"
    }
}
