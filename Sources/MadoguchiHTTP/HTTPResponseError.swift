// HTTPResponseError: a handler built a response the writer will not send (a field
// that could split the response, D9). The server answers 500 instead and logs the
// field name, never its value.

/// A response the writer refuses.
public enum HTTPResponseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A header field with a non-token name or a control byte (CR, LF, NUL …) in its value.
    case invalidField(String)
    /// A status code outside 100…599 or a reason phrase with a control byte.
    case invalidStatus(Int)

    public var description: String {
        switch self {
        case .invalidField(let name): "response header field \(name) has a forbidden byte"
        case .invalidStatus(let code): "response status \(code) is invalid"
        }
    }
}
