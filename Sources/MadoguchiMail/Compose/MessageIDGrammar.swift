// MessageIDGrammar: the RFC 5322 msg-id (section 3.6.4) without the obsolete forms:
// "<" dot-atom-text "@" (dot-atom-text / no-fold-literal) ">". Ids copied from an
// inbound message are untrusted (A25, C3): one that does not match, or is longer
// than `maxLength`, is dropped, never repaired or copied.

/// Validation of Message-IDs for outgoing headers.
public enum MessageIDGrammar {
    /// Longest id accepted, brackets included, so a folded References line stays short.
    public static let maxLength = 250

    /// The id in its bracketed form if `text` is a valid msg-id.
    /// - Parameter text: an id with or without its angle brackets (as `ParsedMessage`
    ///   keeps them); blanks around it are allowed, inside it they are not.
    /// - Returns: `<id-left@id-right>`, or nil when `text` is not one valid msg-id.
    public static func normalized(_ text: String) -> String? {
        var bytes = Array(text.utf8)[...]
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes.removeFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        if bytes.first == 0x3C {
            guard bytes.last == 0x3E, bytes.count >= 2 else { return nil }
            bytes = bytes.dropFirst().dropLast()
        }
        guard bytes.count + 2 <= maxLength, let at = bytes.firstIndex(of: 0x40) else { return nil }
        let left = bytes[..<at]
        let right = bytes[(at + 1)...]
        guard OutgoingAddress.isDotAtom(left), OutgoingAddress.isDotAtom(right) || isNoFoldLiteral(right) else {
            return nil
        }
        return "<" + String(decoding: bytes, as: UTF8.self) + ">"
    }

    /// "[" *dtext "]", dtext being printable ASCII but "[", "]" and "\".
    private static func isNoFoldLiteral(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count >= 2, bytes.first == 0x5B, bytes.last == 0x5D else { return false }
        return bytes.dropFirst().dropLast().allSatisfy { (0x21...0x5A).contains($0) || (0x5E...0x7E).contains($0) }
    }
}
