// MessageComposer+Attachment: one attached file as a MIME part (C5). The name is
// sanitized like a download's (AttachmentName). A name of letters, digits and
// `-._ ` is sent as `filename="…"`; any other goes as RFC 2231
// `filename*=UTF-8''…` (split into numbered sections when long, section 3, so no
// header line passes 78 columns) with its ASCII fallback in the Content-Type's
// `name="…"`, which clients without RFC 2231 read. The fallback is not also put
// in `filename="…"`: readers such as Python's `email` package take a plain
// `filename` over `filename*` (RFC 6266 section 4.3 asks the opposite), and the
// customer would see underscores. The media type must be a
// `type/subtype` of RFC 6838 restricted names; multipart and message types are not
// allowed in base64 (RFC 2046 section 5), so those and anything invalid are sent
// as application/octet-stream. The data is base64 in 76-character lines.

extension MessageComposer {
    /// Longest ASCII fallback name, in characters.
    static let maxFallbackName = 60
    /// Longest RFC 2231 section value, in characters.
    static let maxSection = 60

    /// Appends the part (headers, blank line, base64 data) for `attachment`.
    static func attachmentPart(_ attachment: OutgoingAttachment, into bytes: inout [UInt8]) {
        let name = AttachmentName.sanitized(attachment.filename)
        let fallback = shortened(AttachmentName.ascii(name))
        var header = HeaderWriter()
        header.field(
            "Content-Type", [Array((mediaType(attachment.contentType) + ";").utf8), Array("name=\"\(fallback)\"".utf8)])
        var disposition = [Array("attachment;".utf8)]
        if fallback == name {
            disposition.append(Array("filename=\"\(fallback)\"".utf8))
        } else {
            disposition += extendedParameter("filename", name)
        }
        header.field("Content-Disposition", disposition)
        header.field("Content-Transfer-Encoding", "base64")
        header.end()
        bytes += header.bytes
        TransferEncoding.base64(attachment.data, wrap: true, into: &bytes)
    }

    /// `type/subtype` lower-cased if both are RFC 6838 restricted names and the type is
    /// neither multipart nor message; `application/octet-stream` otherwise.
    static func mediaType(_ text: String) -> String {
        let octetStream = "application/octet-stream"
        let parts = text.lowercased().split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy(isRestrictedName), parts[0] != "multipart", parts[0] != "message"
        else { return octetStream }
        return parts.joined(separator: "/")
    }

    /// RFC 6838 section 4.2: a letter or digit, then up to 126 of letters, digits and `!#$&-^_.+`.
    private static func isRestrictedName(_ name: Substring) -> Bool {
        guard let first = name.utf8.first, isAlphanumeric(first), name.utf8.count <= 127 else { return false }
        return name.utf8.allSatisfy { isAlphanumeric($0) || Array("!#$&-^_.+".utf8).contains($0) }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// `name` cut to `maxFallbackName` characters, keeping a short extension.
    private static func shortened(_ name: String) -> String {
        guard name.count > maxFallbackName else { return name }
        if let dot = name.lastIndex(of: "."), name.distance(from: dot, to: name.endIndex) <= 10 {
            let suffix = name[dot...]
            return String(name.prefix(maxFallbackName - suffix.count)) + suffix
        }
        return String(name.prefix(maxFallbackName))
    }

    /// The RFC 2231 tokens for parameter `attribute` with the UTF-8 value `value`:
    /// `attribute*=UTF-8''…`, or numbered sections `attribute*0*=UTF-8''…;`,
    /// `attribute*1*=…;` … when that would be long; whole characters per section.
    static func extendedParameter(_ attribute: String, _ value: String) -> [[UInt8]] {
        var sections: [[UInt8]] = []
        var current: [UInt8] = []
        for character in value {
            var piece: [UInt8] = []
            for byte in character.utf8 {
                if isAlphanumeric(byte) || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E {
                    piece.append(byte)
                } else {
                    let hex = Array("0123456789ABCDEF".utf8)
                    piece += [0x25, hex[Int(byte >> 4)], hex[Int(byte & 15)]]
                }
            }
            // The first section also carries "UTF-8''".
            let room = sections.isEmpty ? maxSection - 7 : maxSection
            if !current.isEmpty && current.count + piece.count > room {
                sections.append(current)
                current = []
            }
            current += piece
        }
        sections.append(current)
        let charset = Array("UTF-8''".utf8)
        if sections.count == 1 { return [Array("\(attribute)*=".utf8) + charset + sections[0]] }
        return sections.enumerated().map { number, section in
            let last = number == sections.count - 1
            return Array("\(attribute)*\(number)*=".utf8) + (number == 0 ? charset : []) + section
                + (last ? [] : [0x3B])
        }
    }
}
