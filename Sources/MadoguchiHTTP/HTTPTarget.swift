// HTTPTarget: checks and decodes a request target in origin-form (RFC 9112 section 3.2.1).
// SECURITY (madoguchi-security(7) D5): absolute-form, authority-form and
// asterisk-form are refused; so are characters outside RFC 3986 pchar, bad percent
// escapes, and a decoded path with NUL, backslash, an encoded slash, a `.` or `..`
// segment or invalid UTF-8 (`%c0%ae` is an overlong dot). Decoding happens once:
// `%252e` stays the text `%2e`, which no route matches.

enum HTTPTarget {
    /// Decodes a target: returns the path and query items, or throws 400.
    /// - Parameter raw: the target bytes from the request line.
    /// - Throws: `HTTPError` 400 naming the problem.
    static func parse(_ raw: UnsafeRawBufferPointer) throws(HTTPError) -> (String, [HTTPRequest.QueryItem]) {
        guard let first = raw.first else { throw HTTPError.bad("empty request target") }
        guard first == UInt8(ascii: "/") else {
            throw HTTPError.bad(first == UInt8(ascii: "*") ? "asterisk-form target" : "target not in origin-form")
        }
        var queryStart = raw.count
        for index in 0..<raw.count {
            let byte = raw[index]
            if byte == UInt8(ascii: "?") {
                if queryStart == raw.count { queryStart = index }
                continue
            }
            guard isTargetByte(byte) else { throw HTTPError.bad("character \(byte) in request target") }
        }
        let path = try decodePath(UnsafeRawBufferPointer(rebasing: raw[0..<queryStart]))
        var query: [HTTPRequest.QueryItem] = []
        if queryStart < raw.count {
            query = try decodeQuery(UnsafeRawBufferPointer(rebasing: raw[(queryStart + 1)...]))
        }
        return (path, query)
    }

    /// RFC 3986 pchar plus `/` and `?` (query), i.e. unreserved, sub-delims, `:`,
    /// `@` and `%`.
    @inline(__always) static func isTargetByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "%"),
            UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("),
            UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
            UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "/"), UInt8(ascii: "?"):
            return true
        default:
            return false
        }
    }

    /// Percent-decodes the path and checks its segments.
    private static func decodePath(_ raw: UnsafeRawBufferPointer) throws(HTTPError) -> String {
        let path = try decode(raw, path: true)
        for segment in path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        where segment.count == 1 || segment.count == 2 {
            if segment.allSatisfy({ $0 == UInt8(ascii: ".") }) { throw HTTPError.bad("dot segment in path") }
        }
        return path
    }

    /// Splits `a=1&b=2` and decodes each side (`+` is a space).
    /// - Throws: `HTTPError` 400 for a bad escape, a NUL or invalid UTF-8.
    static func decodeQuery(_ raw: UnsafeRawBufferPointer) throws(HTTPError) -> [HTTPRequest.QueryItem] {
        var items: [HTTPRequest.QueryItem] = []
        var pairStart = 0
        while pairStart <= raw.count {
            var pairEnd = pairStart
            while pairEnd < raw.count && raw[pairEnd] != UInt8(ascii: "&") { pairEnd += 1 }
            if pairEnd > pairStart {
                var equals = pairStart
                while equals < pairEnd && raw[equals] != UInt8(ascii: "=") { equals += 1 }
                let name = try decode(UnsafeRawBufferPointer(rebasing: raw[pairStart..<equals]), path: false)
                let value =
                    equals < pairEnd
                    ? try decode(UnsafeRawBufferPointer(rebasing: raw[(equals + 1)..<pairEnd]), path: false) : ""
                items.append(HTTPRequest.QueryItem(name: name, value: value))
            }
            pairStart = pairEnd + 1
        }
        return items
    }

    /// Percent-decodes one path or query component; without `%` (or `+` in a query)
    /// the bytes are taken as they are.
    /// - Parameters:
    ///   - raw: the component; in a target its bytes already passed `isTargetByte`.
    ///   - path: true for the path (an encoded slash and a backslash refused), false for a query
    ///     part (`+` is a space).
    /// - Throws: `HTTPError` 400 for a bad escape, NUL, backslash, encoded slash or
    ///   invalid UTF-8.
    private static func decode(_ raw: UnsafeRawBufferPointer, path: Bool) throws(HTTPError) -> String {
        let plain = !raw.contains { $0 == UInt8(ascii: "%") || (!path && $0 == UInt8(ascii: "+")) }
        if plain && raw.allSatisfy({ $0 != 0 && $0 < 0x80 && (!path || $0 != UInt8(ascii: "\\")) }) {
            return String(decoding: raw, as: UTF8.self)
        }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            var byte = raw[index]
            if byte == UInt8(ascii: "%") {
                byte = try escape(raw, at: index)
                index += 3
                if path && byte == UInt8(ascii: "/") { throw HTTPError.bad("encoded slash in path") }
            } else {
                index += 1
                if !path && byte == UInt8(ascii: "+") { byte = UInt8(ascii: " ") }
            }
            guard byte != 0 else { throw HTTPError.bad("NUL in request target") }
            if path && byte == UInt8(ascii: "\\") { throw HTTPError.bad("backslash in path") }
            decoded.append(byte)
        }
        guard let text = String(validating: decoded, as: UTF8.self) else {
            throw HTTPError.bad("request target is not UTF-8")
        }
        return text
    }

    /// The byte of the escape `%XY` at `index`.
    private static func escape(_ raw: UnsafeRawBufferPointer, at index: Int) throws(HTTPError) -> UInt8 {
        guard index + 2 < raw.count, let high = hex(raw[index + 1]), let low = hex(raw[index + 2]) else {
            throw HTTPError.bad("invalid percent escape")
        }
        return high << 4 | low
    }

    @inline(__always) private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
