// HTMLSanitizer+URL: judging `href` and `src` values. The scheme is read at the start of
// the value after character references are decoded (the tokenizer did that), ASCII
// tab and newline and every other C0 control removed and leading and trailing spaces
// trimmed, as a browser's URL parser does (madoguchi-security(7) A2, A4).

extension HTMLSanitizer {
    /// What becomes of an `img src`.
    enum ImageSource: Equatable {
        /// Kept with this value.
        case kept(String)
        /// Dropped: it would load from the network (counted as remote content).
        case remote
        /// Dropped for another reason (a script URL, an unmapped `cid:`, a bad data URL).
        case dropped
    }

    /// `value` without C0 controls and DEL, trimmed of spaces.
    static func cleanedURL(_ value: String) -> String {
        var bytes = value.utf8.filter { $0 > 0x1F && $0 != 0x7F }
        while bytes.last == 0x20 { bytes.removeLast() }
        let start = bytes.firstIndex { $0 != 0x20 } ?? bytes.count
        return String(decoding: bytes[start...], as: UTF8.self)
    }

    /// The scheme of `url` in lower case (RFC 3986 section 3.1), nil for a relative
    /// reference.
    static func scheme(of url: String) -> String? {
        var scheme: [UInt8] = []
        for byte in url.utf8 {
            if byte == 0x3A { return scheme.isEmpty ? nil : String(decoding: scheme, as: UTF8.self) }
            let isAlpha = HTMLTokenizer.isAlpha(byte)
            let continues = HTMLTokenizer.isAlphanumeric(byte) || byte == 0x2B || byte == 0x2D || byte == 0x2E
            guard isAlpha || (!scheme.isEmpty && continues) else { return nil }
            scheme.append(isAlpha ? byte | 0x20 : byte)
        }
        return nil
    }

    /// The link an `a href` may carry: an http, https or mailto URL with its scheme in
    /// lower case; nil for anything else (javascript:, data:, vbscript:, relative).
    /// - Parameter value: the decoded attribute value.
    static func linkTarget(_ value: String) -> String? {
        let url = cleanedURL(value)
        guard let scheme = scheme(of: url), scheme == "http" || scheme == "https" || scheme == "mailto" else {
            return nil
        }
        return scheme + url.dropFirst(scheme.utf8.count)
    }

    private static let dataImagePrefixes = [
        "data:image/png;base64,", "data:image/gif;base64,", "data:image/jpeg;base64,", "data:image/webp;base64,",
    ]

    /// Judges an `img src`.
    /// - Parameters:
    ///   - value: the decoded attribute value.
    ///   - maxDataBytes: the largest `data:` URL kept.
    ///   - mapContentID: maps the part after `cid:` to our own URL, or nil to drop it.
    static func imageSource(_ value: String, maxDataBytes: Int, mapContentID: (String) -> String?) -> ImageSource {
        let url = cleanedURL(value)
        if url.isEmpty { return .dropped }
        switch scheme(of: url) {
        case "cid":
            return mapContentID(String(url.dropFirst(4))).map { .kept($0) } ?? .dropped
        case "data":
            guard url.utf8.count <= maxDataBytes else { return .dropped }
            let lowered = url.lowercased()
            guard let prefix = dataImagePrefixes.first(where: { lowered.hasPrefix($0) }) else { return .dropped }
            // Spaces in base64 are allowed (and removed); tabs and newlines already were.
            let payload = url.utf8.dropFirst(prefix.utf8.count).filter { $0 != 0x20 }
            let base64 = payload.allSatisfy {
                HTMLTokenizer.isAlphanumeric($0) || $0 == 0x2B || $0 == 0x2F || $0 == 0x3D
            }
            return base64 ? .kept(prefix + String(decoding: payload, as: UTF8.self)) : .dropped
        case "javascript", "vbscript":
            return .dropped
        default:
            return .remote
        }
    }

    /// True when a browser would fetch `value` from the network (an absolute URL other
    /// than data:, cid: or a script scheme, or a relative one).
    static func loadsRemotely(_ value: String) -> Bool {
        let url = cleanedURL(value)
        if url.isEmpty { return false }
        switch scheme(of: url) {
        case "data", "cid", "javascript", "vbscript": return false
        default: return true
        }
    }
}
