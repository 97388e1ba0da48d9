// HTMLSanitizerChecks: the properties every sanitizer output must have, checked by
// re-tokenizing it: only allow-listed elements and attributes, no event handler, no
// script URL, every element closed in order, and a fixpoint (sanitizing again gives
// the same output). Used by HTMLSanitizerTests and HTMLSanitizerFuzzTests.

import MadoguchiMail
import Testing

enum HTMLSanitizerChecks {
    static let elements: Set<String> = [
        "p", "br", "div", "span", "b", "strong", "i", "em", "u", "s", "small", "big", "sub", "sup", "blockquote",
        "pre", "code", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table",
        "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "colgroup", "col", "img", "a", "font", "center",
    ]
    static let voids: Set<String> = ["br", "hr", "img", "col"]
    static let attributes: Set<String> = [
        "align", "valign", "width", "height", "colspan", "rowspan", "border", "cellpadding", "cellspacing",
        "bgcolor", "color", "face", "size", "dir", "lang", "title", "alt", "style", "href", "src", "rel", "target",
        "start", "type", "value", "span", "nowrap", "clear",
    ]

    /// The problems with `output`, empty when it has every property.
    static func problems(_ output: String) -> [String] {
        var problems: [String] = []
        var open: [String] = []
        var tokenizer = HTMLTokenizer(output)
        while let token = tokenizer.next() {
            switch token {
            case .startTag(let name, let attributes, let selfClosing):
                if !elements.contains(name) { problems.append("element \(name)") }
                if selfClosing { problems.append("self-closing \(name)") }
                for attribute in attributes {
                    if !Self.attributes.contains(attribute.name) || attribute.name.hasPrefix("on") {
                        problems.append("attribute \(attribute.name) on \(name)")
                    }
                    if attribute.name == "href",
                        !["http:", "https:", "mailto:"].contains(where: attribute.value.hasPrefix)
                    {
                        problems.append("href \(attribute.value)")
                    }
                    if attribute.name == "src",
                        !["cid:", "data:image/", "/"].contains(where: attribute.value.hasPrefix)
                    {
                        problems.append("src \(attribute.value)")
                    }
                }
                if !voids.contains(name) { open.append(name) }
            case .endTag(let name):
                if open.last != name { problems.append("end tag \(name) closes \(open.last ?? "nothing")") }
                if !open.isEmpty { open.removeLast() }
            case .comment:
                problems.append("comment")
            case .text:
                break
            }
        }
        if !open.isEmpty { problems.append("unclosed \(open)") }
        if tokenizer.endedInsideMarkup { problems.append("ends inside markup") }
        let lowered = output.lowercased()
        for needle in ["<script", "<svg", "<math", "<style", "<iframe", "<form"]
        where lowered.contains(needle) {
            problems.append("contains \(needle)")
        }
        if case .sanitized(let again) = HTMLSanitizer().sanitize(output) {
            if again.html != output { problems.append("not a fixpoint: \(again.html)") }
        } else {
            problems.append("second pass over budget")
        }
        return problems
    }

    /// Sanitizes `input` with the default closures and records every problem.
    @discardableResult
    static func sanitizeChecked(_ input: String, sourceLocation: SourceLocation = #_sourceLocation)
        -> SanitizedHTML?
    {
        guard case .sanitized(let result) = HTMLSanitizer().sanitize(input) else {
            Issue.record("over budget: \(input.prefix(80))", sourceLocation: sourceLocation)
            return nil
        }
        let found = problems(result.html)
        #expect(
            found.isEmpty, "\(input.prefix(200)) → \(result.html.prefix(300)): \(found)", sourceLocation: sourceLocation
        )
        return result
    }
}
