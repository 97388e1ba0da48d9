// HTTPMethod: the three request methods the server implements (RFC 9110 section 9.3).
// SECURITY: every other method is answered 405 by the parser, and no override
// header (X-HTTP-Method-Override and the like) changes the method (D6).

/// A request method the server accepts.
public enum HTTPMethod: String, Sendable, Equatable, CaseIterable {
    /// RFC 9110 section 9.3.1.
    case get = "GET"
    /// RFC 9110 section 9.3.2: as GET, but the response carries no body.
    case head = "HEAD"
    /// RFC 9110 section 9.3.3.
    case post = "POST"

    /// The value of the `Allow` header sent with 405 (RFC 9110 section 10.2.1).
    public static let allowHeader = "GET, HEAD, POST"
}
