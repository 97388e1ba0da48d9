// HTMLTokenizerTests: the tokenizer against the tricky cases of the HTML standard's
// tokenization states (WHATWG HTML 13.2.5): attribute edge cases, comments incl.
// `<!-->` and `--!>`, end of input inside markup, RAWTEXT/RCDATA/script data, and the
// numeric character reference replacement rules.

import MadoguchiMail
import Testing

@Suite struct HTMLTokenizerTests {
    private static func start(_ name: String, _ attributes: [(String, String)] = [], selfClosing: Bool = false)
        -> HTMLToken
    {
        .startTag(
            name: name, attributes: attributes.map { HTMLAttribute(name: $0.0, value: $0.1) }, selfClosing: selfClosing)
    }

    static let cases: [(String, [HTMLToken])] = [
        ("<a href='x'b>", [start("a", [("href", "x"), ("b", "")])]),
        ("<div<div>", [start("div<div")]),
        ("</ >", [.comment(" ")]),
        ("</>x", [.text("x")]),
        ("<!--->", [.comment("")]),
        ("<!-->", [.comment("")]),
        ("<!--a--!>b", [.comment("a"), .text("b")]),
        ("<!--a--!-->", [.comment("a--!")]),
        ("<!--<!---->", [.comment("<!--")]),
        ("<!-- a - b -- c -->", [.comment(" a - b -- c ")]),
        ("<scr<script>ipt>", [start("scr<script"), .text("ipt>")]),
        ("<P A=1 a=2 B>", [start("p", [("a", "1"), ("b", "")])]),
        ("<a href=x\"y>", [start("a", [("href", "x\"y")])]),
        ("<div =a>", [start("div", [("=a", "")])]),
        ("<br/><a/b>", [start("br", selfClosing: true), start("a", [("b", "")])]),
        ("<img src=>", [start("img", [("src", "")])]),
        ("<p></p foo=bar>", [start("p"), .endTag(name: "p")]),
        ("<!DOCTYPE html><p>", [start("p")]),
        ("<!doctype html PUBLIC \">\"><p>", [.text("\">"), start("p")]),
        ("<?xml version=\"1.0\"?>", [.comment("?xml version=\"1.0\"?")]),
        ("<![CDATA[x]]>", [.comment("[CDATA[x]]")]),
        ("<!x>", [.comment("x")]),
        ("a<b", [.text("a")]),
        ("a<", [.text("a<")]),
        ("a</", [.text("a</")]),
        ("a< b", [.text("a< b")]),
        ("a\r\nb\rc", [.text("a\nb\nc")]),
        ("a\u{0}b<p x=\"\u{0}\">", [.text("ab"), start("p", [("x", "\u{FFFD}")])]),
        ("<style><b>x</b></style>", [start("style"), .text("<b>x</b>"), .endTag(name: "style")]),
        ("<style></styl></style >x", [start("style"), .text("</styl>"), .endTag(name: "style"), .text("x")]),
        ("<title>&amp;<b></title>", [start("title"), .text("&<b>"), .endTag(name: "title")]),
        ("<textarea></textarea/>", [start("textarea"), .endTag(name: "textarea")]),
        ("<xmp>&amp;</xmp>", [start("xmp"), .text("&amp;"), .endTag(name: "xmp")]),
        (
            "<noscript><p title=\"</noscript><img>\">",
            [start("noscript"), .text("<p title=\""), .endTag(name: "noscript"), start("img"), .text("\">")]
        ),
        ("<script>a</b>c</script>", [start("script"), .text("a</b>c"), .endTag(name: "script")]),
        (
            "<script><!--<script></script>x</script>",
            [start("script"), .text("<!--<script></script>x"), .endTag(name: "script")]
        ),
        ("<script><!--x--></script>", [start("script"), .text("<!--x-->"), .endTag(name: "script")]),
        ("<plaintext></plaintext><b>", [start("plaintext"), .text("</plaintext><b>")]),
        (
            "<iframe><script>x</script></iframe>",
            [start("iframe"), .text("<script>x</script>"), .endTag(name: "iframe")]
        ),
        // Character references.
        ("&#0;&#x110000;&#xD800;&#128;&#x9F;&#x81;", [.text("\u{FFFD}\u{FFFD}\u{FFFD}€Ÿ\u{81}")]),
        ("&#65&#x42;&#X43;&#99999999999;", [.text("ABC\u{FFFD}")]),
        ("&#;&#x;&#xg", [.text("&#;&#x;&#xg")]),
        ("&amp &lt;&gt&quot;&apos;&nbsp;&copy;&reg;", [.text("& <>\"'\u{A0}©®")]),
        ("&notit; &noti; &hearts; &bogus; & x", [.text("¬it; ¬i; ♥ &bogus; & x")]),
        ("<a href=\"?a=1&copy=2&copy2&amp=&lt;\">", [start("a", [("href", "?a=1&copy=2&copy2&amp=<")])]),
        ("<a href='&#x6A;ava&#x09;script:'>", [start("a", [("href", "java\tscript:")])]),
    ]

    @Test("tokenizer states follow the HTML standard", arguments: cases)
    func states(input: String, expected: [HTMLToken]) {
        #expect(HTMLTokenizer.tokenize(input) == expected)
    }

    @Test("end of input inside a tag, attribute or comment drops it and says so")
    func endOfInputInsideMarkup() {
        for input in ["x<a href=\"foo", "x<a href='foo", "x<a href=foo", "x<a href", "x<a ", "x<a/", "x<ab"] {
            var tokenizer = HTMLTokenizer(input)
            #expect(tokenizer.next() == .text("x"), "\(input)")
            #expect(tokenizer.next() == nil, "\(input)")
            #expect(tokenizer.endedInsideMarkup, "\(input)")
        }
        var comment = HTMLTokenizer("<!--abc")
        #expect(comment.next() == .comment("abc"))
        #expect(comment.next() == nil)
        #expect(comment.endedInsideMarkup)
        var plain = HTMLTokenizer("<p>x</p>")
        while plain.next() != nil {}
        #expect(!plain.endedInsideMarkup)
    }

    @Test("attributes beyond the cap are dropped and flagged")
    func attributeCap() {
        let input = "<p " + (0..<10).map { "a\($0)=1" }.joined(separator: " ") + ">"
        var tokenizer = HTMLTokenizer(input, maxAttributesPerTag: 4)
        guard case .startTag(_, let attributes, _) = tokenizer.next() else {
            Issue.record("no start tag")
            return
        }
        #expect(attributes.count == 4)
        #expect(tokenizer.attributeLimitExceeded)
    }
}
