// Composed messages over many random replies: whatever the subject, names, body and
// file names hold (controls, line separators, emoji, combining marks, Japanese,
// any BMP scalar), the bytes are 7-bit, CRLF only, no line over 998 octets (header
// lines at most 78), one field of each, and the parser reads the text back. The
// seeded generator of HTMLSanitizerFuzzTests keeps failures reproducible.

import Foundation
import Testing

@testable import MadoguchiMail

@Suite struct ComposePropertyTests {
    static let pools: [[UInt32]] = [
        Array(0x00...0x7F), [0x0D, 0x0A, 0x2E, 0x20, 0x3D, 0x3F, 0x22, 0x5C, 0x3C, 0x2C, 0x09], Array(0x80...0x9F),
        [0x2028, 0x2029, 0x85, 0xFEFF, 0x202E, 0x200D], Array(0x3041...0x30FF), Array(0x4E00...0x4F00),
        Array(0xFF61...0xFF9F), [0x2460, 0x3231, 0x2116, 0x337B, 0x9AD9, 0xFA11, 0x2170, 0x301C, 0xFF5E, 0x2212],
        [0x1F600, 0x1F468, 0x1F1EF, 0x1F1F5, 0xAC00, 0xE9, 0x301, 0x3099], Array(0xA0...0xD7FF),
    ]

    static func randomText(_ generator: inout HTMLSanitizerFuzzTests.SeededGenerator, maxLength: Int) -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...maxLength, using: &generator) {
            let pool = pools[Int.random(in: 0..<pools.count, using: &generator)]
            if let scalar = Unicode.Scalar(pool[Int.random(in: 0..<pool.count, using: &generator)]) {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    @Test("random replies compose to well-formed 7-bit messages that read back")
    func randomReplies() throws {
        var generator = HTMLSanitizerFuzzTests.SeededGenerator(state: 20_240_410)
        var unencodable = 0
        for round in 0..<400 {
            let charset: OutgoingCharset = round % 2 == 0 ? .utf8 : .iso2022JP
            var subject = Self.randomText(&generator, maxLength: 120)
            var text = Self.randomText(&generator, maxLength: 600)
            let toName = Self.randomText(&generator, maxLength: 60)
            let fromName = Self.randomText(&generator, maxLength: 40)
            let attachments =
                round % 5 == 0
                ? [
                    OutgoingAttachment(
                        filename: Self.randomText(&generator, maxLength: 80),
                        contentType: Self.randomText(&generator, maxLength: 20), data: Array(text.utf8))
                ] : []
            var composed: ComposedMessage? = nil
            // An unencodable error must name every character in the way: without them
            // (taken out of the cleaned texts) the reply composes.
            for _ in 0..<3 where composed == nil {
                let message = try ComposeChecks.message(
                    subject: subject, text: text, charset: charset, toName: toName, fromName: fromName,
                    attachments: attachments)
                do {
                    composed = try MessageComposer.compose(message)
                } catch {
                    guard case .unencodable(let failed, let characters) = error, failed == .iso2022JP,
                        !characters.isEmpty
                    else {
                        Issue.record("round \(round): \(error)")
                        break
                    }
                    for character in characters {
                        #expect(!ISO2022JPEncoder.canEncode(character.unicodeScalars))
                    }
                    let bad = Set(characters)
                    subject = String(HeaderText.clean(subject).filter { !bad.contains($0) })
                    text = String(
                        String(decoding: TextBody.normalized(text), as: UTF8.self).filter { !bad.contains($0) })
                    unencodable += 1
                }
            }
            guard let composed else {
                Issue.record("round \(round): still unencodable")
                continue
            }
            #expect(ComposeChecks.problems(composed.bytes) == [], "round \(round)")
            let lines = ComposeChecks.headerLines(composed.bytes)
            #expect(lines.allSatisfy { $0.utf8.count <= 78 }, "round \(round): \(lines)")
            let parsed = ComposeChecks.parse(composed.bytes)
            #expect(parsed.verdict == .ok)
            if charset == .utf8 {
                // ISO-2022-JP folds some characters (ComposeISO2022JPTests); UTF-8 reads back exactly.
                #expect(parsed.subject == HeaderText.clean(subject), "round \(round)")
                let body = String(decoding: TextBody.normalized(text), as: UTF8.self)
                #expect(parsed.textBody == ComposeChecks.lf(body), "round \(round)")
            }
            #expect(parsed.to.map(\.address) == ["hanako@example.jp"])
        }
        #expect(unencodable > 0)
    }
}
