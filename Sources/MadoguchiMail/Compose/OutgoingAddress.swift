// OutgoingAddress: one validated mailbox of a reply. The address is a bare
// RFC 5322 addr-spec whose local part is a dot-atom and whose domain is a host
// name of ASCII letters, digits and hyphens, so nothing else can ride along (C2):
// no second address, group, route, comment, quoted local part, display name,
// blank or control character, and no `%` or `!` (the percent hack and bang paths
// some relays still route by). Non-ASCII is refused rather than converted: a
// non-ASCII local part needs SMTPUTF8 (RFC 6531), which replies do not use, and an
// internationalized domain must be given as its A-label (`xn--…`), since turning
// U-labels into A-labels correctly needs the IDNA mapping tables (RFC 5891, UTS 46).

/// A mailbox a reply is sent from or to.
public struct OutgoingAddress: Sendable, Equatable {
    /// The addr-spec, e.g. `sato@example.jp` (the domain lower-cased, the local part as given).
    public let address: String
    /// The display name with control characters replaced (see `OutgoingMessage.subject`),
    /// nil if none or blank.
    public let displayName: String?

    /// Longest local part (RFC 5321 section 4.5.3.1.1).
    static let maxLocalPart = 64
    /// Longest address a forward or reverse path may carry (RFC 5321 section 4.5.3.1.3, less the brackets).
    static let maxAddress = 254

    /// Validates a mailbox.
    /// - Parameters:
    ///   - address: exactly one addr-spec, without angle brackets or blanks.
    ///   - displayName: the name shown with it, or nil; control characters become spaces.
    /// - Throws: `ComposeError.invalidAddress` naming the rule the address breaks.
    public init(_ address: String, displayName: String? = nil) throws(ComposeError) {
        self.address = try OutgoingAddress.validate(address)
        let name = displayName.map(HeaderText.clean) ?? ""
        self.displayName = name.isEmpty ? nil : name
    }

    private static func validate(_ text: String) throws(ComposeError) -> String {
        let bytes = Array(text.utf8)
        func fail(_ reason: String) -> ComposeError { .invalidAddress(reason: reason) }
        if bytes.isEmpty { throw fail("empty") }
        if bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) { throw fail("control character (CR, LF, NUL…)") }
        if bytes.contains(where: { $0 == 0x2C || $0 == 0x3B }) { throw fail("more than one address, or a group") }
        if bytes.contains(where: { $0 == 0x3A }) { throw fail("group or route syntax") }
        if bytes.contains(where: { $0 == 0x3C || $0 == 0x3E }) { throw fail("angle brackets or a display name") }
        if bytes.contains(where: { $0 == 0x22 || $0 == 0x5C }) { throw fail("quoted local part") }
        if bytes.contains(where: { $0 == 0x28 || $0 == 0x29 }) { throw fail("comment") }
        if bytes.contains(where: { $0 == 0x5B || $0 == 0x5D }) { throw fail("domain literal") }
        if bytes.contains(where: { $0 == 0x20 }) { throw fail("blank") }
        if bytes.contains(where: { $0 == 0x25 || $0 == 0x21 }) { throw fail("percent hack or bang path") }
        guard let at = bytes.lastIndex(of: 0x40), bytes.firstIndex(of: 0x40) == at else {
            throw fail("not exactly one @")
        }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        if local.contains(where: { $0 >= 0x80 }) { throw fail("non-ASCII local part (SMTPUTF8 is not used)") }
        if domain.contains(where: { $0 >= 0x80 }) { throw fail("non-ASCII domain (give its xn-- form)") }
        guard isDotAtom(local) else { throw fail("local part is not a dot-atom") }
        guard local.count <= maxLocalPart else { throw fail("local part longer than \(maxLocalPart) octets") }
        guard isHostName(domain) else { throw fail("domain is not a host name") }
        guard bytes.count <= maxAddress else { throw fail("longer than \(maxAddress) octets") }
        return String(decoding: local, as: UTF8.self) + "@" + String(decoding: domain, as: UTF8.self).lowercased()
    }

    /// RFC 5322 dot-atom-text: atext runs joined by single dots.
    static func isDotAtom(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last, first != 0x2E, last != 0x2E else { return false }
        var previousDot = false
        for byte in bytes {
            if byte == 0x2E {
                if previousDot { return false }
                previousDot = true
            } else {
                guard isAtext(byte) else { return false }
                previousDot = false
            }
        }
        return true
    }

    /// RFC 5322 atext: letters, digits and ``!#$%&'*+-/=?^_`{|}~``.
    static func isAtext(_ byte: UInt8) -> Bool { byte < 0x80 && atext[Int(byte)] }

    private static let atext: [Bool] = {
        var table = [Bool](repeating: false, count: 128)
        for byte in 0x30...0x39 { table[byte] = true }
        for byte in 0x41...0x5A { table[byte] = true }
        for byte in 0x61...0x7A { table[byte] = true }
        for byte in "!#$%&'*+-/=?^_`{|}~".utf8 { table[Int(byte)] = true }
        return table
    }()

    /// Dot-separated labels of letters, digits and inner hyphens, 1 to 63 octets each,
    /// at most 253 in all (RFC 1035 section 2.3.1, RFC 5890 A-labels included).
    private static func isHostName(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard (1...253).contains(bytes.count) else { return false }
        for label in bytes.split(separator: 0x2E, omittingEmptySubsequences: false) {
            guard (1...63).contains(label.count), label.first != 0x2D, label.last != 0x2D else { return false }
            let ok = label.allSatisfy { byte in
                byte == 0x2D || (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte)
                    || (0x61...0x7A).contains(byte)
            }
            if !ok { return false }
        }
        return true
    }
}
