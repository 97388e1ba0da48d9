// MIMEWalker: walks the MIME tree of one message with an explicit stack (no
// recursion), splitting multipart bodies, decoding leaves and sorting them into
// body texts and attachments. Rules (documented for inspect-mail):
// - every multipart/* is entered, message/rfc822 never (one opaque attachment);
// - a leaf is a body part if text/plain or text/html, not disposition attachment,
//   no file name; every other leaf is an attachment;
// - text/plain body parts are joined in document order, except that below a
//   multipart/alternative only its first text/plain counts; the HTML body is the
//   first text/html body part;
// - duplicate Content-Type: the first wins; multipart without a boundary (or with
//   no boundary line in the body, or a boundary over 200 bytes) is read as
//   text/plain; a missing close boundary ends the last part at the end of the
//   body; preamble and epilogue are dropped.

import Glibc

/// One walk over a message.
struct MIMEWalker {
    let bytes: UnsafeBufferPointer<UInt8>
    let limits: MailLimits
    private(set) var problem: String? = nil
    private(set) var textBody: [UInt8]? = nil
    private(set) var htmlBody: [UInt8]? = nil
    private(set) var attachments: [MailAttachment] = []
    private var usedGroups = Set<Int>()
    private var nextGroup = 0
    private var partCount = 0

    /// Longest boundary accepted (RFC 2046 allows 70); longer ones read as text so
    /// the delimiter search stays cheap.
    static let maxBoundaryLength = 200

    private struct Frame {
        var range: Range<Int>
        var depth: Int
        var group: Int?
        var digest: Bool
    }

