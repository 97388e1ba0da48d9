// HTMLSanitizer: the allow-list re-serializer for HTML mail. Reads HTMLTokenizer's
// tokens, keeps the allow-listed elements and attributes, drops the rest (script,
// style, svg, math and the like with their content), and writes new, well-formed HTML
// from its own stack of open elements. Linear in the input, with size, depth, token
// and time budgets. SECURITY: madoguchi-security(7) A1–A7; the output is meant for a
// sandboxed frame only, never inline in our own pages.

/// Turns hostile HTML into HTML that is safe to show in a sandboxed frame.
///
/// `sanitize(sanitize(x)) == sanitize(x)` when the link and content-id closures map
/// their own results to themselves (the defaults do): the output is a fixpoint of the
/// policy.
public struct HTMLSanitizer: Sendable {
    /// The budgets.
    public var configuration: Configuration

    /// Creates a sanitizer.
    /// - Parameter configuration: the budgets (defaults: 2 MiB, depth 256, 500,000
    ///   tokens, 128 attributes per tag, 250 ms).
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Sanitizes one HTML part.
    /// - Parameters:
    ///   - html: the decoded text of the part (`ParsedMessage.htmlBody`).
    ///   - rewriteLink: called with every http, https or mailto link (scheme in lower
    ///     case, controls removed); returns the `href` to write (the web page's
    ///     `/go?u=…&s=…`) or nil to drop the link. Links get
    ///     `rel="noopener noreferrer" target="_blank"`.
    ///   - mapContentID: called with what follows `cid:` in an image source; returns
    ///     the `src` to write (our own URL for that part) or nil to drop it.
    /// - Returns: the sanitized document, or `.overBudget` naming the budget that was
    ///   exceeded (show the text view instead).
    public func sanitize(
        _ html: String, rewriteLink: (String) -> String? = { $0 },
        mapContentID: (String) -> String? = { "cid:" + $0 }
    ) -> HTMLSanitizationResult {
        guard html.utf8.count <= configuration.maxInputBytes else { return .overBudget(.inputSize) }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: configuration.timeBudget)
        let clockInterval = max(1, configuration.clockInterval)
        var tokenizer = HTMLTokenizer(html, maxAttributesPerTag: configuration.maxAttributesPerTag)
        var output = HTMLOutput(capacity: html.utf8.count)
        var open: [String] = []
        // The dropped element whose content is being skipped, how many of the same name
        // are open inside it, and (in a head) the dropped element open inside it.
        var skipping: (name: String, depth: Int, inner: String?)? = nil
        var remote = 0
        var tokens = 0
        while let token = tokenizer.next() {
            tokens += 1
            if tokens > configuration.maxTokens { return .overBudget(.tokens) }
            if tokens % clockInterval == 0, clock.now >= deadline { return .overBudget(.time) }
            if tokenizer.attributeLimitExceeded { return .overBudget(.attributes) }
            switch token {
            case .startTag(let name, let attributes, let selfClosing):
                // Kept elements count what they load in keptAttributes (unless skipped).
                let kind = Policy.kind(name)
                let allowed = kind.contains(.kept)
                if !allowed { remote += attributes.count { Self.loads($0, on: kind) } }
                let closed = selfClosing && Policy.honoursSelfClosing(name)
                if var skip = skipping {
                    guard Self.endsSkip(skip, startTag: name, kind: kind, attributes: attributes) else {
                        if allowed { remote += attributes.count { Self.loads($0, on: kind) } }
                        if name == skip.name && !closed { skip.depth += 1 }
                        if skip.inner == nil && kind.contains(.droppedWithContent) && !kind.contains(.void) {
                            skip.inner = name
                        }
                        skipping = skip
                        continue
                    }
                    skipping = nil
                }
                if kind.contains(.droppedWithContent) {
                    if !closed && !kind.contains(.void) { skipping = (name, 1, nil) }
                    continue
                }
                guard allowed else { continue }
                Self.closeImplied(before: name, kind: kind, open: &open, output: &output)
                let (kept, blocked) = keptAttributes(
                    attributes, on: name, kind: kind, rewriteLink: rewriteLink, mapContentID: mapContentID)
                remote += blocked
                output.startTag(name, attributes: kept)
                if !kind.contains(.void) {
                    open.append(name)
                    if open.count > configuration.maxDepth { return .overBudget(.depth) }
                }
            case .endTag(let name):
                if var skip = skipping {
                    if name == skip.inner { skip.inner = nil }
                    if name == skip.name { skip.depth -= 1 }
                    skipping = skip.depth == 0 ? nil : skip
                    continue
                }
                let kind = Policy.kind(name)
                guard kind.contains(.kept), !kind.contains(.void) else { continue }
                let scope = Policy.EndTagScope(name)
                guard let index = open.lastIndex(where: { $0 == name || scope.stops(at: $0) }),
                    open[index] == name
                else { continue }
                while open.count > index { output.endTag(open.removeLast()) }
            case .text(let text):
                if let skip = skipping {
                    if skip.name == "style" || skip.inner == "style" {
                        let lowered = ASCIIBytes.lowered(text.utf8)[...]
                        if ASCIIBytes.contains(lowered, "url(") || ASCIIBytes.contains(lowered, "@import") {
                            remote += 1
                        }
                    }
                    // Text that is not white space ends the head, as in a browser.
                    guard skip.name == "head", skip.inner == nil,
                        text.unicodeScalars.contains(where: { !Self.isSpace($0) })
                    else {
                        continue
                    }
                    skipping = nil
                }
                output.text(text)
            case .comment:
                continue
            }
        }
        while let name = open.popLast() { output.endTag(name) }
        return .sanitized(
            SanitizedHTML(
                html: output.html, remoteContentBlocked: remote,
                truncated: tokenizer.endedInsideMarkup || skipping != nil))
    }

    // MARK: - Elements

    /// True when the start tag `name` ends the skipped element: `body` or kept content
    /// ends a head (unless inside a template or the like in it), the standard's
    /// breakout tags end SVG and MathML.
    private static func endsSkip(
        _ skipped: (name: String, depth: Int, inner: String?), startTag name: String, kind: Policy.ElementKind,
        attributes: [HTMLAttribute]
    ) -> Bool {
        switch skipped.name {
        case "head":
            return skipped.inner == nil && (name == "body" || kind.contains(.kept))
        case "svg", "math":
            if kind.contains(.foreignBreakout) { return true }
            return name == "font" && attributes.contains { ["color", "face", "size"].contains($0.name) }
        default:
            return false
        }
    }

    /// Closes what a browser closes before `name` starts: an open paragraph before a
    /// block, the previous list item, cell, row or table section.
    private static func closeImplied(
        before name: String, kind: Policy.ElementKind, open: inout [String], output: inout HTMLOutput
    ) {
        // Until nothing changes: one close can expose another (a list item under a
        // paragraph the block closed), and the output must leave nothing for a second
        // pass to close, or sanitizing it again would differ.
        var before: Int
        repeat {
            before = open.count
            closeImpliedOnce(before: name, kind: kind, open: &open, output: &output)
        } while open.count < before
    }

    private static func closeImpliedOnce(
        before name: String, kind: Policy.ElementKind, open: inout [String], output: inout HTMLOutput
    ) {
        func closeThrough(_ index: Int) {
            while open.count > index { output.endTag(open.removeLast()) }
        }
        func closeNearest(_ target: (String) -> Bool, stoppingAt stop: (String) -> Bool) {
            for index in open.indices.reversed() {
                if target(open[index]) {
                    closeThrough(index)
                    return
                }
                if stop(open[index]) { return }
            }
        }
        func isSection(_ name: String) -> Bool { name == "tbody" || name == "thead" || name == "tfoot" }
        func isScopeBoundary(_ name: String) -> Bool { Policy.EndTagScope.cell.stops(at: name) }
        switch name {
        case "li":
            closeNearest({ $0 == "li" }, stoppingAt: Policy.special.contains)
        case "dt", "dd":
            closeNearest({ $0 == "dt" || $0 == "dd" }, stoppingAt: Policy.special.contains)
        case "td", "th":
            closeNearest({ $0 == "td" || $0 == "th" }, stoppingAt: { $0 == "tr" || $0 == "table" || isSection($0) })
        case "tr":
            closeNearest({ $0 == "tr" }, stoppingAt: { $0 == "table" || isSection($0) })
        case "thead", "tbody", "tfoot":
            closeNearest(isSection, stoppingAt: { $0 == "table" })
        case "a":
            closeNearest({ $0 == "a" }, stoppingAt: isScopeBoundary)
        default:
            break
        }
        if kind.contains(.closesParagraph) {
            closeNearest({ $0 == "p" }, stoppingAt: isScopeBoundary)
        }
        if kind.contains(.heading), let last = open.last, Policy.kind(last).contains(.heading) {
            closeThrough(open.count - 1)
        }
    }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\n" || scalar == "\t" || scalar == "\u{0C}"
    }

    // MARK: - Attributes

    /// True when `attribute` on a dropped or kept `element` would make a browser load
    /// something (only counted here; what is kept is decided by keptAttributes).
    private static func loads(_ attribute: HTMLAttribute, on element: Policy.ElementKind) -> Bool {
        if attribute.name == "style" { return false }
        if Policy.attributeKinds[attribute.name] == .loading { return loadsRemotely(attribute.value) }
        if attribute.name == "xlink:href" || (attribute.name == "href" && element.contains(.loadsHref)) {
            return loadsRemotely(attribute.value)
        }
        return false
    }

    /// The attributes kept on the allowed element `element`, in document order, and
    /// how many remote references were removed from them.
    private func keptAttributes(
        _ attributes: [HTMLAttribute], on element: String, kind: Policy.ElementKind, rewriteLink: (String) -> String?,
        mapContentID: (String) -> String?
    ) -> (kept: [(name: String, value: String)], remote: Int) {
        var kept: [(name: String, value: String)] = []
        var remote = 0
        var linked = false
        for attribute in attributes {
            switch attribute.name {
            case "href" where element == "a":
                if let target = Self.linkTarget(attribute.value), let rewritten = rewriteLink(target) {
                    kept.append(("href", rewritten))
                    linked = true
                }
            case "src" where element == "img":
                switch Self.imageSource(
                    attribute.value, maxDataBytes: configuration.maxDataImageBytes, mapContentID: mapContentID)
                {
                case .kept(let source): kept.append(("src", source))
                case .remote: remote += 1
                case .dropped: break
                }
            case "style":
                let outcome = InlineStyleFilter.filter(attribute.value)
                if outcome.loadsRemotely { remote += 1 }
                if let style = outcome.style { kept.append(("style", style)) }
            default:
                let attributeKind = Policy.attributeKinds[attribute.name]
                if attributeKind == .kept
                    || (kind.contains(.extraAttributes)
                        && Policy.elementAttributes[element]?.contains(attribute.name) == true)
                {
                    kept.append((attribute.name, attribute.value))
                } else if Self.loads(attribute, on: kind) {
                    remote += 1
                }
            }
        }
        if linked {
            kept.append(("rel", "noopener noreferrer"))
            kept.append(("target", "_blank"))
        }
        return (kept, remote)
    }
}
