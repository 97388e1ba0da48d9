// HTTPResponseWriter: serializes a response into one reusable buffer: status line,
// the caller's fields, then Date, Content-Length and Connection, which the writer
// owns. SECURITY (madoguchi-security(7) D9): a field name that is not a token, or a
// value or reason phrase with CR, LF or another control byte, is refused, so no
// response can be split. No Server banner is ever written.

import MadoguchiCore

/// Serializes responses; one per connection (it keeps its buffer and date cache).
public struct HTTPResponseWriter {
    /// The serialized head (and small bodies) of the last response.
    public private(set) var buffer: [UInt8] = []
    private var date = HTTPDate()
    /// Bodies up to this size are copied behind the head so one write sends both.
    static let inlineBody = 64 * 1024

    /// Fields the writer sets itself; values the caller gives for them are dropped.
    private static let owned: Set<String> = [
        "date", "content-length", "connection", "transfer-encoding", "server", "x-powered-by", "keep-alive",
    ]

    /// A writer with an empty buffer.
    public init() {
        buffer.reserveCapacity(16 * 1024)
    }

    /// Serializes `response` into `buffer`.
    /// - Parameters:
    ///   - response: the response.
    ///   - head: true for a HEAD request: the length is sent, the body is not.
    ///   - close: true to send `Connection: close`.
    /// - Returns: true when the body is in `buffer` too (or there is none to send),
    ///   false when the caller must write `response.body` after `buffer`.
    /// - Throws: `HTTPResponseError` for a field that could split the response.
    public mutating func serialize(_ response: HTTPResponse, head: Bool, close: Bool) throws(HTTPResponseError) -> Bool
    {
        try HTTPResponseWriter.check(response)
        buffer.removeAll(keepingCapacity: true)
        append("HTTP/1.1 \(response.status.code) \(response.status.reason)\r\n")
        var hasType = false
        for field in response.headers where !HTTPResponseWriter.owned.contains(field.key) {
            append(field.name)
            append(": ")
            if field.key == "content-type" {
                hasType = true
                append(HTTPResponseWriter.withCharset(field.value))
            } else {
                append(field.value)
            }
            append("\r\n")
        }
        let bodyAllowed = response.status.code != 204 && response.status.code != 304 && response.status.code >= 200
        if !hasType && bodyAllowed { append("Content-Type: application/octet-stream\r\n") }
        append("Date: ")
        buffer.append(contentsOf: date.now())
        append("\r\n")
        if bodyAllowed {
            append("Content-Length: ")
            append(String(response.body.count))
            append("\r\n")
        }
        if close { append("Connection: close\r\n") }
        append("\r\n")
        guard bodyAllowed && !head && !response.body.isEmpty else { return true }
        guard response.body.count <= HTTPResponseWriter.inlineBody else { return false }
        buffer.append(contentsOf: response.body)
        return true
    }

    private mutating func append(_ text: String) {
        buffer.append(contentsOf: text.utf8)
    }

    /// `text/*` and the JSON and JavaScript types without a charset get `charset=utf-8`.
    static func withCharset(_ type: String) -> String {
        let lower = HTTPHeaders.lowercased(type)
        guard !lower.contains("charset=") else { return type }
        let textual =
            lower.hasPrefix("text/") || lower.hasPrefix("application/json") || lower.hasPrefix("application/javascript")
            || lower.hasPrefix("image/svg+xml")
        return textual ? type + "; charset=utf-8" : type
    }

    /// Refuses a field name that is not a token and any control byte (HTAB aside) in
    /// a value or in the reason phrase.
    /// - Throws: `HTTPResponseError.invalidField` naming the field (never its value).
    static func check(_ response: HTTPResponse) throws(HTTPResponseError) {
        guard response.status.code >= 100 && response.status.code <= 599,
            response.status.reason.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x7F || $0 == 0x09 })
        else { throw HTTPResponseError.invalidStatus(response.status.code) }
        for field in response.headers {
            guard !field.name.isEmpty, field.name.utf8.allSatisfy(HTTPRequestParser.isTokenByte),
                field.value.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x7F || $0 == 0x09 })
            else { throw HTTPResponseError.invalidField(Log.escape(String(field.name.prefix(64)))) }
        }
    }
}
