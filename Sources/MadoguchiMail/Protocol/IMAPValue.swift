// IMAPValue: a value inside an RFC 3501 response as IMAPResponseReader parses it: an
// atom or number, a string or small literal, a list, or the byte count of a message
// literal streamed to the body sink (bodies are never held here).

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
