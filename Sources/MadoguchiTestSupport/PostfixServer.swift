// PostfixServer: starts a private Postfix (Debian `postfix`) on free loopback ports
// under a temporary directory, with its own config, queue and data directories:
// plain SMTP, STARTTLS (required) and implicit TLS (smtpd_tls_wrappermode) ports,
// AUTH PLAIN/LOGIN over TLS through the DovecotServer's auth socket, and virtual(8)
// delivery into that Dovecot's Maildir, so a test can fetch what it sent over POP3
// or IMAP; optional further addresses of the mail domain get Maildirs of their own
// next to it (the round trip's customer). Postfix's master(8) must run as root:
// without root this fails clearly.

import Foundation
import Glibc

/// A running Postfix instance for integration tests.
public final class PostfixServer {
    /// The domain delivered into the Dovecot Maildir.
    public static let mailDomain = "mail.test"
    /// A domain whose mail Postfix accepts and throws away (discard(8)).
    public static let discardDomain = "discard.test"
    /// The address whose mail lands in the Dovecot user's Maildir.
    public let mailbox: String
    /// Plain SMTP, no STARTTLS offered, no AUTH (for `tls = none` on loopback).
    public let plainPort: UInt16
    /// STARTTLS required before MAIL (smtpd_tls_security_level = encrypt), AUTH after it.
    public let startTLSPort: UInt16
    /// TLS from the first byte (smtpd_tls_wrappermode), AUTH offered.
    public let implicitTLSPort: UInt16
    /// Postfix's log (maillog_file).
    public let logFile: String
    /// The SASL user and password (the Dovecot user's).
    public let user: String
    /// The SASL password.
    public let password: String

    private let dovecot: DovecotServer
    private let directory: TemporaryDirectory
    private let process: SpawnedProcess

    /// Writes main.cf and master.cf, creates the queue (`postfix check`), starts
    /// master(8) in the foreground and waits until all three ports accept (with fresh
    /// ports, up to three times, when another socket took one first).
    /// - Parameters:
    ///   - dovecot: the mailbox Postfix delivers into and authenticates against.
    ///   - certificates: `certificates.server` (localhost, 127.0.0.1) is Postfix's certificate.
    ///   - otherMailboxes: local parts of `mailDomain` delivered into their own Maildir
    ///     (`maildir(of:)`), beside the Dovecot user's.
    /// - Throws: `TestToolError` when not root, when Postfix is not installed, or when
    ///   it does not come up within 15 s.
    public init(dovecot: DovecotServer, certificates: TestCertificates, otherMailboxes: [String] = []) throws {
        guard getuid() == 0 else {
            throw TestToolError(
                "the Postfix tests need root: Postfix's master(8) refuses to run as another user (CI runs as root)")
        }
        let master = "/usr/lib/postfix/sbin/master"
        guard access(master, X_OK) == 0, access("/usr/sbin/postfix", X_OK) == 0 else {
            throw TestToolError("Postfix is not installed (Debian package postfix; Tests/run-all.sh installs it)")
        }
        self.dovecot = dovecot
        mailbox = "\(dovecot.user)@\(Self.mailDomain)"
        user = dovecot.user
        password = dovecot.password
        directory = try TemporaryDirectory(prefix: "madoguchi-postfix")
        let dir = directory.path
        chmod(dir, 0o755)
        logFile = dir + "/maillog"
        for sub in ["config", "queue", "data"] {
            try FileManager.default.createDirectory(atPath: "\(dir)/\(sub)", withIntermediateDirectories: true)
        }
        if let owner = getpwnam("postfix") { chown(dir + "/data", owner.pointee.pw_uid, owner.pointee.pw_gid) }
        let base = (dovecot.maildir as NSString).deletingLastPathComponent
        let mailboxName = (dovecot.maildir as NSString).lastPathComponent
        let owner = dovecot.mailOwner
        var maps = "\(mailbox) \(mailboxName)/\n"
        for local in otherMailboxes {
            maps += "\(local)@\(Self.mailDomain) \(local)/\n"
            for sub in ["", "/new", "/cur", "/tmp"] {
                let path = base + "/" + local + sub
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                chown(path, owner.uid, owner.gid)
            }
        }
        try Data(maps.utf8).write(to: URL(fileURLWithPath: dir + "/config/mailboxes"))
        try Data("\(Self.discardDomain) discard:\n".utf8).write(to: URL(fileURLWithPath: dir + "/config/transport"))
        try Data(
            Self.mainConfiguration(
                directory: dir, certificates: certificates, mailboxBase: base, mailUID: owner.uid, mailGID: owner.gid,
                authSocket: dovecot.authSocket
            ).utf8
        ).write(to: URL(fileURLWithPath: dir + "/config/main.cf"))
        var attempt = 0
        var started: (ports: [UInt16], process: SpawnedProcess)?
        while started == nil {
            attempt += 1
            let ports = try (0..<3).map { _ in try FakeServer.freePort() }
            try Data(Self.masterConfiguration(ports: ports).utf8).write(
                to: URL(fileURLWithPath: dir + "/config/master.cf"))
            if attempt == 1 {
                let check = try ChildProcess.run("/usr/sbin/postfix", ["-c", dir + "/config", "check"], timeout: 60)
                guard check.status == 0 else { throw TestToolError("postfix check failed: " + check.output) }
            }
            unlink(logFile)
            let child = try SpawnedProcess(master, ["-c", dir + "/config"], outputFile: dir + "/master.out")
            if Self.waitUntilListening(child, on: ports, timeout: 15) {
                started = (ports, child)
                continue
            }
            child.terminate()
            let log = DovecotServer.tail(of: logFile)
            guard log.contains("Address already in use"), attempt < 3 else {
                throw TestToolError("postfix did not start: " + log + DovecotServer.tail(of: dir + "/master.out"))
            }
        }
        let (ports, child) = started!
        (plainPort, startTLSPort, implicitTLSPort) = (ports[0], ports[1], ports[2])
        process = child
    }

