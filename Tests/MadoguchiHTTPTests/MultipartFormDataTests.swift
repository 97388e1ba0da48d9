// MultipartFormDataTests: the `multipart/form-data` splitter of reply uploads (RFC 7578)
// — browser-shaped bodies, binary data that contains CRLF and dashes, quoted and
// escaped names, and the framing errors that must be a 400, not a guess.

import Testing

@testable import MadoguchiHTTP

@Suite struct MultipartFormDataTests {
    static let boundary = "----WebKitFormBoundaryq7Hx3Ea0ZkLmN2pb"

    static func body(_ parts: [(header: String, data: [UInt8])], closing: String = "--\r\n") -> [UInt8] {
        var bytes: [UInt8] = []
        for part in parts {
            bytes += Array("--\(boundary)\r\n\(part.header)\r\n\r\n".utf8) + part.data + Array("\r\n".utf8)
        }
        bytes += Array("--\(boundary)\(closing)".utf8)
        return bytes
    }

    @Test func browserUpload() throws {
        // Binary data with CRLF, a fake delimiter without the full boundary and dashes.
        let file: [UInt8] = [0x00, 0x0D, 0x0A, 0x2D, 0x2D] + Array("----WebKitFormBoundary\r\n".utf8) + [0xFF, 0x0D]
        let bytes = Self.body([
            ("Content-Disposition: form-data; name=\"csrf\"", Array("tok".utf8)),
            (
                "Content-Disposition: form-data; name=\"file\"; filename=\"見積書 (1).pdf\"\r\nContent-Type: application/pdf",
                file
            ),
            (
                "Content-Disposition: form-data; name=\"empty\"; filename=\"\"\r\nContent-Type: application/octet-stream",
                []
            ),
        ])
        let parts = try MultipartFormData.parse(bytes, boundary: Self.boundary)
        #expect(parts.count == 3)
        #expect(parts[0] == MultipartFormPart(name: "csrf", filename: nil, contentType: nil, data: Array("tok".utf8)))
        #expect(parts[1].filename == "見積書 (1).pdf")
        #expect(parts[1].contentType == "application/pdf")
        #expect(parts[1].data == file)
        #expect(parts[2].filename == "" && parts[2].data.isEmpty)
    }

    @Test func quotedPairsAndTokenValues() throws {
        let parsed = try MultipartFormData.dispositionParameters(
            "form-data; name=note; filename=\"a\\\"b\\\\c.txt\"")
        #expect(parsed.type == "form-data")
        #expect(parsed.values["name"] == "note")
        #expect(parsed.values["filename"] == "a\"b\\c.txt")
    }

    @Test func boundaryFromContentType() {
        #expect(MultipartFormData.boundary(ofContentType: "multipart/form-data; boundary=abc") == "abc")
        #expect(
            MultipartFormData.boundary(ofContentType: "Multipart/Form-Data; charset=utf-8; boundary=\"a b\"") == "a b")
        #expect(MultipartFormData.boundary(ofContentType: "multipart/form-data") == nil)
        #expect(MultipartFormData.boundary(ofContentType: "multipart/mixed; boundary=abc") == nil)
        #expect(
            MultipartFormData.boundary(
                ofContentType: "multipart/form-data; boundary=" + String(repeating: "x", count: 71)) == nil)
        #expect(MultipartFormData.boundary(ofContentType: "multipart/form-data; boundary=a\u{1}b") == nil)
    }

    @Test(arguments: [
        ("no closing delimiter", "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx"),
        ("no boundary at all", "hello"),
        ("part without a name", "--B\r\nContent-Disposition: form-data\r\n\r\nx\r\n--B--\r\n"),
        ("not form-data", "--B\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--B--\r\n"),
        ("header line without colon", "--B\r\nContent-Disposition form-data\r\n\r\nx\r\n--B--\r\n"),
        ("garbage after delimiter", "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--Bzz\r\n"),
        ("unterminated quote", "--B\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--B--\r\n"),
        ("repeated name", "--B\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nx\r\n--B--\r\n"),
    ])
    func malformedIsRefused(_ sample: (String, String)) {
        #expect(throws: HTTPError.self, "\(sample.0)") {
            try MultipartFormData.parse(Array(sample.1.utf8), boundary: "B")
        }
    }

    @Test func partAndHeaderCaps() {
        let many = Self.body(
            Array(repeating: ("Content-Disposition: form-data; name=\"a\"", Array("x".utf8)), count: 65))
        #expect(throws: HTTPError.self) { try MultipartFormData.parse(many, boundary: Self.boundary) }
        let long = Self.body([
            ("Content-Disposition: form-data; name=\"a\"\r\nX-Pad: " + String(repeating: "p", count: 5000), [])
        ])
        #expect(throws: HTTPError.self) { try MultipartFormData.parse(long, boundary: Self.boundary) }
        let fine = Self.body(
            Array(repeating: ("Content-Disposition: form-data; name=\"a\"", Array("x".utf8)), count: 64))
        #expect((try? MultipartFormData.parse(fine, boundary: Self.boundary))?.count == 64)
    }
}
