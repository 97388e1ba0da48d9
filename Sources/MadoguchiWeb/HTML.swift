// HTML: markup that escapes by default. String literals written in this module's
// templates are trusted markup; every interpolated String, number or optional is
// escaped for text and for double-quoted attribute values alike (& < > " '), and
// nested HTML values are appended as they are. The one way to take markup from
// elsewhere is `HTML.sanitized(_:)`, used only for the HTML sanitizer's output
// (madoguchi-security(7), WEB PAGE).

import MadoguchiCore

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

    /// Markup of each element, one after the other. Room for all of them is reserved
    /// after the first, as if each were as long, up to 64 KiB (50 inbox rows grew the
    /// buffer eight times).
    public static func each<S: Sequence>(_ items: S, _ render: (S.Element) throws -> HTML) rethrows -> HTML {
        var html = HTML()
        for item in items {
            let part = try render(item)
            if html.bytes.isEmpty {
                html.bytes.reserveCapacity(min(part.bytes.count * max(1, items.underestimatedCount), 64 << 10))
            }
            html.append(part)
        }
        return html
    }

    /// The escaping of text and attribute values: & < > " ' become references, and
    /// the C0 controls other than tab, LF and CR (never valid in HTML) become U+FFFD.
    /// One pass over the UTF-8: runs of plain bytes are copied in one go.
    static func escape(_ text: String, into bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { utf8 in
            Self.escapeTable.withUnsafeBufferPointer { table in
                var plainStart = 0
                for index in 0..<utf8.count where table[Int(utf8[index])] != 0 {
                    if plainStart < index {
                        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainStart..<index]))
                    }
                    switch table[Int(utf8[index])] {
                    case 1: bytes.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])  // &amp;
                    case 2: bytes.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B])  // &lt;
                    case 3: bytes.append(contentsOf: [0x26, 0x67, 0x74, 0x3B])  // &gt;
                    case 4: bytes.append(contentsOf: [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B])  // &quot;
                    case 5: bytes.append(contentsOf: [0x26, 0x23, 0x33, 0x39, 0x3B])  // &#39;
                    default: bytes.append(contentsOf: [0xEF, 0xBF, 0xBD])  // U+FFFD
                    }
                    plainStart = index + 1
                }
                if plainStart < utf8.count {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainStart...]))
                }
            }
        }
    }

    /// What `escape` does with each byte: 0 copy, 1…5 the references of & < > " ',
    /// 6 U+FFFD (C0 controls but tab, LF, CR; DEL).
    private static let escapeTable: [UInt8] = (0..<256).map { byte -> UInt8 in
        switch byte {
        case 0x26: 1
        case 0x3C: 2
        case 0x3E: 3
        case 0x22: 4
        case 0x27: 5
        case 0x09, 0x0A, 0x0D: 0
        case 0x00..<0x20, 0x7F: 6
        default: 0
        }
    }

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
            if let value = Int64(exactly: number) {
                DecimalText.append(value, to: &bytes)
            } else {
                bytes.append(contentsOf: String(number).utf8)
            }
        }

        /// Nested markup, as it is. A part that does not fit reserves room for itself and
        /// 4 KiB of the template after it, so the rest of the template does not copy the
        /// page again (a list of 50 rows was copied twice more inside each enclosing
        /// template).
        public mutating func appendInterpolation(_ html: HTML) {
            if bytes.capacity - bytes.count < html.bytes.count {
                bytes.reserveCapacity(bytes.count + html.bytes.count + 4096)
            }
            bytes.append(contentsOf: html.bytes)
        }
    }
}
