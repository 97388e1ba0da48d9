// ComposeError: why a reply cannot be turned into message bytes. Every case is
// permanent (EX_DATAERR): the same reply fails the same way on every run, so the
// operator has to change it (madoguchi-security(7), C1 to C3).

import MadoguchiCore

/// A reply that cannot be composed.
public enum ComposeError: MadoguchiError, Equatable, Sendable {
    /// An address that is not exactly one plain addr-spec; `reason` names the rule it
    /// breaks (it never repeats the address, which may hold control characters).
    case invalidAddress(reason: String)
    /// The message's own Message-ID does not match the RFC 5322 msg-id grammar.
    case invalidMessageID
    /// Characters of the subject or body that `charset` cannot carry, each once, in
    /// order of first appearance (so the page can show the operator which ones).
    case unencodable(charset: OutgoingCharset, characters: [Character])

    public var description: String {
        switch self {
        case .invalidAddress(let reason): "invalid address: \(reason)"
        case .invalidMessageID: "invalid Message-ID: not of the form <id@domain> (RFC 5322, section 3.6.4)"
        case .unencodable(let charset, let characters):
            "\(charset.rawValue) cannot carry "
                + characters.map { character in
                    character.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }
                        .joined(separator: " ")
                }.joined(separator: ", ")
        }
    }

    public var exitCode: SysExit { .dataError }
}
