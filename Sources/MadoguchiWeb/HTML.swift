// HTML: markup that escapes by default. String literals written in this module's
// templates are trusted markup; every interpolated String, number or optional is
// escaped for text and for double-quoted attribute values alike (& < > " '), and
// nested HTML values are appended as they are. The one way to take markup from
// elsewhere is `HTML.sanitized(_:)`, used only for the HTML sanitizer's output
// (madoguchi-security(7), WEB PAGE).

/// Escaped-by-default HTML.
public struct HTML: Sendable, Equatable, ExpressibleByStringInterpolation {
    /// The UTF-8 bytes of the markup.
    public private(set) var bytes: [UInt8]

    /// Empty markup.
    public init() { bytes = [] }

    /// A trusted template literal.
    public init(stringLiteral value: StaticString) {
        bytes = []
        value.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// A template with interpolations (escaped unless they are HTML).
    public init(stringInterpolation: Interpolation) { bytes = stringInterpolation.bytes }

    /// The sanitizer's output, taken as markup. SECURITY: the only raw entry point;
    /// call it with nothing but `HTMLSanitizer` results.
    public static func sanitized(_ markup: String) -> HTML {
        var html = HTML()
        html.bytes = Array(markup.utf8)
        return html
    }

    /// Appends other markup.
    public mutating func append(_ other: HTML) { bytes.append(contentsOf: other.bytes) }

    /// `markup` when `condition` holds, else nothing. Use this (not `?:` on literals)
    /// inside a template: a literal in a ternary is a String, and would be escaped.
    public static func when(_ condition: Bool, _ markup: () -> HTML) -> HTML { condition ? markup() : HTML() }

    /// The markup for a present value, else nothing (not `.map { "…" } ?? ""`, whose
    /// literal would be a String and be escaped).
    public static func map<T>(_ value: T?, _ render: (T) -> HTML) -> HTML { value.map(render) ?? HTML() }

    /// Markup of each element, one after the other.
    public static func each<S: Sequence>(_ items: S, _ render: (S.Element) throws -> HTML) rethrows -> HTML {
        var html = HTML()
        for item in items { html.append(try render(item)) }
        return html
    }

    /// The escaping of text and attribute values: & < > " ' become references, and
    /// the C0 controls other than tab, LF and CR (never valid in HTML) become U+FFFD.
    static func escape(_ text: String, into bytes: inout [UInt8]) {
        // Most text has nothing to escape: copy it in one go.
        let plain = text.utf8.withContiguousStorageIfAvailable { buffer -> Bool in
            guard !buffer.contains(where: { $0 < 0x20 || $0 == 0x7F || Self.special[Int($0)] }) else { return false }
            bytes.append(contentsOf: buffer)
            return true
        }
        if plain == true { return }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): bytes.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): bytes.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): bytes.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): bytes.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): bytes.append(contentsOf: "&#39;".utf8)
            case 0x09, 0x0A, 0x0D: bytes.append(byte)
            case 0x00..<0x20, 0x7F: bytes.append(contentsOf: [0xEF, 0xBF, 0xBD])
            default: bytes.append(byte)
            }
        }
    }

    /// The bytes `escape` replaces: & < > " '.
    private static let special: [Bool] = (0..<256).map { [0x26, 0x3C, 0x3E, 0x22, 0x27].contains($0) }

    /// The interpolation: literals raw, values escaped.
    public struct Interpolation: StringInterpolationProtocol {
        var bytes: [UInt8] = []

        /// Reserves room for the template.
        public init(literalCapacity: Int, interpolationCount: Int) {
            bytes.reserveCapacity(literalCapacity + interpolationCount * 16)
        }

        /// A literal part of the template: trusted markup.
        public mutating func appendLiteral(_ literal: StaticString) {
            literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
        }

        /// Text, escaped.
        public mutating func appendInterpolation(_ text: String) { HTML.escape(text, into: &bytes) }

        /// Text, escaped; nothing for nil.
        public mutating func appendInterpolation(_ text: String?) {
            if let text { HTML.escape(text, into: &bytes) }
        }

        /// A number.
        public mutating func appendInterpolation<N: BinaryInteger>(_ number: N) {
            bytes.append(contentsOf: String(number).utf8)
        }

        /// Nested markup, as it is.
        public mutating func appendInterpolation(_ html: HTML) { bytes.append(contentsOf: html.bytes) }
    }
}
