// HTMLSanitizerBudgetTests: the sanitizer's budgets (madoguchi-security(7) A6, A7):
// deep nesting, oversized input, attribute storms, token and time limits all end
// quickly in `.overBudget` (the page then shows the text view), and pathological
// shapes take linear time.

import MadoguchiMail
import Testing

@Suite struct HTMLSanitizerBudgetTests {
    private func timed(_ body: () -> HTMLSanitizationResult) -> (HTMLSanitizationResult, Duration) {
        let clock = ContinuousClock()
        var result: HTMLSanitizationResult?
        let elapsed = clock.measure { result = body() }
        return (result!, elapsed)
    }

    @Test("100,000 nested <div> is over the depth budget at once")
    func deepNesting() {
        let input = String(repeating: "<div>", count: 100_000)
        let (result, elapsed) = timed { HTMLSanitizer().sanitize(input) }
        #expect(result == .overBudget(.depth))
        #expect(elapsed < .seconds(1))
        // 256 levels are still fine.
        let fine = String(repeating: "<div>", count: 256)
        #expect(HTMLSanitizer().sanitize(fine).document?.html == fine + String(repeating: "</div>", count: 256))
    }

    @Test("a 3 MiB body is over the size budget without being read")
    func oversizedInput() {
        let input = String(repeating: "<p>Hello, world.</p>\n", count: 3 << 20 / 21 + 1)
        #expect(input.utf8.count > 3 << 20)
        let (result, elapsed) = timed { HTMLSanitizer().sanitize(input) }
        #expect(result == .overBudget(.inputSize))
        #expect(elapsed < .seconds(1))
    }

    @Test("an attribute storm is over the attribute budget quickly; repeated names stay linear")
    func attributeStorm() {
        let distinct = "<p " + (0..<100_000).map { "a\($0)=x" }.joined(separator: " ") + ">x</p>"
        let (result, elapsed) = timed { HTMLSanitizer().sanitize(distinct) }
        #expect(result == .overBudget(.attributes))
        #expect(elapsed < .seconds(2))
        let repeated = "<p " + String(repeating: "style=x ", count: 100_000) + ">x</p>"
        let (again, elapsedAgain) = timed { HTMLSanitizer().sanitize(repeated) }
        #expect(again.document?.html == "<p>x</p>")
        #expect(elapsedAgain < .seconds(2))
    }

    @Test("the token and time budgets end the run with .overBudget")
    func tokenAndTimeBudgets() {
        var few = HTMLSanitizer.Configuration()
        few.maxTokens = 100
        let input = String(repeating: "<b>x</b>", count: 100)
        #expect(HTMLSanitizer(configuration: few).sanitize(input) == .overBudget(.tokens))
        var instant = HTMLSanitizer.Configuration()
        instant.timeBudget = .zero
        instant.clockInterval = 1
        #expect(HTMLSanitizer(configuration: instant).sanitize(input) == .overBudget(.time))
        #expect(HTMLSanitizer().sanitize(input).document != nil)
    }

    /// Shapes that make backtracking or nesting-sensitive sanitizers blow up.
    static let pathological: [(String, String)] = [
        ("ampersands", String(repeating: "&", count: 1 << 18)),
        ("unterminated references", String(repeating: "&#x41", count: 50_000)),
        ("less-than signs", String(repeating: "<", count: 1 << 18)),
        ("end tag opens", String(repeating: "</", count: 120_000)),
        ("comment opens", String(repeating: "<!--", count: 60_000)),
        ("unterminated attribute", "<img src='" + String(repeating: "a", count: 1 << 18)),
        ("attribute names", "<p " + String(repeating: "a=", count: 120_000)),
        ("unclosed elements", String(repeating: "<b><i><u>", count: 80) + String(repeating: "x</s>", count: 25_000)),
        ("mis-nested closers", String(repeating: "<b>x</i></b>", count: 20_000)),
        ("skipped script", "<script>" + String(repeating: "<!--<script>", count: 20_000)),
        ("long style", "<p style=\"" + String(repeating: "color: red; ", count: 20_000) + "\">x</p>"),
    ]

    @Test("pathological shapes finish in linear time", arguments: pathological)
    func linearTime(name: String, input: String) {
        let (result, elapsed) = timed { HTMLSanitizer().sanitize(input) }
        #expect(elapsed < .seconds(3), "\(name) took \(elapsed)")
        if let document = result.document {
            #expect(HTMLSanitizerChecks.problems(document.html).isEmpty, "\(name)")
        }
    }
}
