// HTMLTokenizer+State: the tokenizer states of the HTML standard (WHATWG HTML,
// section 13.2.5 "Tokenization"), minus the DOCTYPE sub-states (a DOCTYPE is skipped
// to its `>`) and the character reference states (HTMLTokenizer+CharacterReference).

extension HTMLTokenizer {
    /// A tokenizer state, named as in the standard.
    enum State {
        case data, rcdata, rawtext, scriptData, plaintext
        case tagOpen, endTagOpen, tagName
        case rcdataLessThanSign, rcdataEndTagOpen, rcdataEndTagName
        case rawtextLessThanSign, rawtextEndTagOpen, rawtextEndTagName
        case scriptDataLessThanSign, scriptDataEndTagOpen, scriptDataEndTagName
        case scriptDataEscapeStart, scriptDataEscapeStartDash
        case scriptDataEscaped, scriptDataEscapedDash, scriptDataEscapedDashDash
        case scriptDataEscapedLessThanSign, scriptDataEscapedEndTagOpen, scriptDataEscapedEndTagName
        case scriptDataDoubleEscapeStart, scriptDataDoubleEscaped, scriptDataDoubleEscapedDash
        case scriptDataDoubleEscapedDashDash, scriptDataDoubleEscapedLessThanSign, scriptDataDoubleEscapeEnd
        case beforeAttributeName, attributeName, afterAttributeName, beforeAttributeValue
        case attributeValueDoubleQuoted, attributeValueSingleQuoted, attributeValueUnquoted
        case afterAttributeValueQuoted, selfClosingStartTag
        case bogusComment, markupDeclarationOpen
        case commentStart, commentStartDash, comment, commentLessThanSign, commentLessThanSignBang
        case commentLessThanSignBangDash, commentLessThanSignBangDashDash, commentEndDash, commentEnd
        case commentEndBang
        case doctype
    }

    /// The text state a start tag switches to, as the tree construction stage of the
    /// standard does for these elements (scripting taken as enabled, so `noscript` is
    /// raw text).
    static func contentState(afterStartTag name: [UInt8]) -> State {
        switch String(decoding: name, as: UTF8.self) {
        case "title", "textarea": .rcdata
        case "style", "xmp", "iframe", "noembed", "noframes", "noscript": .rawtext
        case "script": .scriptData
        case "plaintext": .plaintext
        default: .data
        }
    }
}
