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

        /// What the lists above say about one element, found with one lookup per tag.
        struct ElementKind: OptionSet {
            let rawValue: UInt16
            static let kept = ElementKind(rawValue: 1 << 0)
            static let void = ElementKind(rawValue: 1 << 1)
            static let droppedWithContent = ElementKind(rawValue: 1 << 2)
            static let closesParagraph = ElementKind(rawValue: 1 << 3)
            static let heading = ElementKind(rawValue: 1 << 4)
            static let foreignBreakout = ElementKind(rawValue: 1 << 5)
            static let loadsHref = ElementKind(rawValue: 1 << 6)
            static let extraAttributes = ElementKind(rawValue: 1 << 7)
        }

        private static let kinds: [String: ElementKind] = {
            var kinds: [String: ElementKind] = [:]
            let lists: [(Set<String>, ElementKind)] = [
                (elements, .kept), (voidElements, .void), (droppedWithContent, .droppedWithContent),
                (closesParagraph, .closesParagraph), (headings, .heading), (foreignBreakout, .foreignBreakout),
                (loadingHref, .loadsHref), (Set(elementAttributes.keys), .extraAttributes),
            ]
            for (names, kind) in lists {
                for name in names { kinds[name, default: []].insert(kind) }
            }
            return kinds
        }()

        /// The kind of the element `name` (empty for an unknown one).
        static func kind(_ name: String) -> ElementKind { kinds[name] ?? [] }

        /// What the lists say about one attribute name.
        enum AttributeKind {
            /// Kept on every allowed element.
            case kept
            /// Makes a browser load something.
            case loading
        }

        /// The kind of the attribute `name`, nil for others.
        static let attributeKinds: [String: AttributeKind] = {
            var kinds: [String: AttributeKind] = [:]
            for name in attributes { kinds[name] = .kept }
            for name in loadingAttributes { kinds[name] = .loading }
            return kinds
        }()

        /// True when a `/>` on `name` really ends it (only in SVG and MathML).
        static func honoursSelfClosing(_ name: String) -> Bool { name == "svg" || name == "math" }

        /// Elements a new `p`-closing block start tag closes an open `p` for.
        static let closesParagraph: Set<String> = [
            "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "dt", "dd", "li", "pre", "blockquote",
            "hr", "table", "center",
        ]

        /// Kept elements in the standard's "special" category a list item search stops at.
        static let special: Set<String> = [
            "blockquote", "center", "dd", "dl", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ol", "ul", "pre",
            "table", "tbody", "td", "tfoot", "th", "thead", "tr", "caption", "colgroup",
        ]

        static let headings: Set<String> = ["h1", "h2", "h3", "h4", "h5", "h6"]
        static let tableParts: Set<String> = [
            "td", "th", "tr", "thead", "tbody", "tfoot", "caption", "colgroup",
        ]

        /// How far up the open elements an end tag may reach (the standard's scopes,
        /// reduced to the kept elements).
        enum EndTagScope {
            /// `table`: anywhere.
            case document
            /// Table parts: not past a table.
            case table
            /// `li`: not past a cell, caption, table or list.
            case listItem
            /// Everything else: not past a cell, caption or table.
            case cell

            init(_ name: String) {
                if name == "table" {
                    self = .document
                } else if tableParts.contains(name) {
                    self = .table
                } else {
                    self = name == "li" ? .listItem : .cell
                }
            }

            /// True when the end tag may not close past the open element `name`.
            func stops(at name: String) -> Bool {
                switch self {
                case .document: false
                case .table: name == "table"
                case .listItem:
                    name == "td" || name == "th" || name == "caption" || name == "table" || name == "ul" || name == "ol"
                case .cell: name == "td" || name == "th" || name == "caption" || name == "table"
                }
            }
        }
    }
}
