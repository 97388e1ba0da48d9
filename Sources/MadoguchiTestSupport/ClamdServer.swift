// ClamdServer: a real clamd (clamav-daemon) started by a test in its own temporary
// directory, on a private Unix socket and a loopback TCP port, with a local
// signature database that detects EICAR (no freshclam, no official signatures,
// bytecode off). It is stopped with SIGTERM and reaped when the test ends.

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiMail

/// A clamd child process for tests.
public final class ClamdServer {
    /// The Unix socket path (a `clamd_address`).
    public let address: String
    /// The loopback TCP socket as `127.0.0.1:port` (also a `clamd_address`).
    public let tcpAddress: String
    /// The generated clamd.conf.
    public let configFile: String
    /// clamd's log file.
    public let logFile: String
    /// Seconds from spawning clamd until it answered `zPING` on both sockets.
    public private(set) var startupSeconds: Double = 0
    /// The name clamd reports for EICAR (local databases get the `.UNOFFICIAL` suffix).
    public static let eicarSignature = "Madoguchi.Test.EICAR.UNOFFICIAL"

    private let process: SpawnedProcess
    private let directory: TemporaryDirectory
    private var stopped = false

    private init(process: SpawnedProcess, directory: TemporaryDirectory, address: String, tcpAddress: String) {
        self.process = process
        self.directory = directory
        self.address = address
        self.tcpAddress = tcpAddress
        self.configFile = directory.file("clamd/clamd.conf")
        self.logFile = directory.file("clamd/clamd.log")
    }

