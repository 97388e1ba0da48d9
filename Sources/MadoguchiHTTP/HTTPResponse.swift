// HTTPResponse: what a handler returns: status, header fields, body and content
// type. The writer adds Date, Content-Length and Connection itself and refuses any
// field with CR, LF or another control byte (madoguchi-security(7) D9).

/// A response to one request.
public struct HTTPResponse: Sendable, Equatable {
    /// The status.
    public var status: HTTPStatus
    /// Fields besides those the writer owns (Date, Content-Length, Connection,
    /// Transfer-Encoding, Server are dropped if set here).
    public var headers: HTTPHeaders
    /// The body (not sent for HEAD, 204 and 304).
    public var body: [UInt8]

    /// A response.
    /// - Parameters:
    ///   - status: the status.
    ///   - contentType: the `Content-Type`; `text/*` without a charset gets `; charset=utf-8`.
    ///   - headers: further fields.
    ///   - body: the body bytes.
    public init(
        status: HTTPStatus = .ok, contentType: String? = nil, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        if let contentType { self.headers.set("Content-Type", contentType) }
    }

    /// A UTF-8 `text/plain` response.
    /// - Parameters:
    ///   - text: the body.
    ///   - status: the status.
    /// - Returns: the response.
    public static func text(_ text: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "text/plain; charset=utf-8", body: Array(text.utf8))
    }

    /// A UTF-8 `text/html` response (the caller escapes; see MadoguchiWeb).
    /// - Parameters:
    ///   - html: the document.
    ///   - status: the status.
    /// - Returns: the response.
    public static func html(_ html: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "text/html; charset=utf-8", body: Array(html.utf8))
    }

    /// A redirect with a short text body.
    /// - Parameters:
    ///   - location: the `Location` value (the writer refuses CR/LF in it).
    ///   - status: 301, 302, 303 (default) or 307/308.
    /// - Returns: the response.
    public static func redirect(to location: String, status: HTTPStatus = .seeOther) -> HTTPResponse {
        var response = HTTPResponse.text("\(status)\n", status: status)
        response.headers.set("Location", location)
        return response
    }

    /// The plain answer to a refused request: the status line as text, `Allow` on 405.
    /// - Parameter error: the parser's refusal.
    /// - Returns: the response.
    public static func error(_ error: HTTPError) -> HTTPResponse {
        var response = HTTPResponse.text("\(error.status)\n", status: error.status)
        if error.status == .methodNotAllowed { response.headers.set("Allow", HTTPMethod.allowHeader) }
        return response
    }
}
