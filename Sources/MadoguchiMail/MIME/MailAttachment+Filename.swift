// MailAttachment+Filename: a file name that is safe to show, store and send: the part
// after the last `/` or `\`, without control and format characters (C0, C1, DEL, the
// bidi overrides and zero-width characters of Unicode category Cf, U+2028/U+2029),
// without leading and trailing blanks and dots, at most 200 characters; nothing left
// gives `attachment.bin`. So `..\x.exe` is `x.exe`, and `invoice\u{202E}fdp.exe`
// cannot pose as a PDF (madoguchi-security(7) C5).

extension MailAttachment {
    /// The name given to a file whose own name is missing or unusable.
    public static let fallbackFilename = "attachment.bin"

    /// `name` made safe (see the file comment).
    public static func safeFilename(_ name: String?) -> String {
        let base = (name ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var scalars = String.UnicodeScalarView()
        for scalar in base.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned: continue
            default: scalars.append(scalar)
            }
        }
        var clean = Substring(String(scalars))
        while let first = clean.first, first == " " || first == "." || first.isWhitespace { clean.removeFirst() }
        while let last = clean.last, last == " " || last == "." || last.isWhitespace { clean.removeLast() }
        return clean.isEmpty ? fallbackFilename : String(clean.prefix(200))
    }
}
