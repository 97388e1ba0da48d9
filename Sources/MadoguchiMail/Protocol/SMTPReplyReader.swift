// SMTPReplyReader: reads SMTP replies (RFC 5321 4.2): `ddd-text` lines up to the
// `ddd text` (or bare `ddd`) one. SECURITY: each line is capped, the whole reply is
// capped, every line must carry the same valid code, and anything else is a
// protocol violation rather than a guess; the LineReader's per-read timeout and
// session deadline bound a slow drip (C6).

import MadoguchiCore

/// Reads replies from the relay.
struct SMTPReplyReader {
    /// A reply as read: its code and each line's text after `ddd-` or `ddd `.
    struct Raw {
        var code: Int
        var lines: [[UInt8]]
    }

    let reader: LineReader
    /// Longest line, CRLF included.
    let maxLineLength: Int
    /// Most bytes of one reply.
    let maxReplyBytes: Int

    /// Reads one complete reply.
    /// - Throws: `SMTPError.protocolViolation` (garbage, a line or reply too long, codes
    ///   that differ between lines), `.network` on timeout, deadline or end of stream.
    func read() throws(SMTPError) -> Raw {
        var lines: [[UInt8]] = []
        var code = 0
        var total = 0
        while true {
            let chunk: ArraySlice<UInt8>
            let complete: Bool
            do {
                (chunk, complete) = try reader.readLineChunk(limit: maxLineLength)
            } catch {
                throw SMTPError.wrapping(error)
            }
            guard complete else {
                throw SMTPError.protocolViolation("reply line longer than \(maxLineLength) bytes")
            }
            total += chunk.count
            guard total <= maxReplyBytes else {
                throw SMTPError.protocolViolation("reply longer than \(maxReplyBytes) bytes")
            }
            var line = chunk.dropLast()
            if line.last == 0x0D { line = line.dropLast() }
            guard let lineCode = Self.code(line), line.count == 3 || [0x20, 0x2D].contains(line[line.startIndex + 3])
            else {
                throw SMTPError.protocolViolation("garbage reply: " + FetchError.serverText(line))
            }
            if lines.isEmpty {
                code = lineCode
            } else if lineCode != code {
                throw SMTPError.protocolViolation("reply lines with codes \(code) and \(lineCode)")
            }
            lines.append(Array(line.dropFirst(4)))
            if line.count == 3 || line[line.startIndex + 3] == 0x20 { return Raw(code: code, lines: lines) }
        }
    }

    /// The reply code at the start of a line: 2-5, 0-5, 0-9 (RFC 5321 4.2), or nil.
    private static func code(_ line: ArraySlice<UInt8>) -> Int? {
        guard line.count >= 3 else { return nil }
        let digits = line.prefix(3).map { Int($0) - 0x30 }
        guard (2...5).contains(digits[0]), (0...5).contains(digits[1]), (0...9).contains(digits[2]) else {
            return nil
        }
        return digits[0] * 100 + digits[1] * 10 + digits[2]
    }
}
