// Composing is cheap and linear: send-replies composes every queued reply (the
// issue's 1,000-reply benchmark must beat msmtp threefold), so no part of the
// composer may build its output quadratically. The benchmark (MADOGUCHI_BENCH=1)
// prints the time for a typical 2 KB Japanese reply in both charsets.

import Foundation
import MadoguchiTestSupport
import Testing

@testable import MadoguchiMail

@Suite struct ComposePerformanceTests {
    /// About `bytes` of Japanese business text with short ASCII lines mixed in.
    static func reply(bytes: Int) -> String {
        let paragraph = """
            いつも大変お世話になっております。株式会社サンプルのサポート窓口でございます。
            お問い合わせいただきました件につきまして、下記のとおりご回答申し上げます。
            ご注文番号: 12345-678 / ①②③ ㈱ 髙﨑
            ご不明な点がございましたら、お気軽にお問い合わせください。

            """
        var text = ""
        while text.utf8.count < bytes { text += paragraph }
        return text
    }

    static func cpuSeconds(text: String, charset: OutgoingCharset, count: Int) throws -> Double {
        let message = try ComposeChecks.message(
            subject: "Re: [#123-K7Q2MX] お問い合わせの件", text: text, charset: charset, references: ["<a@b.example>"])
        var failure: ComposeError? = nil
        let duration = ThreadCPUTime.measure {
            for _ in 0..<count {
                do throws(ComposeError) { _ = try MessageComposer.compose(message) } catch { failure = error }
            }
        }
        #expect(failure == nil)
        return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    @Test("compose time grows linearly with the body", arguments: OutgoingCharset.allCases)
    func linear(_ charset: OutgoingCharset) throws {
        _ = try Self.cpuSeconds(text: Self.reply(bytes: 2048), charset: charset, count: 2)
        let small = try Self.cpuSeconds(text: Self.reply(bytes: 4096), charset: charset, count: 32)
        let large = try Self.cpuSeconds(text: Self.reply(bytes: 131_072), charset: charset, count: 1)
        // 32 times the text, once: linear work costs about the same as the 32 small ones.
        #expect(large < small * 4, "4 KiB ×32: \(small) s, 128 KiB ×1: \(large) s")
    }

    @Test(
        "benchmark: compose a 2 KB Japanese reply",
        .enabled(if: ProcessInfo.processInfo.environment["MADOGUCHI_BENCH"] != nil))
    func benchmark() throws {
        for charset in OutgoingCharset.allCases {
            let seconds = try Self.cpuSeconds(text: Self.reply(bytes: 2048), charset: charset, count: 1000)
            print(
                "compose 2 KB Japanese reply, \(charset.rawValue): \(Int(seconds * 1e3)) µs per message (1,000 in \(seconds) s CPU)"
            )
        }
    }
}