    /// Writes a private configuration and signature database under `directory/clamd`,
    /// starts clamd in the foreground and waits until it answers `zPING`.
    /// - Parameters:
    ///   - directory: the test's temporary directory (kept alive while the server runs).
    ///   - streamMaxLength: clamd's `StreamMaxLength` (e.g. `30M`).
    ///   - extraSettings: more clamd.conf lines, e.g. `MaxScanSize 2M`; each replaces the default line
    ///     of the same directive.
    ///   - tcpPort: the loopback TCP port; nil picks a free one (and another on a bind race).
    ///   - readyTimeout: seconds to wait for `PONG` before giving up.
    /// - Returns: the running server.
    /// - Throws: `ClamdHarnessError` when clamd is missing, exits early or never answers;
    ///   `TestToolError` when it cannot be spawned.
    public static func start(
        in directory: TemporaryDirectory, streamMaxLength: String = "30M", extraSettings: [String] = [],
        tcpPort: UInt16? = nil, readyTimeout: Double = 60
    ) throws -> ClamdServer {
        let executable = try findClamd()
        let base = directory.file("clamd")
        for sub in ["", "/db", "/tmp"] {
            try FileManager.default.createDirectory(
                atPath: base + sub, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        try writeDatabase(to: base + "/db/madoguchi-test.ndb")
        var earlyExit = ""
        for _ in 0..<3 {
            let port = try tcpPort ?? freeLoopbackPort()
            let overridden = Set(extraSettings.compactMap { $0.split(separator: " ").first })
            let settings =
                configuration(base: base, port: port, streamMaxLength: streamMaxLength).filter {
                    !overridden.contains($0.split(separator: " ")[0])
                } + extraSettings
            let text = settings.joined(separator: "\n") + "\n"
            try Data(text.utf8).write(to: URL(fileURLWithPath: base + "/clamd.conf"))
            let server = try spawn(executable, directory: directory, base: base, port: port)
            if try server.waitUntilReady(timeout: readyTimeout) { return server }
            // e.g. the TCP port was taken meanwhile: retry with another
            earlyExit = Self.tail(of: base + "/clamd.out", 10) + "\n" + server.logTail()
        }
        throw ClamdHarnessError("clamd failed to start three times:\n" + earlyExit)
    }

    /// Sends SIGTERM, waits for clamd to exit (SIGKILL after 10 s) and reaps it. Idempotent.
    public func stop() {
        if stopped { return }
        stopped = true
        process.terminate(timeout: 10)
    }

    /// The last `count` lines of clamd's log, for failure messages.
    public func logTail(_ count: Int = 20) -> String {
        Self.tail(of: logFile, count)
    }

    deinit {
        stop()
    }

    /// The clamd.conf lines: private sockets and files, local database only, and the
    /// scanning settings scan-and-file(8) requires ("Required clamd settings");
    /// ClamdBombTests checks that each of them matters.
    private static func configuration(base: String, port: UInt16, streamMaxLength: String) -> [String] {
        [
            "Foreground yes",
            "LocalSocket \(base)/clamd.sock",
            "LocalSocketMode 600",
            "TCPSocket \(port)",
            "TCPAddr 127.0.0.1",
            "DatabaseDirectory \(base)/db",
            "TemporaryDirectory \(base)/tmp",
            "LogFile \(base)/clamd.log",
            "LogTime yes",
            "PidFile \(base)/clamd.pid",
            "Bytecode no",
            "OfficialDatabaseOnly no",
            "SelfCheck 3600",
            "MaxThreads 4",
            "ScanMail yes",
            "ScanArchive yes",
            "ScanPE yes",
            "ScanOLE2 yes",
            "ScanPDF yes",
            "ScanHTML yes",
            "HeuristicAlerts yes",
            "AlertExceedsMax yes",
            "AlertEncrypted yes",
            "AlertBrokenExecutables yes",
            "DisableCache yes",
            "StreamMaxLength \(streamMaxLength)",
            "MaxScanSize 100M",
            "MaxFileSize 100M",
            "MaxRecursion 17",
            "MaxFiles 10000",
            "MaxScanTime 30000",
        ]
    }

    /// A body signature (any file type, any offset) for EICAR, so clamd must decode
    /// MIME and unpack archives to find it inside them.
    private static func writeDatabase(to path: String) throws {
        let hex = ClamdSamples.eicar.map { String(format: "%02x", $0) }.joined()
        let line = "Madoguchi.Test.EICAR:0:*:\(hex)\n"
        try Data(line.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// Starts clamd in the foreground with its output in `base/clamd.out`.
    private static func spawn(_ executable: String, directory: TemporaryDirectory, base: String, port: UInt16) throws
        -> ClamdServer
    {
        let output = base + "/clamd.out"
        unlink(base + "/clamd.log")  // a retry must not see the previous attempt's bind error
        guard FileManager.default.createFile(atPath: output, contents: nil) else {
            throw ClamdHarnessError("cannot create \(output)")
        }
        let process = try SpawnedProcess(executable, ["-c", base + "/clamd.conf"], outputFile: output)
        return ClamdServer(
            process: process, directory: directory, address: base + "/clamd.sock", tcpAddress: "127.0.0.1:\(port)")
    }

    /// Polls `zPING` on the private Unix socket until clamd answers, then makes sure the
    /// TCP port is clamd's own (clamd keeps running when its TCP bind fails, and another
    /// test's clamd may hold the port) before pinging it too.
    /// - Returns: true when ready, false when clamd exited or lost the port race (it is then reaped).
    /// - Throws: `ClamdHarnessError` after `timeout` seconds without an answer (clamd is stopped).
    private func waitUntilReady(timeout: Double) throws -> Bool {
        let started = Monotonic.now()
        let local = ClamdClient(address: address, timeout: 5, maxStreamSize: 0)
        let tcp = ClamdClient(address: tcpAddress, timeout: 5, maxStreamSize: 0)
        let port = tcpAddress.split(separator: ":").last.map(String.init) ?? ""
        while true {
            if !process.isRunning {
                stop()
                return false
            }
            do {
                try local.ping()
                let log = Self.tail(of: logFile, 1000)
                if log.contains("TCP: Cannot bind") {
                    stop()
                    return false
                }
                guard log.contains("TCP: Bound to [127.0.0.1]:\(port)") else {
                    throw ClamdHarnessError("TCP socket not bound yet")
                }
                try tcp.ping()
                startupSeconds = Monotonic.now() - started
                return true
            } catch {
                if Monotonic.now() - started > timeout {
                    stop()
                    throw ClamdHarnessError("clamd did not answer PING within \(timeout)s: \(error)\n" + logTail())
                }
                usleep(20_000)
            }
        }
    }

    private static func findClamd() throws -> String {
        for candidate in ["/usr/sbin/clamd", "/usr/bin/clamd", "/usr/local/sbin/clamd"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        throw ClamdHarnessError("clamd is not installed (apt-get install clamav-daemon)")
    }

    /// A loopback TCP port that was free a moment ago.
    private static func freeLoopbackPort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ClamdHarnessError("socket failed (errno \(errno))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw ClamdHarnessError("bind 127.0.0.1:0 failed (errno \(errno))") }
        return UInt16(bigEndian: address.sin_port)
    }

    private static func tail(of path: String, _ count: Int) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "(no \(path))" }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").suffix(count).joined(separator: "\n")
    }
}
