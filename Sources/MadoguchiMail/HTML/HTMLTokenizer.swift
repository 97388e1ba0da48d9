// HTMLTokenizer: a tokenizer that follows the tokenization states of the HTML standard
// (WHATWG HTML 13.2.5) over the decoded text of a mail part. Pure and linear: one pass
// over the UTF-8 bytes, no backtracking beyond a bounded character reference.
// SECURITY: the input is hostile (madoguchi-security(7) A1–A7); attributes per tag
// are capped so a storm of them cannot make the duplicate check quadratic.

/// Splits HTML text into tokens the way a browser's tokenizer does.
///
/// The tree construction stage is not modelled except for the text states it selects:
/// after a `title` or `textarea` start tag the tokenizer reads RCDATA, after `style`,
/// `xmp`, `iframe`, `noembed`, `noframes` and `noscript` RAWTEXT, after `script`
/// script data, after `plaintext` the rest as text.
public struct HTMLTokenizer {
    let input: [UInt8]
    var position = 0
    private var state: State = .data
    private var queue: [HTMLToken] = []
    private var queueHead = 0
    private var finished = false
    var text: [UInt8] = []
    private var tagName: [UInt8] = []
    private var tagIsEnd = false
    private var selfClosing = false
    private var attributes: [HTMLAttribute] = []
    private var attributeName: [UInt8] = []
    var attributeValue: [UInt8] = []
    private var hasAttribute = false
    private var commentText: [UInt8] = []
    private var lastStartTag: [UInt8] = []
    private var temporary: [UInt8] = []
    private let maxAttributesPerTag: Int

    /// True when the input ended inside a tag, comment or DOCTYPE (whatever was
    /// open there is dropped, as the standard says).
    public private(set) var endedInsideMarkup = false
    /// True when some start tag had more than `maxAttributesPerTag` attributes; the
    /// ones beyond the cap were dropped.
    public private(set) var attributeLimitExceeded = false

    /// Creates a tokenizer over `html`. CR LF and lone CR become LF, as the standard's
    /// input stream preprocessing says.
    /// - Parameters:
    ///   - html: the decoded text of the HTML part.
    ///   - maxAttributesPerTag: attributes kept per tag; more set `attributeLimitExceeded`.
    public init(_ html: String, maxAttributesPerTag: Int = 128) {
        var bytes = Array(html.utf8)
        if bytes.contains(0x0D) {
            var normalized = [UInt8]()
            normalized.reserveCapacity(bytes.count)
            var index = 0
            while index < bytes.count {
                if bytes[index] == 0x0D {
                    normalized.append(0x0A)
                    if index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
                } else {
                    normalized.append(bytes[index])
                }
                index += 1
            }
            bytes = normalized
        }
        input = bytes
        self.maxAttributesPerTag = maxAttributesPerTag
    }

    /// All tokens of `html`.
    /// - Parameter html: the text to tokenize.
    public static func tokenize(_ html: String) -> [HTMLToken] {
        var tokenizer = HTMLTokenizer(html)
        var tokens: [HTMLToken] = []
        while let token = tokenizer.next() { tokens.append(token) }
        return tokens
    }

    /// The next token, or nil at the end of the input. Adjacent text is one token.
    public mutating func next() -> HTMLToken? {
        while queueHead == queue.count {
            if finished { return nil }
            queue.removeAll(keepingCapacity: true)
            queueHead = 0
            run()
        }
        queueHead += 1
        return queue[queueHead - 1]
    }

    // MARK: - Emitting

    private static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    private mutating func flushText() {
        guard !text.isEmpty else { return }
        queue.append(.text(String(decoding: text, as: UTF8.self)))
        text.removeAll(keepingCapacity: true)
    }

    private mutating func startTag(end: Bool) {
        tagName.removeAll(keepingCapacity: true)
        tagIsEnd = end
        selfClosing = false
        attributes = []  // the last tag's array went out with its token
        hasAttribute = false
    }

    private mutating func startAttribute() {
        commitAttribute()
        hasAttribute = true
        attributeName.removeAll(keepingCapacity: true)
        attributeValue.removeAll(keepingCapacity: true)
    }

