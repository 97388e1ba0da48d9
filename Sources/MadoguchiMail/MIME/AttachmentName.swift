// AttachmentName: the one sanitizing of attachment file names, for the download
// header of the web page (A17, A18) and for outgoing replies (C5). Only the last
// path part is kept (`..\x.exe` → `x.exe`, `/tmp/x` → `x`), control and format
// characters (C0, C1, DEL, the bidi overrides that make `exe.pdf` look like
// `fdp.exe`, zero-width characters, U+2028/U+2029) are removed, leading and trailing
// dots and blanks trimmed, and the result cut to 200 characters; nothing usable left
// gives `attachment.bin`. The ASCII fallback keeps letters, digits and
// `-._ ` only, so it never holds `"`, `\`, CR, LF, `;` or 8-bit bytes.

/// Sanitized attachment file names.
public enum AttachmentName {
    /// The name used when nothing of the given one is usable.
    public static let fallback = "attachment.bin"

    /// Longest name kept, in characters.
    static let maxLength = 200

    /// The display name for a file the sender called `name`.
    /// - Parameter name: the untrusted name, or nil.
    /// - Returns: the last path part without controls, trimmed; `attachment.bin` if empty.
    public static func sanitized(_ name: String?) -> String {
        let base = (name ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var scalars = String.UnicodeScalarView()
        for scalar in base.unicodeScalars where !isRemoved(scalar) { scalars.append(scalar) }
        var clean = Substring(String(scalars))
        while let first = clean.first, first == "." || first.isWhitespace { clean.removeFirst() }
        while let last = clean.last, last == "." || last.isWhitespace { clean.removeLast() }
        return clean.isEmpty ? fallback : String(clean.prefix(maxLength))
    }

    /// The ASCII form of a sanitized name: other characters become `_`; a name left
    /// with no letter or digit becomes `attachment.bin`.
    /// - Parameter sanitized: a result of `sanitized(_:)`.
    /// - Returns: a name of letters, digits and `-._ ` only.
    public static func ascii(_ sanitized: String) -> String {
        let ascii = String(
            sanitized.unicodeScalars.map { scalar -> Character in
                let ok =
                    (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
                    || (scalar >= "0" && scalar <= "9") || "-._ ".unicodeScalars.contains(scalar)
                return ok ? Character(scalar) : "_"
            })
        return ascii.allSatisfy({ $0 == "_" || $0 == "." }) ? fallback : ascii
    }

    /// Control, format (bidi controls, zero-width characters), line and paragraph
    /// separator, surrogate and unassigned scalars.
    private static func isRemoved(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned: true
        default: false
        }
    }
}
