// HTTPStatus: a response status code with its reason phrase (RFC 9110 section 15), and the
// pre-built status lines the response writer copies.

/// An HTTP status code and its reason phrase.
public struct HTTPStatus: Sendable, Hashable, CustomStringConvertible {
    /// The three-digit code.
    public let code: Int
    /// The reason phrase sent on the status line.
    public let reason: String

    /// A status with an explicit reason phrase.
    /// - Parameters:
    ///   - code: 100…599.
    ///   - reason: the phrase; must hold no CR or LF (the writer checks).
    public init(_ code: Int, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code) \(reason)" }

    /// 200.
    public static let ok = HTTPStatus(200, "OK")
    /// 204.
    public static let noContent = HTTPStatus(204, "No Content")
    /// 301.
    public static let movedPermanently = HTTPStatus(301, "Moved Permanently")
    /// 302.
    public static let found = HTTPStatus(302, "Found")
    /// 303.
    public static let seeOther = HTTPStatus(303, "See Other")
    /// 304.
    public static let notModified = HTTPStatus(304, "Not Modified")
    /// 400.
    public static let badRequest = HTTPStatus(400, "Bad Request")
    /// 403.
    public static let forbidden = HTTPStatus(403, "Forbidden")
    /// 404.
    public static let notFound = HTTPStatus(404, "Not Found")
    /// 405.
    public static let methodNotAllowed = HTTPStatus(405, "Method Not Allowed")
    /// 408.
    public static let requestTimeout = HTTPStatus(408, "Request Timeout")
    /// 413 (RFC 9110 section 15.5.14).
    public static let contentTooLarge = HTTPStatus(413, "Content Too Large")
    /// 414.
    public static let uriTooLong = HTTPStatus(414, "URI Too Long")
    /// 417.
    public static let expectationFailed = HTTPStatus(417, "Expectation Failed")
    /// 431 (RFC 6585 section 5).
    public static let headerFieldsTooLarge = HTTPStatus(431, "Request Header Fields Too Large")
    /// 500.
    public static let internalServerError = HTTPStatus(500, "Internal Server Error")
    /// 501.
    public static let notImplemented = HTTPStatus(501, "Not Implemented")
    /// 503.
    public static let serviceUnavailable = HTTPStatus(503, "Service Unavailable")
    /// 505.
    public static let versionNotSupported = HTTPStatus(505, "HTTP Version Not Supported")
}