    /// Keeps the attribute being read unless its name is already taken (the standard
    /// drops later duplicates) or the tag has reached the cap.
    private mutating func commitAttribute() {
        guard hasAttribute else { return }
        hasAttribute = false
        if attributes.count >= maxAttributesPerTag {
            attributeLimitExceeded = true
            return
        }
        let name = String(decoding: attributeName, as: UTF8.self)
        if attributes.contains(where: { $0.name == name }) { return }
        attributes.append(HTMLAttribute(name: name, value: String(decoding: attributeValue, as: UTF8.self)))
    }

    /// Emits the current tag and switches to the state that follows it.
    private mutating func emitTag() {
        commitAttribute()
        flushText()
        let name = String(decoding: tagName, as: UTF8.self)
        if tagIsEnd {
            queue.append(.endTag(name: name))
            state = .data
        } else {
            queue.append(.startTag(name: name, attributes: attributes, selfClosing: selfClosing))
            state = Self.contentState(afterStartTag: tagName)
            // Only the text states look for an "appropriate end tag".
            if state != .data { lastStartTag = tagName }
        }
    }

    private mutating func emitComment() {
        flushText()
        queue.append(.comment(String(decoding: commentText, as: UTF8.self)))
        state = .data
    }

    private mutating func endOfFile(insideMarkup: Bool) {
        if insideMarkup { endedInsideMarkup = true }
        flushText()
        finished = true
    }

