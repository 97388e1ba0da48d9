// SecurityHeaders: the fields every response carries, applied by the server's one
// response filter: the page CSP (no inline script or style; frame-src 'self' for the
// mail frame), HSTS, nosniff, no referrer, framing denied, cross-origin isolation,
// no powerful features, and Cache-Control: no-store on everything but the static
// files. A handler that set its own CSP or frame policy (the sandboxed mail frame,
// downloads) keeps it (madoguchi-security(7), WEB PAGE).

import MadoguchiHTTP

/// The response filter.
enum SecurityHeaders {
    /// The CSP of our own pages.
    static let pagePolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    /// The CSP of a sanitized mail document, shown only inside our sandboxed frame.
    static let mailFramePolicy =
        "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; form-action 'none'; "
        + "frame-ancestors 'self'; base-uri 'none'"
    /// The CSP of a download.
    static let downloadPolicy = "sandbox; default-src 'none'"

    /// Adds the fields to `response`.
    static func apply(_ request: HTTPRequest?, _ response: HTTPResponse) -> HTTPResponse {
        var response = response
        func setIfMissing(_ name: String, _ value: String) {
            if !response.headers.contains(name) { response.headers.set(name, value) }
        }
        setIfMissing("Content-Security-Policy", pagePolicy)
        setIfMissing("X-Frame-Options", "DENY")
        setIfMissing("Cache-Control", "no-store")
        response.headers.set("Strict-Transport-Security", "max-age=63072000")
        response.headers.set("X-Content-Type-Options", "nosniff")
        response.headers.set("Referrer-Policy", "no-referrer")
        response.headers.set("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.set("Cross-Origin-Resource-Policy", "same-origin")
        response.headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        if !response.headers.contains("Content-Type") {
            response.headers.set("Content-Type", "text/plain; charset=utf-8")
        }
        return response
    }
}