    init(bytes: UnsafeBufferPointer<UInt8>, limits: MailLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    /// Records the first problem (the verdict's reason).
    mutating func note(_ reason: String) {
        if problem == nil { problem = reason }
    }

    /// Walks the tree under the top-level header block already parsed.
    mutating func walk(top: HeaderBlock) {
        var stack = [Frame(range: 0..<bytes.count, depth: 0, group: nil, digest: false)]
        var first = true
        while let frame = stack.popLast() {
            partCount += 1
            if partCount > limits.maxParts {
                note("more than \(limits.maxParts) MIME parts")
                return
            }
            let block: HeaderBlock
            if first {
                block = top
                first = false
            } else {
                block = HeaderBlockParser.parse(bytes, range: frame.range, limits: limits)
                if let reason = block.problem { note(reason) }
            }
            let fields = block.fields
            let body = min(block.bodyStart, frame.range.upperBound)..<frame.range.upperBound
            let contentType = rawField(fields, MessageParser.Key.contentType).map { MIMEHeaderValue($0) }
            var type = contentType?.value ?? ""
            if !type.contains("/") { type = frame.digest ? "message/rfc822" : "text/plain" }
            if type.hasPrefix("multipart/"), let boundary = contentType?.rawParameter("boundary"),
                !boundary.isEmpty, boundary.count <= MIMEWalker.maxBoundaryLength
            {
                if frame.depth >= limits.maxDepth {
                    note("MIME nesting deeper than \(limits.maxDepth) levels")
                    continue
                }
                let parts = split(body, boundary: boundary)
                if !parts.isEmpty {
                    var group = frame.group
                    if type == "multipart/alternative" {
                        group = nextGroup
                        nextGroup += 1
                    }
                    for part in parts.reversed() {
                        stack.append(
                            Frame(range: part, depth: frame.depth + 1, group: group, digest: type == "multipart/digest")
                        )
                    }
                    continue
                }
                type = "text/plain"
            } else if type.hasPrefix("multipart/") {
                type = "text/plain"
            }
            leaf(fields, contentType, type: type, body: body, group: frame.group)
        }
    }

    private func rawField(_ fields: [HeaderField], _ key: [UInt8]) -> [UInt8]? {
        fields.first { $0.isNamed(key) }?.rawValue
    }

    /// Sorts one leaf into the bodies or the attachments.
    private mutating func leaf(
        _ fields: [HeaderField], _ contentType: MIMEHeaderValue?, type: String, body: Range<Int>, group: Int?
    ) {
        let disposition = rawField(fields, MessageParser.Key.contentDisposition).map { MIMEHeaderValue($0) }
        var filename = disposition?.parameter("filename")
        if filename?.isEmpty ?? true { filename = contentType?.parameter("name") }
        if filename?.isEmpty == true { filename = nil }
        let isAttachmentDisposition = disposition?.value == "attachment"
        let isText = type == "text/plain" || type == "text/html"
        let data = decodeTransfer(fields, body)
        if isText && !isAttachmentDisposition && filename == nil {
            let charset = contentType?.rawParameter("charset")
            let text = data.withUnsafeBufferPointer { buffer in
                MIMEWalker.normalizeLineEnds(Charset.decodeToUTF8(buffer, label: charset.map { $0[...] }))
            }
            if type == "text/html" {
                if htmlBody == nil { htmlBody = text }
                return
            }
            if let group {
                if usedGroups.contains(group) { return }
                usedGroups.insert(group)
            }
            if var existing = textBody {
                if let last = existing.last, last != 0x0A, !text.isEmpty { existing.append(0x0A) }
                existing += text
                textBody = existing
            } else {
                textBody = text
            }
            return
        }
        let contentID = rawField(fields, MessageParser.Key.contentID).flatMap(MailAttachment.contentID)
        attachments.append(MailAttachment(filename: filename, contentType: type, data: data, contentID: contentID))
    }

    /// The transfer-decoded bytes of a body range.
    private func decodeTransfer(_ fields: [HeaderField], _ body: Range<Int>) -> [UInt8] {
        let slice = UnsafeBufferPointer(rebasing: bytes[body])
        guard let encoding = rawField(fields, MessageParser.Key.transferEncoding) else { return Array(slice) }
        let name = String(decoding: encoding.filter { $0 > 0x20 }.map { $0 | 0x20 }, as: UTF8.self)
        var out = [UInt8]()
        switch name {
        case "base64":
            TransferDecoding.base64(slice, into: &out)
        case "quoted-printable":
            TransferDecoding.quotedPrintable(slice, into: &out)
        default:
            // 7bit, 8bit, binary, x-unknown: the bytes as they are.
            out = Array(slice)
        }
        return out
    }

    /// CRLF and lone CR become LF.
    static func normalizeLineEnds(_ text: [UInt8]) -> [UInt8] {
        text.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, memchr(base, 0x0D, buffer.count) != nil else { return text }
            var out = [UInt8]()
            out.reserveCapacity(buffer.count)
            var index = 0
            let count = buffer.count
            while index < count {
                guard let hit = memchr(base + index, 0x0D, count - index) else {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[index..<count]))
                    break
                }
                let position = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[index..<position]))
                out.append(0x0A)
                index = position + 1
                if index < count && buffer[index] == 0x0A { index += 1 }
            }
            return out
        }
    }

    /// Splits a multipart body at its delimiter lines ("--boundary" plus optional
    /// blanks; the close delimiter is "--boundary--"). Returns the part ranges; the
    /// line break before a delimiter belongs to the delimiter. At most maxParts + 1.
    private func split(_ body: Range<Int>, boundary: [UInt8]) -> [Range<Int>] {
        guard let base = bytes.baseAddress else { return [] }
        let delimiter = [0x2D, 0x2D] + boundary
        var parts: [Range<Int>] = []
        var partStart: Int? = nil
        var position = body.lowerBound
        let end = body.upperBound
        while position < end {
            // Find the next "--boundary" and check it starts a line.
            guard let start = find(delimiter, from: position, to: end, base: base) else { break }
            position = start + delimiter.count
            guard start == body.lowerBound || bytes[start - 1] == 0x0A else { continue }
            let lineEnd = HeaderBlockParser.findLineFeed(bytes, from: position, to: end)
            var cursor = position
            let isClose = cursor + 1 < end && bytes[cursor] == 0x2D && bytes[cursor + 1] == 0x2D
            if isClose { cursor += 2 }
            var onlyBlanks = true
            while cursor < lineEnd {
                let byte = bytes[cursor]
                if byte != 0x20 && byte != 0x09 && byte != 0x0D {
                    onlyBlanks = false
                    break
                }
                cursor += 1
            }
            // Text after a close delimiter is tolerated; after an open one it means "not a delimiter".
            guard onlyBlanks || isClose else { continue }
            if let partStart {
                var partEnd = start
                if partEnd > partStart && bytes[partEnd - 1] == 0x0A { partEnd -= 1 }
                if partEnd > partStart && bytes[partEnd - 1] == 0x0D { partEnd -= 1 }
                parts.append(partStart..<max(partStart, partEnd))
                if parts.count > limits.maxParts { return parts }
            }
            if isClose {
                partStart = nil
                break
            }
            partStart = lineEnd < end ? lineEnd + 1 : end
            position = partStart ?? end
        }
        if let partStart { parts.append(partStart..<end) }
        return parts
    }

    /// The offset of the next occurrence of `needle` (which starts with "--") in `from..<to`.
    private func find(_ needle: [UInt8], from: Int, to: Int, base: UnsafePointer<UInt8>) -> Int? {
        var position = from
        let length = needle.count
        return needle.withUnsafeBufferPointer { needleBuffer -> Int? in
            guard let needleBase = needleBuffer.baseAddress else { return nil }
            while to - position >= length {
                guard let hit = memchr(base + position, 0x2D, to - position - length + 1) else { return nil }
                let start = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(base + start, needleBase, length) == 0 { return start }
                position = start + 1
            }
            return nil
        }
    }
}
