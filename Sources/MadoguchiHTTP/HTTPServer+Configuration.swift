// HTTPServer+Configuration: the listener's limits and deadlines, with the defaults
// of madoguchi-security(7) D3/D4; `init(settings:)` takes the web_* parameters of
// madoguchi.conf(5).

import MadoguchiCore

extension HTTPServer {
    /// Where to listen, how many connections, and every deadline (seconds).
    public struct Configuration: Sendable {
        /// `host:port` or `[v6]:port`; the host is an IP literal (default `127.0.0.1:8443`).
        /// Port 0 picks a free port (tests; read `HTTPServer.port`).
        public var listen = "127.0.0.1:8443"
        /// Most connections at once, which is also the most connection threads (default 256).
        /// Past it a new connection is closed at once.
        public var maxConnections = 256
        /// Most connections at once from one peer address (default 20); past it a new
        /// connection from that address is closed at once, before any TLS work (D3).
        public var maxConnectionsPerPeer = 20
        /// SO_RCVTIMEO and SO_SNDTIMEO of every accepted socket, set before the
        /// handshake (default 10 s).
        public var ioTimeout = 10.0
        /// Time for the TLS handshake (default 10 s).
        public var handshakeTimeout = 10.0
        /// Time from the first byte of a request (or from the handshake, for the first
        /// request) to its complete header block (default 10 s).
        public var headerTimeout = 10.0
        /// Time for the body once the header block is in, and for writing the response
        /// (default 30 s).
        public var bodyTimeout = 30.0
        /// Time a kept-alive connection may wait for its next request (default 5 s).
        public var idleTimeout = 5.0
        /// Absolute lifetime of a connection (default 120 s); after it the connection
        /// closes after the response in progress.
        public var connectionTimeout = 120.0
        /// Requests per connection before it closes (default 100).
        public var maxRequestsPerConnection = 100
        /// The parser's size limits.
        public var limits = HTTPRequestParser.Limits()

        /// The defaults above.
        public init() {}
    }
}

extension HTTPServer.Configuration {
    /// The HTTPS listener's settings from madoguchi.conf: `web_listen`,
    /// `web_max_connections` and `web_max_connections_per_peer` (each at least 1); every
    /// deadline and size limit keeps its default.
    /// - Parameter settings: the loaded configuration.
    public init(settings: MadoguchiCore.Configuration) {
        self.init()
        listen = settings[.webListen]
        maxConnections = Int(clamping: max(1, settings[.webMaxConnections]))
        maxConnectionsPerPeer = Int(clamping: max(1, settings[.webMaxConnectionsPerPeer]))
    }
}
