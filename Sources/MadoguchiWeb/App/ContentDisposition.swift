// ContentDisposition: `attachment; filename="…"; filename*=UTF-8''…` for downloads
// (RFC 6266 with RFC 8187 encoding). The ASCII fallback keeps letters, digits and
// `-._ ` only (never `"`, `\`, CR, LF, `;` or non-ASCII); path parts and controls
// are removed from the UTF-8 name too, so a `..\x.exe` cannot name a place.

/// The Content-Disposition of a download.
enum ContentDisposition {
    /// The field value for a file the sender called `name` (nil or unusable:
    /// `attachment.bin`).
    static func attachment(named name: String?) -> String {
        let base = (name ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(base.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
            .trimmingCharacters(in: " .")
        let utf8 = clean.isEmpty ? "attachment.bin" : String(clean.prefix(200))
        var ascii = String(
            utf8.unicodeScalars.map { scalar -> Character in
                let ok =
                    (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
                    || (scalar >= "0" && scalar <= "9") || "-._ ".unicodeScalars.contains(scalar)
                return ok ? Character(scalar) : "_"
            })
        if ascii.allSatisfy({ $0 == "_" || $0 == "." }) { ascii = "attachment.bin" }
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(URLQuery.encode(utf8))"
    }
}

extension String {
    /// Without leading and trailing characters of `set`.
    fileprivate func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text.removeFirst() }
        while let last = text.last, set.contains(last) { text.removeLast() }
        return String(text)
    }
}
