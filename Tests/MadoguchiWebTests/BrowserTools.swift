// BrowserTools: what the browser tests share (BrowserTests, RoundTripTests): where the
// scripts of Tests/Browser and their Python are, the check that Chromium, chromedriver
// and Selenium are installed, the built `madoguchi-web` started on a free loopback
// port, and one run of a script whose failure reports its output and the server logs.

import Foundation
import Glibc
import MadoguchiTestSupport
import Testing

/// Where the browser tooling is, and the check that it is installed.
enum BrowserTools {
    /// One running `madoguchi-web`.
    struct WebServer {
        /// The child process.
        var process: SpawnedProcess
        /// Its loopback port.
        var port: UInt16
        /// Its log file (`-v`).
        var log: String
    }

    /// The package root (this file is Tests/MadoguchiWebTests/BrowserTools.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    /// Tests/Browser.
    static let scripts = packageRoot + "/Tests/Browser"
    /// The venv Tests/run-all.sh makes for axe-core, else Debian's Python (the script
    /// then says that it skips the accessibility check).
    static var python: String {
        let venv = packageRoot + "/.build/browser-venv/bin/python3"
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "/usr/bin/python3"
    }

    /// Fails (never skips) naming the Debian package that is missing.
    static func check() throws {
        for (path, package) in [
            ("/usr/bin/chromium", "chromium"), ("/usr/bin/chromedriver", "chromium-driver"),
            ("/usr/bin/python3", "python3"),
        ] {
            try #require(
                FileManager.default.isExecutableFile(atPath: path),
                "\(path) is missing: install the Debian package \(package) (Tests/run-all.sh does)")
        }
        let selenium = try ChildProcess.run("/usr/bin/python3", ["-c", "import selenium"])
        try #require(
            selenium.status == 0,
            "python3 cannot import selenium: install the Debian package python3-selenium (Tests/run-all.sh does)")
    }

    /// .build/test-output/screenshots, made if missing.
    static func screenshots() throws -> String {
        let output = packageRoot + "/.build/test-output/screenshots"
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        print("BrowserTests: screenshots in \(output)")
        return output
    }

    /// Starts `madoguchi-web` on a free loopback port with `configuration` plus
    /// `extraConfiguration` and `web_listen`, and waits until it accepts.
    /// - Throws: `TestToolError` with its log when it does not start within 30 s.
    static func startWeb(
        name: String, configuration: String, extraConfiguration: String, directory: TemporaryDirectory
    ) throws -> WebServer {
        let port = try FakeServer.freePort()
        let file = directory.file("\(name).conf")
        let base = try String(contentsOfFile: configuration, encoding: .utf8)
        try (base + extraConfiguration + "web_listen = 127.0.0.1:\(port)\n").write(
            toFile: file, atomically: false, encoding: .utf8)
        let log = directory.file("\(name).log")
        let process = try SpawnedProcess(
            BuiltProgram.directory + "/madoguchi-web", ["-v", "--config", file], outputFile: log)
        let deadline = Date().addingTimeInterval(30)
        while !accepts(port) {
            guard process.isRunning, Date() < deadline else {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                process.terminate()
                throw TestToolError("madoguchi-web (\(name)) did not start on port \(port):\n\(text)")
            }
            usleep(50_000)
        }
        return WebServer(process: process, port: port, log: log)
    }

    /// Whether something accepts a TCP connection on 127.0.0.1:`port`.
    private static func accepts(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// Runs `script` (in Tests/Browser) on the scene `description` and expects it to
    /// pass; a failure reports its output and the servers' logs (the servers are
    /// stopped first).
    static func runScript(
        _ script: String, description: String, home: String, output: String, servers: [WebServer],
        timeout: Double
    ) throws {
        let started = Date()
        let run = try ChildProcess.run(
            python, [scripts + "/" + script, "--scene", description, "--output", output],
            environment: ["HOME": home, "TMPDIR": home, "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1"],
            timeout: timeout)
        print(run.output)
        print("BrowserTests: \(script) took \(Int(Date().timeIntervalSince(started))) s")
        for server in servers { server.process.terminate() }
        let logs = servers.compactMap { try? String(contentsOfFile: $0.log, encoding: .utf8) }
        let report =
            "\(script) failed (status \(run.status)\(run.timedOut ? ", timed out" : "")):\n\(run.output)\n"
            + "server logs:\n\(logs.joined(separator: "\n"))"
        #expect(run.status == 0 && !run.timedOut, Comment(rawValue: report))
    }
}