    private var isAppropriateEndTag: Bool { !lastStartTag.isEmpty && tagName == lastStartTag }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0C
    }

    private static func lowered(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    // MARK: - The state machine

    /// Runs the state machine until a token is queued or the input ends.
    private mutating func run() {
        while queue.isEmpty && !finished {
            let current: UInt8? = position < input.count ? input[position] : nil
            switch state {
            case .data, .rcdata, .rawtext, .scriptData, .plaintext:
                textState(current)
            case .tagOpen, .endTagOpen, .tagName:
                tagStates(current)
            case .rcdataLessThanSign, .rcdataEndTagOpen, .rcdataEndTagName, .rawtextLessThanSign,
                .rawtextEndTagOpen, .rawtextEndTagName, .scriptDataLessThanSign, .scriptDataEndTagOpen,
                .scriptDataEndTagName, .scriptDataEscapedEndTagOpen, .scriptDataEscapedEndTagName:
                rawEndTagStates(current)
            case .scriptDataEscapeStart, .scriptDataEscapeStartDash, .scriptDataEscaped, .scriptDataEscapedDash,
                .scriptDataEscapedDashDash, .scriptDataEscapedLessThanSign, .scriptDataDoubleEscapeStart,
                .scriptDataDoubleEscaped, .scriptDataDoubleEscapedDash, .scriptDataDoubleEscapedDashDash,
                .scriptDataDoubleEscapedLessThanSign, .scriptDataDoubleEscapeEnd:
                scriptEscapeStates(current)
            case .beforeAttributeName, .attributeName, .afterAttributeName, .beforeAttributeValue,
                .attributeValueDoubleQuoted, .attributeValueSingleQuoted, .attributeValueUnquoted,
                .afterAttributeValueQuoted, .selfClosingStartTag:
                attributeStates(current)
            case .bogusComment, .markupDeclarationOpen, .commentStart, .commentStartDash, .comment,
                .commentLessThanSign, .commentLessThanSignBang, .commentLessThanSignBangDash,
                .commentLessThanSignBangDashDash, .commentEndDash, .commentEnd, .commentEndBang, .doctype:
                commentStates(current)
            }
        }
    }

    /// Data, RCDATA, RAWTEXT, script data and PLAINTEXT (13.2.5.1–13.2.5.5).
    private mutating func textState(_ current: UInt8?) {
        guard let byte = current else {
            endOfFile(insideMarkup: false)
            return
        }
        let characterReferences = state == .data || state == .rcdata
        let opensTag = state != .plaintext
        // Fast path: the run of ordinary bytes.
        if takeRun(
            into: .text, stoppingAt: { $0 == 0 || ($0 == 0x3C && opensTag) || ($0 == 0x26 && characterReferences) })
        {
            return
        }
        position += 1
        switch byte {
        case 0x26:
            consumeCharacterReference(inAttribute: false)
        case 0x3C:
            switch state {
            case .data: state = .tagOpen
            case .rcdata: state = .rcdataLessThanSign
            case .rawtext: state = .rawtextLessThanSign
            default: state = .scriptDataLessThanSign
            }
        default:
            // NUL: the tree builder drops it in data; elsewhere it is U+FFFD.
            if state != .data { text.append(contentsOf: Self.replacement) }
        }
    }

    /// Tag open, end tag open and tag name (13.2.5.6–13.2.5.8).
    private mutating func tagStates(_ current: UInt8?) {
        switch state {
        case .tagOpen:
            switch current {
            case 0x21: position += 1; state = .markupDeclarationOpen
            case 0x2F: position += 1; state = .endTagOpen
            case let byte? where Self.isAlpha(byte): startTag(end: false); state = .tagName
            case 0x3F: commentText.removeAll(keepingCapacity: true); state = .bogusComment
            case nil: text.append(0x3C); endOfFile(insideMarkup: false)
            default: text.append(0x3C); state = .data
            }
        case .endTagOpen:
            switch current {
            case let byte? where Self.isAlpha(byte): startTag(end: true); state = .tagName
            case 0x3E: position += 1; state = .data
            case nil: text.append(contentsOf: [0x3C, 0x2F]); endOfFile(insideMarkup: false)
            default: commentText.removeAll(keepingCapacity: true); state = .bogusComment
            }
        default:
            guard let byte = current else {
                endOfFile(insideMarkup: true)
                return
            }
            position += 1
            switch byte {
            case 0x09, 0x0A, 0x0C, 0x20: state = .beforeAttributeName
            case 0x2F: state = .selfClosingStartTag
            case 0x3E: emitTag()
            case 0: tagName.append(contentsOf: Self.replacement)
            default: tagName.append(Self.lowered(byte))
            }
        }
    }

    /// The `<`, `</` and end tag name states of RCDATA, RAWTEXT and script data, plain
    /// and escaped (13.2.5.9–13.2.5.17, 13.2.5.25–13.2.5.27): only the end tag of the
    /// element that opened the text ends it.
    private mutating func rawEndTagStates(_ current: UInt8?) {
        let textState: State
        switch state {
        case .rcdataLessThanSign, .rcdataEndTagOpen, .rcdataEndTagName: textState = .rcdata
        case .rawtextLessThanSign, .rawtextEndTagOpen, .rawtextEndTagName: textState = .rawtext
        case .scriptDataEscapedEndTagOpen, .scriptDataEscapedEndTagName: textState = .scriptDataEscaped
        default: textState = .scriptData
        }
        switch state {
        case .rcdataLessThanSign, .rawtextLessThanSign, .scriptDataLessThanSign:
            if current == 0x2F {
                endTagSlash(
                    then:
                        textState == .rcdata
                        ? .rcdataEndTagOpen : textState == .rawtext ? .rawtextEndTagOpen : .scriptDataEndTagOpen)
            } else if textState == .scriptData, current == 0x21 {
                position += 1
                text.append(contentsOf: [0x3C, 0x21])
                state = .scriptDataEscapeStart
            } else {
                text.append(0x3C)
                state = textState
            }
        case .rcdataEndTagOpen, .rawtextEndTagOpen, .scriptDataEndTagOpen, .scriptDataEscapedEndTagOpen:
            if let byte = current, Self.isAlpha(byte) {
                startTag(end: true)
                switch textState {
                case .rcdata: state = .rcdataEndTagName
                case .rawtext: state = .rawtextEndTagName
                case .scriptDataEscaped: state = .scriptDataEscapedEndTagName
                default: state = .scriptDataEndTagName
                }
            } else {
                text.append(contentsOf: [0x3C, 0x2F])
                state = textState
            }
        default:
            if let byte = current {
                if Self.isAlpha(byte) {
                    position += 1
                    tagName.append(Self.lowered(byte))
                    temporary.append(byte)
                    return
                }
                if isAppropriateEndTag {
                    switch byte {
                    case 0x09, 0x0A, 0x0C, 0x20:
                        position += 1
                        state = .beforeAttributeName
                        return
                    case 0x2F:
                        position += 1
                        state = .selfClosingStartTag
                        return
                    case 0x3E:
                        position += 1
                        emitTag()
                        return
                    default: break
                    }
                }
            }
            text.append(contentsOf: [0x3C, 0x2F])
            text.append(contentsOf: temporary)
            state = textState
        }
    }

    /// The script data escape states (13.2.5.18–13.2.5.24, 13.2.5.28–13.2.5.33).
    private mutating func scriptEscapeStates(_ current: UInt8?) {
        switch state {
        case .scriptDataEscapeStart, .scriptDataEscapeStartDash:
            if current == 0x2D {
                position += 1
                text.append(0x2D)
                state = state == .scriptDataEscapeStart ? .scriptDataEscapeStartDash : .scriptDataEscapedDashDash
            } else {
                state = .scriptData
            }
            return
        case .scriptDataEscapedLessThanSign:
            if current == 0x2F {
                endTagSlash(then: .scriptDataEscapedEndTagOpen)
            } else if let byte = current, Self.isAlpha(byte) {
                temporary.removeAll(keepingCapacity: true)
                text.append(0x3C)
                state = .scriptDataDoubleEscapeStart
            } else {
                text.append(0x3C)
                state = .scriptDataEscaped
            }
            return
        case .scriptDataDoubleEscapedLessThanSign:
            if current == 0x2F {
                text.append(0x2F)
                endTagSlash(then: .scriptDataDoubleEscapeEnd)
            } else {
                state = .scriptDataDoubleEscaped
            }
            return
        case .scriptDataDoubleEscapeStart, .scriptDataDoubleEscapeEnd:
            let starting = state == .scriptDataDoubleEscapeStart
            switch current {
            case 0x09, 0x0A, 0x0C, 0x20, 0x2F, 0x3E:
                position += 1
                text.append(current!)
                let isScript = temporary == Array("script".utf8)
                if starting {
                    state = isScript ? .scriptDataDoubleEscaped : .scriptDataEscaped
                } else {
                    state = isScript ? .scriptDataEscaped : .scriptDataDoubleEscaped
                }
            case let byte? where Self.isAlpha(byte):
                position += 1
                temporary.append(Self.lowered(byte))
                text.append(byte)
            default:
                state = starting ? .scriptDataEscaped : .scriptDataDoubleEscaped
            }
            return
        default:
            break
        }
        // Escaped and double escaped, plain, dash and dash dash.
        guard let byte = current else {
            endOfFile(insideMarkup: false)
            return
        }
        position += 1
        let double =
            state == .scriptDataDoubleEscaped || state == .scriptDataDoubleEscapedDash
            || state == .scriptDataDoubleEscapedDashDash
        let dashDash = state == .scriptDataEscapedDashDash || state == .scriptDataDoubleEscapedDashDash
        switch byte {
        case 0x2D:
            text.append(0x2D)
            if state == .scriptDataEscaped {
                state = .scriptDataEscapedDash
            } else if state == .scriptDataDoubleEscaped {
                state = .scriptDataDoubleEscapedDash
            } else {
                state = double ? .scriptDataDoubleEscapedDashDash : .scriptDataEscapedDashDash
            }
        case 0x3C:
            if double {
                text.append(0x3C)
                state = .scriptDataDoubleEscapedLessThanSign
            } else {
                state = .scriptDataEscapedLessThanSign
            }
        case 0x3E where dashDash:
            text.append(0x3E)
            state = .scriptData
        case 0:
            text.append(contentsOf: Self.replacement)
            state = double ? .scriptDataDoubleEscaped : .scriptDataEscaped
        default:
            text.append(byte)
            state = double ? .scriptDataDoubleEscaped : .scriptDataEscaped
        }
    }

    /// Attribute and self-closing states (13.2.5.32–13.2.5.40).
    private mutating func attributeStates(_ current: UInt8?) {
        guard let byte = current else {
            endOfFile(insideMarkup: true)
            return
        }
        switch state {
        case .beforeAttributeName:
            switch byte {
            case 0x09, 0x0A, 0x0C, 0x20: position += 1
            case 0x2F, 0x3E: state = .afterAttributeName
            case 0x3D:
                position += 1
                startAttribute()
                attributeName.append(byte)
                state = .attributeName
            default:
                startAttribute()
                state = .attributeName
            }
        case .attributeName:
            switch byte {
            case 0x09, 0x0A, 0x0C, 0x20, 0x2F, 0x3E: state = .afterAttributeName
            case 0x3D: position += 1; state = .beforeAttributeValue
            case 0: position += 1; attributeName.append(contentsOf: Self.replacement)
            default: position += 1; attributeName.append(Self.lowered(byte))
            }
        case .afterAttributeName:
            switch byte {
            case 0x09, 0x0A, 0x0C, 0x20: position += 1
            case 0x2F: position += 1; state = .selfClosingStartTag
            case 0x3D: position += 1; state = .beforeAttributeValue
            case 0x3E: position += 1; emitTag()
            default: startAttribute(); state = .attributeName
            }
        case .beforeAttributeValue:
            switch byte {
            case 0x09, 0x0A, 0x0C, 0x20: position += 1
            case 0x22: position += 1; state = .attributeValueDoubleQuoted
            case 0x27: position += 1; state = .attributeValueSingleQuoted
            case 0x3E: position += 1; emitTag()
            default: state = .attributeValueUnquoted
            }
        case .attributeValueDoubleQuoted, .attributeValueSingleQuoted:
            let quote: UInt8 = state == .attributeValueDoubleQuoted ? 0x22 : 0x27
            if takeRun(into: .attributeValue, stoppingAt: { $0 == quote || $0 == 0x26 || $0 == 0 }) { return }
            position += 1
            switch byte {
            case quote: state = .afterAttributeValueQuoted
            case 0x26: consumeCharacterReference(inAttribute: true)
            default: attributeValue.append(contentsOf: Self.replacement)
            }
        case .attributeValueUnquoted:
            position += 1
            switch byte {
            case 0x09, 0x0A, 0x0C, 0x20: state = .beforeAttributeName
            case 0x26: consumeCharacterReference(inAttribute: true)
            case 0x3E: emitTag()
            case 0: attributeValue.append(contentsOf: Self.replacement)
            default: attributeValue.append(byte)
            }
        case .afterAttributeValueQuoted:
            switch byte {
            case 0x09, 0x0A, 0x0C, 0x20: position += 1; state = .beforeAttributeName
            case 0x2F: position += 1; state = .selfClosingStartTag
            case 0x3E: position += 1; emitTag()
            default: state = .beforeAttributeName
            }
        default:  // self-closing start tag
            if byte == 0x3E {
                position += 1
                selfClosing = true
                emitTag()
            } else {
                state = .beforeAttributeName
            }
        }
    }

    /// Markup declarations, comments, bogus comments and DOCTYPE (13.2.5.41–13.2.5.53).
    private mutating func commentStates(_ current: UInt8?) {
        if state == .markupDeclarationOpen {
            commentText.removeAll(keepingCapacity: true)
            if matches("--", caseInsensitive: false) {
                position += 2
                state = .commentStart
            } else if matches("doctype", caseInsensitive: true) {
                position += 7
                state = .doctype
            } else if matches("[CDATA[", caseInsensitive: false) {
                // Outside foreign content a CDATA section is a bogus comment.
                commentText.append(contentsOf: Array("[CDATA[".utf8))
                position += 7
                state = .bogusComment
            } else {
                state = .bogusComment
            }
            return
        }
        guard let byte = current else {
            if state != .doctype { flushText() }
            if state != .doctype { queue.append(.comment(String(decoding: commentText, as: UTF8.self))) }
            endOfFile(insideMarkup: true)
            return
        }
        switch state {
        case .doctype:
            // Every DOCTYPE sub-state ends the token at `>`; the token itself is dropped.
            position += 1
            if byte == 0x3E { state = .data }
        case .bogusComment:
            position += 1
            switch byte {
            case 0x3E: emitComment()
            case 0: commentText.append(contentsOf: Self.replacement)
            default: commentText.append(byte)
            }
        case .commentStart:
            switch byte {
            case 0x2D: position += 1; state = .commentStartDash
            case 0x3E: position += 1; emitComment()
            default: state = .comment
            }
        case .commentStartDash:
            switch byte {
            case 0x2D: position += 1; state = .commentEnd
            case 0x3E: position += 1; emitComment()
            default: commentText.append(0x2D); state = .comment
            }
        case .comment:
            if takeRun(into: .comment, stoppingAt: { $0 == 0x3C || $0 == 0x2D || $0 == 0 }) { return }
            position += 1
            switch byte {
            case 0x3C: commentText.append(byte); state = .commentLessThanSign
            case 0x2D: state = .commentEndDash
            default: commentText.append(contentsOf: Self.replacement)
            }
        case .commentLessThanSign:
            switch byte {
            case 0x21: position += 1; commentText.append(byte); state = .commentLessThanSignBang
            case 0x3C: position += 1; commentText.append(byte)
            default: state = .comment
            }
        case .commentLessThanSignBang:
            dash(byte, then: .commentLessThanSignBangDash, otherwise: .comment)
        case .commentLessThanSignBangDash:
            dash(byte, then: .commentLessThanSignBangDashDash, otherwise: .commentEndDash)
        case .commentLessThanSignBangDashDash:
            state = .commentEnd
        case .commentEndDash:
            if byte != 0x2D { commentText.append(0x2D) }
            dash(byte, then: .commentEnd, otherwise: .comment)
        case .commentEnd:
            switch byte {
            case 0x3E: position += 1; emitComment()
            case 0x21: position += 1; state = .commentEndBang
            case 0x2D: position += 1; commentText.append(0x2D)
            default: commentText.append(contentsOf: [0x2D, 0x2D]); state = .comment
            }
        default:  // comment end bang
            switch byte {
            case 0x2D: position += 1; commentText.append(contentsOf: [0x2D, 0x2D, 0x21]); state = .commentEndDash
            case 0x3E: position += 1; emitComment()
            default: commentText.append(contentsOf: [0x2D, 0x2D, 0x21]); state = .comment
            }
        }
    }

    /// The buffers a run of ordinary bytes is copied into.
    private enum Buffer { case text, attributeValue, comment }

    /// Copies the bytes from `position` up to the first that `stops` into `buffer`;
    /// false when there is none (the state machine then handles that byte).
    private mutating func takeRun(into buffer: Buffer, stoppingAt stops: (UInt8) -> Bool) -> Bool {
        var end = position
        while end < input.count && !stops(input[end]) { end += 1 }
        guard end > position else { return false }
        switch buffer {
        case .text: text.append(contentsOf: input[position..<end])
        case .attributeValue: attributeValue.append(contentsOf: input[position..<end])
        case .comment: commentText.append(contentsOf: input[position..<end])
        }
        position = end
        return true
    }

    /// Consumes the `/` of a possible end tag in a text state, starts the temporary
    /// buffer and goes to `then`.
    private mutating func endTagSlash(then: State) {
        position += 1
        temporary.removeAll(keepingCapacity: true)
        state = then
    }

    /// Consumes a `-` and goes to `then`, or reconsumes `byte` in `otherwise`.
    private mutating func dash(_ byte: UInt8, then: State, otherwise: State) {
        if byte == 0x2D {
            position += 1
            state = then
        } else {
            state = otherwise
        }
    }

    private func matches(_ literal: StaticString, caseInsensitive: Bool) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard position + count <= input.count else { return false }
        let pointer = literal.utf8Start
        for offset in 0..<count {
            let expected = pointer[offset]
            let actual = input[position + offset]
            if caseInsensitive ? Self.lowered(actual) != expected : actual != expected { return false }
        }
        return true
    }
}
