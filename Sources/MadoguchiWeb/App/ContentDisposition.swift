// ContentDisposition: `attachment; filename="…"; filename*=UTF-8''…` for downloads
// (RFC 6266 with RFC 8187 encoding). The name is sanitized by AttachmentName (the
// same rule outgoing replies use): the ASCII fallback keeps letters, digits and
// `-._ ` only (never `"`, `\`, CR, LF, `;` or non-ASCII); path parts and controls
// are removed from the UTF-8 name too, so a `..\x.exe` cannot name a place.

import MadoguchiMail

/// The Content-Disposition of a download.
enum ContentDisposition {
    /// The field value for a file the sender called `name` (nil or unusable:
    /// `attachment.bin`).
    static func attachment(named name: String?) -> String {
        let utf8 = AttachmentName.sanitized(name)
        return "attachment; filename=\"\(AttachmentName.ascii(utf8))\"; filename*=UTF-8''\(URLQuery.encode(utf8))"
    }
}
