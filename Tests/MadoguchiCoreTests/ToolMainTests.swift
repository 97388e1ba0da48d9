// Tests of the program skeleton: exit codes, -n and -n -v, usage errors and the solitary lock.

import Foundation
import MadoguchiCore
import MadoguchiTestSupport
import Testing

@Suite(.serialized) struct ToolMainTests {
    func instance() throws -> (TemporaryDirectory, String) {
        let dir = try TemporaryDirectory()
        let conf = dir.file("madoguchi.conf")
        try "lock_directory = run\n".write(toFile: conf, atomically: false, encoding: .utf8)
        return (dir, conf)
    }

    @Test("a held lock makes a second run exit 75 without running the body")
    func lockHeld() throws {
        let (dir, conf) = try instance()
        let tool = ToolDescription(name: "lock-test", usage: ["lock-test [-nv] [--config file]"])
        _ = try ProcessLock(path: dir.file("run/other.lock"))
        let held = try ProcessLock(path: dir.file("run/lock-test.lock"))
        var ran = false
        let status = ToolMain.execute(tool, arguments: ["--config", conf]) { _ in
            ran = true
            return .ok
        }
        #expect(status == .tempFail)
        #expect(!ran)
        held.release()
        let again = ToolMain.execute(tool, arguments: ["--config", conf]) { _ in .ok }
        #expect(again == .ok)
    }

    @Test("errors map to sysexits codes; transient ones to 75")
    func errorMapping() throws {
        let (dir, conf) = try instance()
        defer { withExtendedLifetime(dir) {} }
        let tool = ToolDescription(name: "map-test", usage: ["map-test"])
        #expect(ToolMain.execute(tool, arguments: ["--config", conf]) { _ in throw UsageError("x") } == .usage)
        #expect(
            ToolMain.execute(tool, arguments: ["--config", conf]) { _ in
                throw NetworkError.timedOut("test")
            } == .tempFail)
        #expect(
            ToolMain.execute(tool, arguments: ["--config", conf]) { _ in
                throw SystemError(code: EACCES, context: "t")
            } == .noPermission)
        struct Unknown: Error {}
        #expect(ToolMain.execute(tool, arguments: ["--config", conf]) { _ in throw Unknown() } == .software)
    }

    @Test("-n checks the configuration without running; a bad file exits 78; unknown options exit 64")
    func configCheck() throws {
        let (dir, conf) = try instance()
        let tool = ToolDescription(name: "check-test", usage: ["check-test"])
        #expect(ToolMain.execute(tool, arguments: ["-n", "--config", conf]) { _ in .software } == .ok)
        let bad = dir.file("bad.conf")
        try "no_such_thing = 1\n".write(toFile: bad, atomically: false, encoding: .utf8)
        #expect(ToolMain.execute(tool, arguments: ["-n", "--config", bad]) { _ in .ok } == .config)
        #expect(ToolMain.execute(tool, arguments: ["--config", dir.file("missing.conf")]) { _ in .ok } == .config)
        #expect(ToolMain.execute(tool, arguments: ["--frobnicate"]) { _ in .ok } == .usage)
    }

    @Test("-n -v lists every parameter in a fixed order, as written in the file or its default", .blocksThreads)
    func configListing() throws {
        let (dir, conf) = try instance()
        defer { withExtendedLifetime(dir) {} }
        let outcome = try BuiltProgram.run("madoguchi", ["-n", "-v", "--config", conf])
        #expect(outcome.status == 0)
        let expected = """
            madoguchi: configuration \(conf) OK
            database_file = /var/lib/madoguchi/data/madoguchi.db
            key_directory = /etc/madoguchi/keys
            spool_directory = /var/spool/madoguchi
            lock_directory = run
            tls_certificate_file = /etc/madoguchi/tls/cert.pem
            tls_key_file = /etc/madoguchi/tls/key.pem
            database_busy_timeout = 10s
            log_destination = stderr
            mail_max_message_size = 25M
            mail_max_mime_depth = 32
            mail_max_mime_parts = 1000
            mail_max_header_fields = 1000
            mail_max_header_size = 256k
            fetch_accounts_file = /etc/madoguchi/fetch/mailboxes
            fetch_state_directory = /var/lib/madoguchi/fetch
            internal_domains =\u{20}
            intake_sender_limit = 30
            quarantine_days = 30
            search_candidate_limit = 2000
            password_hash_cost = 17
            session_idle_timeout = 15m
            session_max_age = 8h
            login_max_failures = 10
            login_lockout = 30m
            fetch_connect_timeout = 30s
            fetch_read_timeout = 60s
            fetch_session_timeout = 10m
            fetch_max_line_length = 64k
            fetch_max_messages = 500
            clamd_address = /run/clamav/clamd.ctl
            clamd_timeout = 60s
            clamd_max_stream_size = 0
            clamd_concurrency = 4
            web_listen = 127.0.0.1:8443
            web_redirect_listen =\u{20}
            web_base_url =\u{20}
            web_max_connections = 256
            web_max_connections_per_peer = 20
            web_time_zone = Asia/Tokyo
            web_elapsed_warning = 4h
            web_elapsed_alert = 24h
            ip_allow = 127.0.0.0/8, ::1/128, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7, fe80::/10
            smtp_relay =\u{20}
            smtp_tls = implicit
            smtp_credentials_file =\u{20}
            smtp_ca_file =\u{20}
            smtp_helo_name =\u{20}
            smtp_timeout = 60s
            send_delay = 60s
            send_queue_lifetime = 2d
            reply_attachment_max = 10M
            reply_attachment_total_max = 15M

            """
        #expect(outcome.output == expected)
    }
}
