// HeaderBlock: what HeaderBlockParser made of one RFC 5322 header block: the fields
// recorded within MailLimits, where the body starts, and why the block is malformed.

/// The result of splitting a header block.
struct HeaderBlock {
    /// The fields recorded (at most `maxHeaderFields`).
    var fields: [HeaderField]
    /// Offset of the first body byte.
    var bodyStart: Int
    /// Why the block is malformed, if it is.
    var problem: String?
}