    private static func waitUntilListening(_ child: SpawnedProcess, on ports: [UInt16], timeout: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while child.isRunning && Date() < deadline {
            if ports.allSatisfy(DovecotServer.accepts) { return child.isRunning }
            usleep(50_000)
        }
        return false
    }

    /// main.cf: private directories, no DNS, loopback only, no rewriting of what
    /// clients send (so a delivered message differs from the sent one only by the
    /// Return-Path, X-Original-To, Delivered-To and Received lines Postfix puts on
    /// top), no input throttling, TLS with the test certificate, Dovecot SASL, and
    /// virtual(8) delivery of `mailbox` into the Dovecot Maildir.
    private static func mainConfiguration(
        directory dir: String, certificates: TestCertificates, mailboxBase: String, mailUID: uid_t,
        mailGID: gid_t, authSocket: String
    ) -> String {
        """
        compatibility_level = 3.6
        queue_directory = \(dir)/queue
        data_directory = \(dir)/data
        meta_directory = /etc/postfix
        maillog_file = \(dir)/maillog
        maillog_file_prefixes = \(dir)
        myhostname = relay.madoguchi.test
        mydomain = madoguchi.test
        mydestination =
        local_recipient_maps =
        inet_interfaces = loopback-only
        inet_protocols = ipv4
        mynetworks = 127.0.0.0/8
        smtpd_peername_lookup = no
        local_header_rewrite_clients =
        in_flow_delay = 0s
        smtpd_error_sleep_time = 0s
        smtpd_banner = $myhostname ESMTP
        biff = no
        smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination
        relay_domains = \(discardDomain)
        transport_maps = texthash:\(dir)/config/transport
        virtual_mailbox_domains = \(mailDomain)
        virtual_mailbox_base = \(mailboxBase)
        virtual_mailbox_maps = texthash:\(dir)/config/mailboxes
        virtual_uid_maps = static:\(mailUID)
        virtual_gid_maps = static:\(mailGID)
        smtpd_tls_cert_file = \(certificates.server.certificate)
        smtpd_tls_key_file = \(certificates.server.key)
        smtpd_tls_security_level = none
        smtpd_tls_session_cache_database =
        smtpd_tls_auth_only = yes
        smtpd_sasl_type = dovecot
        smtpd_sasl_path = \(authSocket)
        smtpd_sasl_auth_enable = no

        """
    }

