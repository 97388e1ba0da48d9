// StaticAssets: the page's stylesheet, script and icon, compiled into the program and served
// from memory under /static/ by a fixed table — no file is ever looked up by a
// request path (madoguchi-security(7) D5). Each has a strong ETag from its SHA-256.

import MadoguchiCrypto

/// The embedded static files.
public enum StaticAssets {
    /// One embedded file.
    public struct Asset: Sendable {
        /// The `Content-Type` value.
        public let contentType: String
        /// The bytes.
        public let bytes: [UInt8]
        /// A strong entity tag (quoted).
        public let etag: String
    }

    /// The files by their path.
    public static let files: [String: Asset] = [
        "/static/app.css": asset("text/css; charset=utf-8", AppStylesheet.text),
        "/static/app.js": asset("text/javascript; charset=utf-8", AppScript.text),
        "/static/favicon.svg": asset("image/svg+xml", AppIcon.text),
    ]

    private static func asset(_ type: String, _ text: String) -> Asset {
        let bytes = Array(text.utf8)
        return Asset(
            contentType: type, bytes: bytes, etag: "\"" + Hex.encode(SHA256Hasher.hash(bytes).prefix(16)) + "\"")
    }
}
