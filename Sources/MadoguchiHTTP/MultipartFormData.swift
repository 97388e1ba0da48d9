// MultipartFormData: a `multipart/form-data` body (RFC 7578, the HTML standard's
// "multipart/form-data encoding algorithm") split into its parts: the field name, the
// file name a browser sent, the part's own Content-Type and its bytes. The body is
// already within the route's size limit; this adds a cap on the number of parts and on
// each part's header block, and refuses anything not framed exactly as RFC 2046 section 5.1.1
// says (delimiter `CRLF--boundary`, a closing `--boundary--`).
// SECURITY: a file name is kept as sent, for the domain to sanitize; it is never a path.

/// One part of a `multipart/form-data` body.
public struct MultipartFormPart: Sendable, Equatable {
    /// The `name` parameter of the part's Content-Disposition.
    public let name: String
    /// The `filename` parameter, when the part is a file (may be empty: no file chosen).
    public let filename: String?
    /// The part's Content-Type, when given.
    public let contentType: String?
    /// The part's bytes.
    public let data: [UInt8]

    /// A part.
    public init(name: String, filename: String?, contentType: String?, data: [UInt8]) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }

    /// The bytes as UTF-8 text (a plain field), or nil when they are not UTF-8.
    public var text: String? { String(validating: data, as: UTF8.self) }
}

/// The parser of `multipart/form-data` bodies.
public enum MultipartFormData {
    /// Most parts one body may have.
    public static let maxParts = 64
    /// Longest header block of one part.
    public static let maxPartHeader = 4096

    /// The boundary of a `multipart/form-data` Content-Type, or nil when the type is
    /// another one or the boundary is missing or invalid (RFC 2046 section 5.1.1: 1–70
    /// characters of `bchars`, not ending in a space).
    /// - Parameter contentType: the request's Content-Type field.
    public static func boundary(ofContentType contentType: String) -> String? {
        let pieces = contentType.split(separator: ";", omittingEmptySubsequences: false)
        guard let type = pieces.first, type.trimmingBlanks().lowercased() == "multipart/form-data" else { return nil }
        for piece in pieces.dropFirst() {
            let parameter = piece.trimmingBlanks()
            guard let equals = parameter.firstIndex(of: "="),
                parameter[..<equals].lowercased() == "boundary"
            else { continue }
            var value = parameter[parameter.index(after: equals)...]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
            guard (1...70).contains(value.utf8.count), value.last != " ",
                value.utf8.allSatisfy({ bchars[Int($0)] })
            else { return nil }
            return String(value)
        }
        return nil
    }

    /// Splits `body` into its parts.
    /// - Parameters:
    ///   - body: the request body.
    ///   - boundary: the boundary from the Content-Type.
    /// - Returns: the parts, in order.
    /// - Throws: `HTTPError` 400 for a body that is not framed by the boundary, a part
    ///   without a form-data name, a header block over the cap or more than `maxParts` parts.
    public static func parse(_ body: [UInt8], boundary: String) throws(HTTPError) -> [MultipartFormPart] {
        let dashBoundary = Array("--\(boundary)".utf8)
        let delimiter = Array("\r\n--\(boundary)".utf8)
        // The preamble before the first delimiter is ignored (RFC 2046); browsers send none.
        var position: Int
        if body.starts(with: dashBoundary) {
            position = dashBoundary.count
        } else if let first = find(delimiter, in: body, from: 0) {
            position = first + delimiter.count
        } else {
            throw .bad("multipart body without its boundary")
        }
        var parts: [MultipartFormPart] = []
        while true {
            // After a delimiter: `--` closes the body; otherwise optional blanks, CRLF.
            if body[position...].starts(with: [0x2D, 0x2D]) { return parts }
            while position < body.count, body[position] == 0x20 || body[position] == 0x09 { position += 1 }
            guard body[position...].starts(with: [0x0D, 0x0A]) else {
                throw .bad("multipart delimiter not followed by CRLF")
            }
            position += 2
            guard parts.count < maxParts else { throw .bad("more than \(maxParts) multipart parts") }
            guard let end = find(delimiter, in: body, from: position) else {
                throw .bad("multipart part without a closing delimiter")
            }
            parts.append(try part(body[position..<end]))
            position = end + delimiter.count
        }
    }

