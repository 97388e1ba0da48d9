// DovecotServer: starts a private Dovecot (IMAP/POP3, TLS required) on free
// loopback ports under a temporary directory, with one passwd-file user and a
// Maildir the test fills directly (or PostfixServer delivers to), and stops it
// afterwards. Its auth service also listens on a socket for Postfix SASL. As root,
// mail is accessed as `nobody` (Dovecot refuses uid 0); otherwise as the current user.

import Foundation
import Glibc

/// A running Dovecot instance for integration tests.
public final class DovecotServer {
    /// The login name of the test user.
    public let user = "fetchtest"
    /// The test user's password (with a space and a quote, to exercise LOGIN quoting).
    public let password = "s3cret \"pw\" 日本"
    /// STARTTLS IMAP port.
    public let imapPort: UInt16
    /// Implicit-TLS IMAP port.
    public let imapsPort: UInt16
    /// STARTTLS POP3 port.
    public let pop3Port: UInt16
    /// Implicit-TLS POP3 port.
    public let pop3sPort: UInt16
    /// The user's Maildir.
    public let maildir: String
    /// Dovecot's log file (for failure messages).
    public let logFile: String
    /// The auth service's client socket for Postfix (`smtpd_sasl_type = dovecot`), mode 0666.
    public let authSocket: String
    /// The uid and gid that own the Maildir (what a delivery agent must write as).
    public var mailOwner: (uid: uid_t, gid: gid_t) { (mailUID, mailGID) }

    private let directory: TemporaryDirectory
    private let process: SpawnedProcess
    private let mailUID: uid_t
    private let mailGID: gid_t

