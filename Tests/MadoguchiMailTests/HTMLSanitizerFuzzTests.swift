// HTMLSanitizerFuzzTests: a seeded property test over random character soup built
// from HTML's syntax characters and hostile fragments: the sanitizer never crashes,
// its output re-tokenizes to the allow-list, is well-formed, and is a fixpoint.
// (Tests/Fuzz/run-parser-fuzzer.sh also runs it under libFuzzer, HTMLSanitizerFuzz.)

import MadoguchiMail
import Testing

@Suite struct HTMLSanitizerFuzzTests {
    /// Knuth's MMIX linear congruential generator, high bits first: deterministic, so
    /// a failure replays from its seed.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 32 | state << 32
        }
    }

    static let fragments: [String] = [
        "<", ">", "/", "=", "\"", "'", "&", "#", "x", ";", "-", "!", "?", " ", "\n", "\r", "\t", "\u{0}", "`",
        "<!--", "-->", "--!>", "<!-->", "<![CDATA[", "]]>", "<!DOCTYPE html>", "<?", "</", "/>",
        "<script>", "</script>", "<style>", "</style>", "<svg>", "</svg>", "<math>", "</math>", "<mtext>",
        "<mglyph>", "<noscript>", "</noscript>", "<title>", "</title>", "<textarea>", "</textarea>",
        "<plaintext>", "<iframe>", "</iframe>", "<template>", "<form>", "</form>", "<head>", "</head>", "<body>",
        "<p>", "</p>", "<div>", "</div>", "<table>", "<tr>", "<td>", "</td>", "</table>", "<li>", "<ul>", "</ul>",
        "<dl>", "<dt>", "<dd>", "</dl>", "<h1>", "<h2>", "</h1>", "<ol>", "</li>", "<thead>", "<tbody>",
        "<caption>", "<th>", "</tr>", "<center>", "<blockquote>", "<pre>", "<b>", "</b>", "<i>", "</i>", "<a href=",
        "</a>", "<img src=", "<font color=red>", "<br/>", "<hr>",
        "onerror=", "onload=alert(1)", "javascript:", "jav&#x09;ascript:", "vbscript:", "data:image/png;base64,AA==",
        "data:text/html,", "cid:x", "http://evil.example/", "//evil", "style=\"", "color: red", "url(", "expression(",
        "&amp;", "&lt;", "&#x", "&#0;", "&#128;", "&#x110000;", "&copy", "&notit;", "\u{85}", "\u{202E}",
        "日本語", "\u{FFFD}", "🎉",
    ]

    static func soup(_ generator: inout SeededGenerator) -> String {
        var text = ""
        let pieces = Int.random(in: 0...120, using: &generator)
        for _ in 0..<pieces {
            if Int.random(in: 0..<8, using: &generator) == 0 {
                let scalar = Unicode.Scalar(UInt32.random(in: 0...0x2FFF, using: &generator)) ?? "?"
                text.unicodeScalars.append(scalar)
            } else {
                text += fragments.randomElement(using: &generator)!
            }
        }
        return text
    }

    @Test("random soup: no crash, allow-listed, well-formed, idempotent", .timeLimit(.minutes(1)))
    func soupProperty() {
        var generator = SeededGenerator(state: 0x6D61_646F_6775_6368)
        for index in 0..<3000 {
            let input = Self.soup(&generator)
            guard case .sanitized(let result) = HTMLSanitizer().sanitize(input) else {
                Issue.record("case \(index) over budget")
                continue
            }
            let problems = HTMLSanitizerChecks.problems(result.html)
            #expect(problems.isEmpty, "case \(index): \(input.debugDescription) → \(result.html): \(problems)")
            if !problems.isEmpty { return }
        }
    }

    @Test("the checks catch what they look for")
    func checksAreNotVacuous() {
        for bad in [
            "<script></script>", "<p onclick=\"x\"></p>", "<a href=\"javascript:x\"></a>", "<p>", "</p>", "<x></x>",
            "<img src=\"http://e/\">", "<!--c-->", "<b><i></b></i>",
        ] {
            #expect(!HTMLSanitizerChecks.problems(bad).isEmpty, "\(bad)")
        }
        #expect(HTMLSanitizerChecks.problems("<p title=\"&lt;\">x</p><br>").isEmpty)
    }
}
