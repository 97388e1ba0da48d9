// IMAPResponse: one parsed server response of RFC 3501 (continuation, tagged or
// untagged status, untagged data) and the values inside it. Produced by
// IMAPResponseReader; message bodies are streamed, never held here.

/// A value in an IMAP response.
public indirect enum IMAPValue: Sendable, Equatable {
    /// An atom or number (`NIL`, `\Seen`, `BODY[]`, `42`).
    case atom(String)
    /// A quoted string or a small literal held in memory.
    case string([UInt8])
    /// A parenthesised list.
    case list([IMAPValue])
    /// A message literal passed to the body sink; its byte count.
    case streamed(Int)

    /// The atom text, or nil.
    public var atomText: String? {
        if case .atom(let text) = self { return text }
        return nil
    }

    /// The value as a non-negative number (atom of digits), or nil.
    public var number: Int? {
        guard case .atom(let text) = self, !text.isEmpty, text.utf8.count <= 12,
            text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
        else { return nil }
        return Int(text)
    }
}

/// The status of a status response.
public enum IMAPStatus: String, Sendable, Equatable {
    /// Success.
    case ok = "OK"
    /// Operational failure.
    case no = "NO"
    /// Protocol error.
    case bad = "BAD"
    /// The server is closing the connection.
    case bye = "BYE"
    /// Greeting: already authenticated.
    case preauth = "PREAUTH"
}

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