    /// Writes the configuration, starts `dovecot -F` and waits until all four ports accept
    /// (with fresh ports, up to three times, when another socket took one first).
    /// - Parameter certificates: the server certificate (`certificates.server`) is used.
    /// - Throws: `TestToolError` when Dovecot does not come up within 15 s.
    public init(certificates: TestCertificates) throws {
        directory = try TemporaryDirectory(prefix: "madoguchi-dovecot")
        let dir = directory.path
        chmod(dir, 0o755)
        maildir = dir + "/Maildir"
        logFile = dir + "/dovecot.log"
        authSocket = dir + "/auth-smtp"
        let internalUser: String
        let loginUser: String
        if getuid() == 0 {
            mailUID = 65534
            mailGID = 65534
            internalUser = getpwnam("dovecot") != nil ? "dovecot" : "nobody"
            loginUser = getpwnam("dovenull") != nil ? "dovenull" : "nobody"
        } else {
            mailUID = getuid()
            mailGID = getgid()
            let name = getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) } ?? "nobody"
            internalUser = name
            loginUser = name
        }
        for sub in ["/Maildir/new", "/Maildir/cur", "/Maildir/tmp", "/home"] {
            try FileManager.default.createDirectory(atPath: dir + sub, withIntermediateDirectories: true)
        }
        for sub in ["/Maildir", "/Maildir/new", "/Maildir/cur", "/Maildir/tmp", "/home"] {
            chown(dir + sub, mailUID, mailGID)
        }
        try Data("\(user):{PLAIN}\(password)\n".utf8).write(to: URL(fileURLWithPath: dir + "/passwd"))
        let configFile = dir + "/dovecot.conf"
        var attempt = 0
        var started: (ports: [UInt16], process: SpawnedProcess)?
        while started == nil {
            attempt += 1
            // Ports free a moment ago; another test's socket may take one before Dovecot
            // binds it ("Address already in use"), and then fresh ones are tried.
            let ports = try (0..<4).map { _ in try FakeServer.freePort() }
            let config = Self.configuration(
                directory: dir, logFile: logFile, certificates: certificates, internalUser: internalUser,
                loginUser: loginUser, mailUID: mailUID, mailGID: mailGID, ports: ports)
            try Data(config.utf8).write(to: URL(fileURLWithPath: configFile))
            unlink(logFile)  // a retry must not see the previous attempt's bind error
            let child = try SpawnedProcess(
                "/usr/sbin/dovecot", ["-F", "-c", configFile], outputFile: dir + "/stdout.log")
            if Self.waitUntilListening(child, on: ports, logFile: logFile, timeout: 15) {
                started = (ports, child)
                continue
            }
            child.terminate()
            let log = Self.tail(of: logFile)
            guard log.contains("Address already in use"), attempt < 3 else {
                throw TestToolError("dovecot did not start: " + log)
            }
        }
        let (ports, child) = started!
        (imapPort, imapsPort, pop3Port, pop3sPort) = (ports[0], ports[1], ports[2], ports[3])
        process = child
    }

    /// Waits until Dovecot's master logged its start (it does so only after binding
    /// every listener) and all `ports` accept.
    /// - Returns: false when Dovecot exited or `timeout` seconds passed first.
    private static func waitUntilListening(
        _ child: SpawnedProcess, on ports: [UInt16], logFile: String, timeout: Double
    ) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while child.isRunning && Date() < deadline {
            if tail(of: logFile).contains("starting up") && ports.allSatisfy(accepts) { return child.isRunning }
            usleep(50_000)
        }
        return false
    }

    /// The configuration for one attempt: private directories, the four listeners on `ports`
    /// (IMAP, IMAPS, POP3, POP3S), TLS required, one passwd-file user.
    private static func configuration(
        directory dir: String, logFile: String, certificates: TestCertificates, internalUser: String,
        loginUser: String, mailUID: uid_t, mailGID: gid_t, ports: [UInt16]
    ) -> String {
        let (imapPort, imapsPort, pop3Port, pop3sPort) = (ports[0], ports[1], ports[2], ports[3])
        let maildir = dir + "/Maildir"
        return """
            base_dir = \(dir)/run
            state_dir = \(dir)/state
            log_path = \(logFile)
            protocols = imap pop3
            listen = 127.0.0.1
            ssl = required
            ssl_cert = <\(certificates.server.certificate)
            ssl_key = <\(certificates.server.key)
            ssl_min_protocol = TLSv1.2
            disable_plaintext_auth = yes
            auth_mechanisms = plain login
            default_internal_user = \(internalUser)
            default_login_user = \(loginUser)
            first_valid_uid = 1
            mail_location = maildir:\(maildir)
            pop3_uidl_format = %08Xu%08Xv
            passdb {
              driver = passwd-file
              args = scheme=PLAIN username_format=%u \(dir)/passwd
            }
            userdb {
              driver = static
              args = uid=\(mailUID) gid=\(mailGID) home=\(dir)/home
            }
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = \(imapPort)
              }
              inet_listener imaps {
                address = 127.0.0.1
                port = \(imapsPort)
                ssl = yes
              }
            }
            service auth {
              unix_listener \(dir)/auth-smtp {
                mode = 0666
              }
            }
            service pop3-login {
              inet_listener pop3 {
                address = 127.0.0.1
                port = \(pop3Port)
              }
              inet_listener pop3s {
                address = 127.0.0.1
                port = \(pop3sPort)
                ssl = yes
              }
            }

            """
    }

    /// The last 4000 bytes of a log file.
    static func tail(of path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "(no log)" }
        return String(decoding: data.suffix(4000), as: UTF8.self)
    }

    /// The tail of Dovecot's log.
    public func log() -> String {
        Self.tail(of: logFile)
    }

    /// Puts a message file into `Maildir/new`, owned by the mail user.
    /// - Parameters:
    ///   - bytes: the message exactly as stored (Dovecot serves it with CRLF line ends).
    ///   - name: a unique Maildir base name.
    /// - Throws: when the file cannot be written.
    public func deliver(_ bytes: [UInt8], name: String) throws {
        let path = "\(maildir)/new/\(name)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        chown(path, mailUID, mailGID)
    }

    /// Names of the message files in `new` and `cur` (what is still on the server).
    /// - Throws: when the Maildir cannot be listed.
    public func storedMessages() throws -> [String] {
        try ["new", "cur"].flatMap { sub in
            try FileManager.default.contentsOfDirectory(atPath: "\(maildir)/\(sub)")
        }
    }

    /// Stops Dovecot (SIGTERM, SIGKILL after 10 s) and waits for it to exit. Idempotent.
    public func stop() {
        process.terminate()
    }

    deinit {
        stop()
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func accepts(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
