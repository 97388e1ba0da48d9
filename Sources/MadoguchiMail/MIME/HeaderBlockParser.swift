// HeaderBlockParser: splits one RFC 5322 header block into fields (folded lines
// joined, CRLF or bare LF) and finds where the body starts. Bounded by MailLimits:
// beyond the field count or block size it stops recording and reports why.
// Lines over 998 bytes are accepted. A line that is not a field (RFC 5322 section
// 2.2: a name of printable ASCII but ":", then ":") is skipped when more fields
// follow it before the blank line — an mbox "From " line quietly, anything else
// with a problem — and otherwise starts the body; fields read as body are a
// problem too, so no header damage that loses fields leaves an `ok` verdict.

import Glibc

/// Splits header blocks.
enum HeaderBlockParser {
    /// Parses the header block at the start of `range` in `bytes`.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>, limits: MailLimits) -> HeaderBlock {
        var block = HeaderBlock(fields: [], bodyStart: range.upperBound, problem: nil)
        var index = range.lowerBound
        let end = range.upperBound
        var nameRange: Range<Int>? = nil
        var valueStart = 0
        var valueEnd = 0
        var recording = true
        var firstLine = true
        func commit() {
            guard let name = nameRange else { return }
            nameRange = nil
            guard recording else { return }
            if valueEnd - range.lowerBound > limits.maxHeaderSize {
                recording = false
                block.problem = block.problem ?? "header block larger than \(limits.maxHeaderSize) bytes"
                return
            }
            if block.fields.count >= limits.maxHeaderFields {
                recording = false
                block.problem = block.problem ?? "more than \(limits.maxHeaderFields) header fields"
                return
            }
            block.fields.append(makeField(bytes, name: name, value: valueStart..<valueEnd))
        }
        // Lines before this offset were found by a lookahead to be fields,
        // continuations or mbox "From " lines, so a bad line there needs no new look.
        var checkedEnd = range.lowerBound
        while index < end {
            let lineEnd = findLineFeed(bytes, from: index, to: end)
            var contentEnd = lineEnd
            if contentEnd > index && bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            let next = lineEnd < end ? lineEnd + 1 : end
            if contentEnd == index {
                commit()
                block.bodyStart = next
                return block
            }
            let first = bytes[index]
            let isBlank = first == 0x20 || first == 0x09
            if isBlank && nameRange != nil {
                valueEnd = contentEnd
                index = next
                firstLine = false
                continue
            }
            if !isBlank, let colon = fieldNameEnd(bytes, from: index, to: contentEnd) {
                commit()
                var nameEnd = colon
                while nameEnd > index && (bytes[nameEnd - 1] == 0x20 || bytes[nameEnd - 1] == 0x09) { nameEnd -= 1 }
                nameRange = index..<nameEnd
                valueStart = colon + 1
                valueEnd = contentEnd
                index = next
                firstLine = false
                continue
            }
            // Neither a field nor the continuation of one.
            commit()
            let isFromLine = isMboxFrom(bytes, from: index, to: contentEnd)
            if !(firstLine && isFromLine) && index >= checkedEnd {
                // More header fields follow (old mailers write "Replied:" lines before
                // an mbox "From " line): skip the line. Otherwise the body starts here
                // (a missing blank line), and fields read as body are reported.
                let ahead = lookahead(bytes, from: next, to: min(end, range.lowerBound + limits.maxHeaderSize))
                if ahead.fields > 0 && !ahead.endsInBody {
                    checkedEnd = ahead.end
                } else {
                    if ahead.fields > 0 {
                        block.problem =
                            block.problem
                            ?? "header block cut at byte \(index) by a line without a field name; "
                            + "\(ahead.fields) header field line(s) after it read as body"
                    }
                    block.bodyStart = index
                    return block
                }
            }
            if !isFromLine {
                block.problem = block.problem ?? "header line without a field name at byte \(index) skipped"
            }
            firstLine = false
            index = next
        }
        commit()
        block.bodyStart = end
        return block
    }

    /// Whether the line is an mbox separator ("From " and the envelope sender).
    private static func isMboxFrom(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Bool {
        to - from >= 5 && bytes[from] == 0x46 && bytes[from + 1] == 0x72 && bytes[from + 2] == 0x6F
            && bytes[from + 3] == 0x6D && bytes[from + 4] == 0x20
    }

    /// What follows a line without a field name, up to the blank line ending the
    /// header block: how many field lines, and whether the lines read as a body
    /// instead (one that is neither a field, a continuation nor an mbox "From "
    /// line, or no blank line before `to`).
    private static func lookahead(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int)
        -> (fields: Int, endsInBody: Bool, end: Int)
    {
        var fields = 0
        var index = from
        while index < to {
            let lineEnd = findLineFeed(bytes, from: index, to: to)
            var contentEnd = lineEnd
            if contentEnd > index && bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            if contentEnd == index { return (fields, false, index) }
            let first = bytes[index]
            if first == 0x20 || first == 0x09 || isMboxFrom(bytes, from: index, to: contentEnd) {
                // A continuation or an mbox line: neither field nor body.
            } else if fieldNameEnd(bytes, from: index, to: contentEnd) != nil {
                fields += 1
            } else {
                return (fields, true, index)
            }
            if lineEnd >= to { break }
            index = lineEnd + 1
        }
        // No blank line before the end of the part or of the largest header block:
        // this is a body without a separator ("Hello\nTel: 03-1234" in a part), not
        // a header block.
        return (fields, true, to)
    }

    /// The offset of the next LF at or after `from`, or `to` if none.
    @inline(__always)
    static func findLineFeed(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int {
        guard from < to, let base = bytes.baseAddress else { return to }
        guard let found = memchr(base + from, 0x0A, to - from) else { return to }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// The colon ending a field name on this line, if the line starts with a valid name.
    private static func fieldNameEnd(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        var index = from
        var sawBlank = false
        while index < to {
            let byte = bytes[index]
            if byte == 0x3A { return index > from ? index : nil }
            if byte == 0x20 || byte == 0x09 {
                sawBlank = true
            } else if byte < 0x21 || byte > 0x7E || sawBlank {
                return nil
            }
            index += 1
        }
        return nil
    }

    /// Builds a field: name as text, value unfolded (line breaks removed) and trimmed.
    private static func makeField(_ bytes: UnsafeBufferPointer<UInt8>, name: Range<Int>, value: Range<Int>)
        -> HeaderField
    {
        let nameText = String(decoding: UnsafeBufferPointer(rebasing: bytes[name]), as: UTF8.self)
        var lower = value.lowerBound
        var upper = value.upperBound
        while lower < upper && isBlankOrBreak(bytes[lower]) { lower += 1 }
        while upper > lower && isBlankOrBreak(bytes[upper - 1]) { upper -= 1 }
        var raw = [UInt8]()
        raw.reserveCapacity(upper - lower)
        var index = lower
        while index < upper {
            let lineEnd = findLineFeed(bytes, from: index, to: upper)
            var contentEnd = lineEnd
            if contentEnd > index && bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            raw.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<contentEnd]))
            index = lineEnd + 1
        }
        return HeaderField(name: nameText, rawValue: raw)
    }

    @inline(__always)
    private static func isBlankOrBreak(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }
}
