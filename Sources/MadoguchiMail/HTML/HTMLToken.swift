// HTMLToken: what HTMLTokenizer emits (start tag, end tag, text, comment). DOCTYPE
// tokens are dropped by the tokenizer; mail bodies have no use for them.

/// One token of an HTML document, after character references are decoded.
public enum HTMLToken: Sendable, Equatable {
    /// A start tag: the name in ASCII lower case, the attributes in document order with
    /// later duplicates dropped, and whether it ended in `/>`.
    case startTag(name: String, attributes: [HTMLAttribute], selfClosing: Bool)
    /// An end tag, name in ASCII lower case (its attributes are dropped).
    case endTag(name: String)
    /// A run of text, character references decoded.
    case text(String)
    /// A comment's content.
    case comment(String)
}
