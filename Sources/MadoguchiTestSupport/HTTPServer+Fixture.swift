// HTTPServer+Fixture: a started HTTPS test server on 127.0.0.1 (a free port) with a
// certificate from TestCertificates, and a handler that echoes the request so the
// tests can see what the parser made of it.

import MadoguchiCore
import MadoguchiCrypto
import MadoguchiHTTP

extension HTTPServer {
    /// The echo handler: 200 with `METHOD path` and the query, 404 for `/missing…` and
    /// the double-encoded static test paths.
    public static let echoHandler: Handler = { request in
        if request.path.hasPrefix("/missing") || request.path.contains("%") {
            return .text("not found\n", status: .notFound)
        }
        let query = request.query.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        return .text("\(request.method.rawValue) \(request.path) \(query) \(request.body.count)\n")
    }

    /// Starts a server on `127.0.0.1:0`.
    /// - Parameters:
    ///   - certificates: TLS with `certificates.server`; nil for plain HTTP.
    ///   - listen: the address (port 0 picks one).
    ///   - configure: changes to the default configuration.
    ///   - peerFilter: the peer filter.
    ///   - responseFilter: the response filter.
    ///   - handler: the handler (default `echoHandler`).
    /// - Returns: the running server; call `stop()`.
    /// - Throws: what binding or loading the certificate throws.
    public static func fixture(
        certificates: TestCertificates?, listen: String = "127.0.0.1:0",
        configure: (inout Configuration) -> Void = { _ in },
        peerFilter: @escaping PeerFilter = { _ in true }, responseFilter: @escaping ResponseFilter = { $1 },
        handler: @escaping Handler = echoHandler
    ) throws -> HTTPServer {
        var configuration = Configuration()
        configuration.listen = listen
        configure(&configuration)
        let tls = try certificates.map {
            try TLSServerContext(certificateFile: $0.server.certificate, keyFile: $0.server.key)
        }
        let server = try HTTPServer(
            configuration: configuration, tls: tls, peerFilter: peerFilter, responseFilter: responseFilter,
            handler: handler)
        server.start()
        return server
    }
}
