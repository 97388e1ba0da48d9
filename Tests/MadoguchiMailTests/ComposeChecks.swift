// ComposeChecks: the shape every composed message must have (7-bit bytes, CRLF
// line ends only, no line over 998 octets, one of each header field, no Cc or
// Bcc) and builders for the replies the Compose* suites send.

import Foundation
import MadoguchiTestSupport
import Testing

@testable import MadoguchiMail

enum ComposeChecks {
    /// A reply with defaults for what a test does not care about.
    static func message(
        subject: String = "Re: お問い合わせ", text: String = "お世話になっております。\n",
        charset: OutgoingCharset = .utf8, toName: String? = "佐藤 花子", fromName: String? = "サポート窓口",
        inReplyTo: String? = nil, references: [String] = [], attachments: [OutgoingAttachment] = []
    ) throws -> OutgoingMessage {
        OutgoingMessage(
            from: try OutgoingAddress("support@madoguchi.example", displayName: fromName),
            to: try OutgoingAddress("hanako@example.jp", displayName: toName), subject: subject, text: text,
            charset: charset, messageID: "<madoguchi.12.ABCDEFGHJKMNPQRS.TVWXYZ2345@madoguchi.example>",
            inReplyTo: inReplyTo, references: references, date: Date(timeIntervalSince1970: 1_680_570_000),
            timeZone: TimeZone(secondsFromGMT: 9 * 3600)!, attachments: attachments)
    }

    /// The problems with `bytes` as a message for SMTP DATA; empty when there are none.
    static func problems(_ bytes: [UInt8]) -> [String] {
        var problems: [String] = []
        if let high = bytes.first(where: { $0 >= 0x80 }) { problems.append("8-bit byte \(high)") }
        if bytes.contains(0) { problems.append("NUL") }
        var lineLength = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0D {
                if index + 1 < bytes.count && bytes[index + 1] == 0x0A {
                    if lineLength > 998 { problems.append("line of \(lineLength) octets") }
                    lineLength = 0
                    index += 2
                    continue
                }
                problems.append("bare CR at \(index)")
            } else if byte == 0x0A {
                problems.append("bare LF at \(index)")
            }
            lineLength += 1
            index += 1
        }
        if lineLength > 0 { problems.append("no CRLF at the end") }
        let header = headerNames(bytes)
        for name in ["date", "from", "to", "subject", "message-id", "mime-version", "content-type"]
        where header.filter({ $0 == name }).count != 1 {
            problems.append("\(header.filter { $0 == name }.count) \(name) fields")
        }
        for name in header where header.filter({ $0 == name }).count > 1 { problems.append("repeated \(name)") }
        if header.contains("cc") || header.contains("bcc") { problems.append("Cc or Bcc field") }
        return problems
    }

    /// The lower-cased names of the top-level header fields, in order.
    static func headerNames(_ bytes: [UInt8]) -> [String] {
        var names: [String] = []
        for line in headerLines(bytes) where line.first != " " && line.first != "\t" {
            if let colon = line.firstIndex(of: ":") { names.append(line[..<colon].lowercased()) }
        }
        return names
    }

    /// The raw header lines (folded lines separate), without CRLF.
    static func headerLines(_ bytes: [UInt8]) -> [String] {
        let text = String(decoding: bytes, as: UTF8.self)
        let head = text.components(separatedBy: "\r\n\r\n").first ?? ""
        return head.components(separatedBy: "\r\n")
    }

    /// `text` with each CRLF turned into LF, scalar by scalar (Foundation's
    /// `replacingOccurrences` misses a CRLF followed by a combining mark).
    static func lf(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var previousCR = false
        for scalar in text.unicodeScalars {
            if previousCR && scalar != "\n" { scalars.append("\r") }
            previousCR = scalar == "\r"
            if !previousCR { scalars.append(scalar) }
        }
        if previousCR { scalars.append("\r") }
        return String(scalars)
    }

    /// The bytes after the header block.
    static func body(_ bytes: [UInt8]) -> [UInt8] {
        var index = 0
        while index + 3 < bytes.count {
            if bytes[index..<(index + 4)].elementsEqual([0x0D, 0x0A, 0x0D, 0x0A]) {
                return Array(bytes[(index + 4)...])
            }
            index += 1
        }
        return []
    }

    /// The unfolded value of the first top-level field `name`.
    static func field(_ bytes: [UInt8], _ name: String) -> String? {
        let unfolded = headerLines(bytes).reduce(into: [String]()) { lines, line in
            if line.first == " " || line.first == "\t", !lines.isEmpty {
                lines[lines.count - 1] += line
            } else {
                lines.append(line)
            }
        }
        let prefix = name.lowercased() + ":"
        guard let line = unfolded.first(where: { $0.lowercased().hasPrefix(prefix) }) else { return nil }
        return String(line.dropFirst(prefix.count).drop(while: { $0 == " " }))
    }

    /// Parses `bytes` with the repository's own parser.
    static func parse(_ bytes: [UInt8]) -> ParsedMessage {
        MailFixture.parse(bytes)
    }
}
