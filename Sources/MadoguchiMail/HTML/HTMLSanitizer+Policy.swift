// HTMLSanitizer+Policy: the allow-lists (elements, attributes) and the few implied
// end tags the re-serializer applies so that its output nests the way a browser
// would build it. Everything not listed here is dropped (madoguchi-security(7) A1, A3, A5).

extension HTMLSanitizer {
    /// Every element name the output may contain.
    public static var allowedElements: Set<String> { Policy.elements }

    /// Every attribute name the output may contain (`rel` and `target` are added to
    /// links; `href` only on `a`, `src` only on `img`).
    public static var allowedAttributes: Set<String> {
        Policy.attributes.union(Policy.elementAttributes.values.joined()).union([
            "style", "href", "src", "rel", "target",
        ])
    }

    /// The element and attribute allow-lists.
    enum Policy {
        /// Elements kept (their tag and, after filtering, their attributes).
        static let elements: Set<String> = [
            "p", "br", "div", "span", "b", "strong", "i", "em", "u", "s", "small", "big", "sub", "sup",
            "blockquote", "pre", "code", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt",
            "dd", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "colgroup", "col", "img", "a",
            "font", "center",
        ]

        /// Elements without an end tag (WHATWG HTML 13.1.2), kept or not.
        static let voidElements: Set<String> = [
            "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input", "keygen",
            "link", "meta", "param", "source", "track", "wbr",
        ]

        /// Elements dropped together with everything inside them.
        static let droppedWithContent: Set<String> = [
            "script", "style", "title", "head", "iframe", "object", "embed", "applet", "svg", "math", "template",
            "noscript", "noembed", "noframes", "frameset", "frame", "form", "input", "button", "select", "option",
            "optgroup", "datalist", "textarea", "keygen", "audio", "video", "canvas", "picture", "source", "track",
            "param",
        ]

        /// Start tags that end SVG or MathML content in a browser (WHATWG HTML 13.2.6.5,
        /// "any other start tag" breakout list), so they end a dropped svg or math.
        static let foreignBreakout: Set<String> = [
            "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed", "h1",
            "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu", "meta", "nobr", "ol",
            "p", "pre", "ruby", "s", "small", "span", "strong", "strike", "sub", "sup", "table", "tt", "u", "ul",
            "var",
        ]

        /// Attributes kept on every allowed element (besides `style`, filtered by
        /// InlineStyleFilter). No event handlers, no id/class/name (clobbering).
        static let attributes: Set<String> = [
            "align", "valign", "width", "height", "colspan", "rowspan", "border", "cellpadding", "cellspacing",
            "bgcolor", "color", "face", "size", "dir", "lang", "title", "alt",
        ]

        /// Attributes kept on one element only.
        static let elementAttributes: [String: Set<String>] = [
            "ol": ["start", "type"], "ul": ["type"], "li": ["type", "value"], "col": ["span"],
            "colgroup": ["span"], "td": ["nowrap"], "th": ["nowrap"], "br": ["clear"],
        ]

        /// Attributes through which a browser would load something.
        static let loadingAttributes: Set<String> = [
            "src", "srcset", "background", "poster", "lowsrc", "dynsrc", "data", "codebase", "archive",
        ]

        /// Elements whose `href` a browser loads (style sheets, SVG images and uses).
        static let loadingHref: Set<String> = ["link", "feimage", "image", "use", "script"]

        /// True when a `/>` on `name` really ends it (only in SVG and MathML).
        static func honoursSelfClosing(_ name: String) -> Bool { name == "svg" || name == "math" }

        /// Elements a new `p`-closing block start tag closes an open `p` for.
        static let closesParagraph: Set<String> = [
            "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "dt", "dd", "li", "pre", "blockquote",
            "hr", "table", "center",
        ]

        /// Open elements an implied end tag of a paragraph, list item or anchor does not
        /// reach past (the standard's scopes, reduced to the kept elements).
        static let scopeBoundaries: Set<String> = ["td", "th", "caption", "table"]

        /// Kept elements in the standard's "special" category a list item search stops at.
        static let special: Set<String> = [
            "blockquote", "center", "dd", "dl", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ol", "ul", "pre",
            "table", "tbody", "td", "tfoot", "th", "thead", "tr", "caption", "colgroup",
        ]

        static let headings: Set<String> = ["h1", "h2", "h3", "h4", "h5", "h6"]
        static let tableSections: Set<String> = ["thead", "tbody", "tfoot"]
        static let tableParts: Set<String> = [
            "td", "th", "tr", "thead", "tbody", "tfoot", "caption", "colgroup",
        ]

        /// The elements an end tag `name` may not close past.
        static func endTagBoundaries(_ name: String) -> Set<String> {
            if name == "table" { return [] }
            if tableParts.contains(name) { return ["table"] }
            if name == "li" { return scopeBoundaries.union(["ul", "ol"]) }
            return scopeBoundaries
        }
    }
}