    /// master.cf: the three smtpd ports, then the services delivery needs; nothing chrooted.
    private static func masterConfiguration(ports: [UInt16]) -> String {
        let services = [
            "127.0.0.1:\(ports[0]) inet n - n - - smtpd",
            "127.0.0.1:\(ports[1]) inet n - n - - smtpd -o smtpd_tls_security_level=encrypt"
                + " -o smtpd_sasl_auth_enable=yes",
            "127.0.0.1:\(ports[2]) inet n - n - - smtpd -o smtpd_tls_wrappermode=yes"
                + " -o smtpd_tls_security_level=encrypt -o smtpd_sasl_auth_enable=yes",
            "pickup unix n - n 60 1 pickup", "cleanup unix n - n - 0 cleanup", "qmgr unix n - n 300 1 qmgr",
            "tlsmgr unix - - n 1000? 1 tlsmgr", "rewrite unix - - n - - trivial-rewrite",
            "bounce unix - - n - 0 bounce", "defer unix - - n - 0 bounce", "trace unix - - n - 0 bounce",
            "verify unix - - n - 1 verify", "flush unix n - n 1000? 0 flush", "proxymap unix - - n - - proxymap",
            "smtp unix - - n - - smtp", "showq unix n - n - - showq", "error unix - - n - - error",
            "retry unix - - n - - error", "discard unix - - n - - discard", "virtual unix - n n - - virtual",
            "anvil unix - - n - 1 anvil", "scache unix - - n - 1 scache", "postlog unix-dgram n - n - 1 postlogd",
        ]
        return services.joined(separator: "\n") + "\n"
    }

    /// Waits until the Dovecot Maildir holds at least `count` messages (in `new` or `cur`).
    /// - Parameters:
    ///   - count: how many messages must be there.
    ///   - timeout: seconds to wait.
    /// - Throws: `TestToolError` with the tail of Postfix's log when they do not arrive in time.
    public func waitForDelivery(_ count: Int, timeout: Double = 20) throws {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while try dovecot.storedMessages().count < count {
            guard Date() < deadline else {
                throw TestToolError("\(count) messages not delivered in \(timeout) s: " + log())
            }
            usleep(20_000)
        }
    }

    /// Waits until Postfix's queue holds no message (incoming, active, deferred, hold,
    /// maildrop): everything it answered 250 for has been delivered or discarded. A
    /// message whose final dot never came is never in it.
    /// - Parameter timeout: seconds to wait.
    /// - Throws: `TestToolError` with the tail of Postfix's log when the queue does not drain.
    public func waitUntilQueueEmpty(timeout: Double = 20) throws {
        let deadline = Date(timeIntervalSinceNow: timeout)
        func queued() -> Int {
            ["incoming", "active", "deferred", "hold", "maildrop"].reduce(0) { total, sub in
                let path = "\(directory.path)/queue/\(sub)"
                let files = FileManager.default.enumerator(atPath: path)?.compactMap { entry -> String? in
                    guard let name = entry as? String else { return nil }
                    var info = stat()
                    return stat("\(path)/\(name)", &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? name : nil
                }
                return total + (files?.count ?? 0)
            }
        }
        while queued() > 0 {
            guard Date() < deadline else {
                throw TestToolError("Postfix's queue did not drain in \(timeout) s: " + log())
            }
            usleep(20_000)
        }
    }

    /// The delivered messages as stored (LF line ends, Postfix's headers on top), oldest first.
    /// - Throws: when the Maildir cannot be read.
    public func deliveredMessages() throws -> [[UInt8]] {
        try ["new", "cur"].flatMap { sub in
            try FileManager.default.contentsOfDirectory(atPath: "\(dovecot.maildir)/\(sub)").sorted().map {
                Array(try Data(contentsOf: URL(fileURLWithPath: "\(dovecot.maildir)/\(sub)/\($0)")))
            }
        }
    }

    /// The Maildir of `local`@`mailDomain`, one of the init's `otherMailboxes`.
    public func maildir(of local: String) -> String {
        (dovecot.maildir as NSString).deletingLastPathComponent + "/" + local
    }

    /// The tail of Postfix's log.
    public func log() -> String {
        DovecotServer.tail(of: logFile)
    }

    /// Stops Postfix (SIGTERM to master, which stops its children; SIGKILL after 10 s). Idempotent.
    public func stop() {
        process.terminate()
    }

    deinit {
        stop()
    }
}
