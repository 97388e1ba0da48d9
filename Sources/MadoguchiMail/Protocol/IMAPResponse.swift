// IMAPResponse: one parsed server response of RFC 3501 (continuation, tagged or
// untagged status, untagged data) with its IMAPStatus and IMAPValues. Produced by
// IMAPResponseReader; message bodies are streamed, never held here.

/// A server response.
public enum IMAPResponse: Sendable, Equatable {
    /// `+ text`: the server waits for more of the command.
    case continuation(text: String)
    /// `tag OK|NO|BAD [code] text`: a command finished.
    case tagged(tag: String, status: IMAPStatus, code: String?, text: String)
    /// `* OK|NO|BAD|BYE|PREAUTH [code] text`.
    case untaggedStatus(status: IMAPStatus, code: String?, text: String)
    /// `* [number] NAME values…`, e.g. `* 3 EXISTS`, `* CAPABILITY …`, `* 5 FETCH (…)`.
    case data(number: Int?, name: String, values: [IMAPValue])
}