    /// One part: its header block up to the empty line, then the data.
    private static func part(_ bytes: ArraySlice<UInt8>) throws(HTTPError) -> MultipartFormPart {
        let blank: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A]
        let headerEnd: Int
        if bytes.starts(with: [0x0D, 0x0A]) {
            headerEnd = bytes.startIndex  // no header fields at all
        } else {
            guard let found = find(blank, in: bytes, from: bytes.startIndex) else {
                throw .bad("multipart part without a header block")
            }
            headerEnd = found
        }
        guard headerEnd - bytes.startIndex <= maxPartHeader else { throw .bad("multipart part header too long") }
        guard let header = String(validating: bytes[bytes.startIndex..<headerEnd], as: UTF8.self) else {
            throw .bad("multipart part header not UTF-8")
        }
        let dataStart = headerEnd == bytes.startIndex ? headerEnd + 2 : headerEnd + 4
        var name: String?
        var filename: String?
        var contentType: String?
        for line in header.split(separator: "\r\n", omittingEmptySubsequences: true) {
            guard let colon = line.firstIndex(of: ":") else { throw .bad("multipart header line without a colon") }
            let field = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingBlanks()
            if value.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
                throw .bad("control in a multipart header")
            }
            switch field {
            case "content-disposition":
                let parameters = try dispositionParameters(Substring(value))
                guard parameters.type == "form-data" else { throw .bad("multipart part that is not form-data") }
                name = parameters.values["name"]
                filename = parameters.values["filename"]
            case "content-type":
                contentType = String(value)
            default:
                continue  // RFC 7578 section 4.8: other fields are ignored
            }
        }
        guard let name else { throw .bad("multipart part without a name") }
        return MultipartFormPart(
            name: name, filename: filename, contentType: contentType, data: Array(bytes[dataStart..<bytes.endIndex]))
    }

    /// `form-data; name="x"; filename="y"`: the type and the parameters, quoted strings
    /// unquoted (`\"` and `\\` as RFC 7230 quoted-pairs; browsers escape `"` as `%22`).
    static func dispositionParameters(_ value: Substring) throws(HTTPError) -> (type: String, values: [String: String])
    {
        var scalars = value.unicodeScalars[...]
        func skipBlanks() { while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() } }
        func token() -> String {
            var text = ""
            while let first = scalars.first, first != ";", first != "=", first != " ", first != "\t" {
                text.unicodeScalars.append(scalars.removeFirst())
            }
            return text
        }
        skipBlanks()
        let type = token().lowercased()
        var values: [String: String] = [:]
        while true {
            skipBlanks()
            guard let first = scalars.first else { break }
            guard first == ";" else { throw .bad("bad Content-Disposition in a multipart part") }
            scalars.removeFirst()
            skipBlanks()
            if scalars.isEmpty { break }
            let key = token().lowercased()
            skipBlanks()
            guard scalars.first == "=" else { throw .bad("bad Content-Disposition parameter") }
            scalars.removeFirst()
            skipBlanks()
            var text = ""
            if scalars.first == "\"" {
                scalars.removeFirst()
                var closed = false
                while let scalar = scalars.popFirst() {
                    if scalar == "\"" {
                        closed = true
                        break
                    }
                    if scalar == "\\", let escaped = scalars.popFirst() {
                        text.unicodeScalars.append(escaped)
                    } else {
                        text.unicodeScalars.append(scalar)
                    }
                }
                guard closed else { throw .bad("unterminated quoted string in Content-Disposition") }
            } else {
                text = token()
            }
            guard values[key] == nil else { throw .bad("repeated Content-Disposition parameter \(key)") }
            values[key] = text
        }
        return (type, values)
    }

    /// The first index of `needle` in `haystack` at or after `start`.
    static func find<C: RandomAccessCollection<UInt8>>(_ needle: [UInt8], in haystack: C, from start: C.Index) -> C
        .Index?
    where C.Index == Int {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var index = start
        let last = haystack.endIndex - needle.count
        while index <= last {
            if haystack[index] == first {
                var matched = true
                for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }

    /// The plain fields among `parts` (file parts left out) as name/value pairs.
    /// - Throws: `HTTPError` 400 for a field that is not UTF-8 or holds a NUL.
    public static func fields(of parts: [MultipartFormPart]) throws(HTTPError) -> [HTTPRequest.QueryItem] {
        var items: [HTTPRequest.QueryItem] = []
        for part in parts where part.filename == nil {
            guard let text = part.text, !text.contains("\0") else { throw .bad("form field not UTF-8") }
            items.append(HTTPRequest.QueryItem(name: part.name, value: text))
        }
        return items
    }

    /// RFC 2046 `bchars`: DIGIT, ALPHA and `'()+_,-./:=?` and space.
    private static let bchars: [Bool] = (0..<256).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return true
        default: return Array("'()+_,-./:=? ".utf8).contains(UInt8(byte))
        }
    }
}

extension HTTPRequest {
    /// The body's form fields, whichever of the two HTML form encodings it uses: file
    /// parts of a `multipart/form-data` body are left out (see `multipartParts`).
    /// - Returns: the fields as name/value pairs.
    /// - Throws: `HTTPError` 400 for a malformed body.
    public func formFields() throws(HTTPError) -> [QueryItem] {
        guard let parts = try multipartParts() else { return try formItems() }
        return try MultipartFormData.fields(of: parts)
    }

    /// The parts of a `multipart/form-data` body, or nil when the body has another type.
    /// - Throws: `HTTPError` 400 for a malformed body.
    public func multipartParts() throws(HTTPError) -> [MultipartFormPart]? {
        guard let type = headers["Content-Type"], let boundary = MultipartFormData.boundary(ofContentType: type) else {
            return nil
        }
        return try MultipartFormData.parse(body, boundary: boundary)
    }
}
