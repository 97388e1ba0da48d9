// WebProgram: the body of madoguchi-web, the long-running HTTPS server of the operator
// page. It reads everything before it serves — configuration, IP allow-list, time
// zone, certificate and key, the database and its keys — then listens on `web_listen`
// (and, when set, a plain-HTTP `web_redirect_listen` that only redirects to
// `web_base_url`), and runs until SIGTERM or SIGINT, which stop it cleanly.

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiHTTP
import MadoguchiInbox

/// madoguchi-web.
public enum WebProgram {
    /// The program's description (usage equals the man page SYNOPSIS).
    public static let tool = ToolDescription(name: "madoguchi-web", usage: ["madoguchi-web [-nv] [--config file]"])

    /// The whole program: `run(_:)` under `ToolMain`, then exit.
    public static func main() -> Never {
        ToolMain.run(tool) { context in try run(context) }
    }

    /// Serves until SIGTERM or SIGINT.
    /// - Parameter context: from `ToolMain`.
    /// - Returns: 0 after a clean stop.
    /// - Throws: `ConfigError` (bad allow-list or time zone), `TLSError` (certificate or
    ///   key unreadable or not matching), `NetworkError` (cannot listen), what opening
    ///   the database throws.
    public static func run(_ context: ToolContext) throws -> SysExit {
        guard context.arguments.operands.isEmpty else { throw UsageError("unexpected operand") }
        // Block the stop signals before any thread starts, so only sigwait sees them.
        var stop = sigset_t()
        sigemptyset(&stop)
        sigaddset(&stop, SIGTERM)
        sigaddset(&stop, SIGINT)
        pthread_sigmask(SIG_BLOCK, &stop, nil)
        // glibc hands the free top of a thread's arena back to the kernel (madvise) once
        // it passes 128 KiB; every page builds and drops tens of KiB, and each madvise
        // interrupts the other core to flush its TLB. web.sh's inbox, three runs each:
        // 1,500 to 30,000 madvise calls in 8 s and 5,400–6,900 requests/s without this;
        // none and 7,100–8,000 with it, the same peak RSS. Up to 4 MiB per arena stays.
        // Setting it also fixes the size from which glibc maps a block of its own
        // (mmap, then munmap when freed, each a TLB flush) at 128 KiB; an inquiry page
        // with a long thread builds larger buffers than that, so blocks up to 1 MiB come
        // from the arenas.
        mallopt(trimThreshold, 4 << 20)
        mallopt(mmapThreshold, 1 << 20)

        let (servers, baseURL) = try start(context.configuration, log: context.log)
        context.log.info("serving \(baseURL)")
        var received: Int32 = 0
        sigwait(&stop, &received)
        context.log.info("signal \(received): stopping")
        for server in servers { server.stop() }
        return .ok
    }

    /// glibc's `M_TRIM_THRESHOLD` and `M_MMAP_THRESHOLD` (<malloc.h>).
    private static let trimThreshold: Int32 = -1
    private static let mmapThreshold: Int32 = -3

    /// `mallopt(option, value)`: <malloc.h> is not part of the Glibc module, so the
    /// function is looked up by name (it takes two ints and is not variadic). Without
    /// it, glibc's default stays.
    private static func mallopt(_ option: Int32, _ value: Int32) {
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Mallopt.self)(option, value)
    }

    /// Builds the app and starts its listeners.
    /// - Returns: the running servers (HTTPS first) and the base URL.
    /// - Throws: as `run(_:)`.
    public static func start(_ configuration: Configuration, log: Log) throws -> ([HTTPServer], String) {
        let path = configuration.path ?? "(defaults)"
        let allowList: IPAllowList
        do {
            allowList = try IPAllowList(parsing: configuration[.ipAllow])
        } catch {
            throw ConfigError.invalidValue(path: path, line: 0, name: "ip_allow", reason: "\(error)")
        }
        guard let time = DisplayTime(zoneName: configuration[.webTimeZone]) else {
            throw ConfigError.invalidValue(
                path: path, line: 0, name: "web_time_zone", reason: "unknown time zone \(configuration[.webTimeZone])")
        }
        let baseURL = configuration.webBaseURL
        var settings = WebSettings(
            baseURL: baseURL, allowList: allowList, time: time, sessions: .init(configuration),
            login: .init(configuration), searchCandidateLimit: Int(configuration[.searchCandidateLimit]))
        settings.elapsedLimits = (
            Int64(configuration[.webElapsedWarning]), Int64(configuration[.webElapsedAlert])
        )
        let tls = try TLSServerContext(
            certificateFile: configuration[.tlsCertificateFile], keyFile: configuration[.tlsKeyFile])
        let app = try WebApp(configuration: configuration, settings: settings, log: log)
        var http = HTTPServer.Configuration()
        http.listen = configuration[.webListen]
        http.maxConnections = Int(configuration[.webMaxConnections])
        http.maxConnectionsPerPeer = Int(configuration[.webMaxConnectionsPerPeer])
        // The reply editor's form may carry one attachment; every other body stays small.
        let editorBody = Int(Replies.Configuration(configuration).attachmentMax) + 1 << 20
        http.limits.bodyLimit = { method, path in
            method == .post && WebApp.isEditorPost(path) ? editorBody : nil
        }
        let filter: HTTPServer.PeerFilter = { peer in
            let allowed = allowList.allows(peer)
            if !allowed { log.warning("connection from \(peer) refused: not in ip_allow") }
            return allowed
        }
        var servers = [
            try HTTPServer(
                configuration: http, tls: tls, log: log, peerFilter: filter, responseFilter: WebApp.secure,
                handler: app.handle)
        ]
        let redirect = configuration[.webRedirectListen]
        if !redirect.isEmpty {
            var plain = http
            plain.listen = redirect
            servers.append(
                try HTTPServer(
                    configuration: plain, tls: nil, log: log, peerFilter: filter, responseFilter: WebApp.secure,
                    handler: HTTPServer.redirectHandler(to: baseURL)))
        }
        for server in servers { server.start() }
        return (servers, baseURL)
    }
}
