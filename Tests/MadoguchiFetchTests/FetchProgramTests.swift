// fetch-forwarded-mail end to end: the built executable on an instance made by
// `madoguchi init`, accounts added with `madoguchi mailbox add`, fetching from a
// real Dovecot with the master key, the spool private key and the database moved
// away (the fetcher needs only the spool public key), then the status file (kept
// per mailbox across `--mailbox` runs), `mailbox list` and `mailbox test`; and the
// built fetcher's peak memory against a server flooding one response (B9).

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiFetch
import MadoguchiMail
import MadoguchiTestSupport
import Testing

@Suite(.blocksThreads) struct FetchProgramTests {
    @Test("the built fetcher fills the spool without the master key or the database", .timeLimit(.minutes(1)))
    func endToEnd() throws {
        let fixture = try FetchFixture()
        let messages = (1...3).map { FetchFixture.message("e\($0)") }
        for (index, message) in messages.enumerated() {
            try fixture.server.deliver(message, name: "100000000\(index).M\(index)P1.test")
        }
        let instance = try FetchInstance(root: fixture.directory.file("instance"))
        try instance.add(fixture.account(.imap, name: "support"))
        try instance.add(fixture.account(.pop3, name: "sales"))

        // Nothing but the spool public key may be needed: move every secret and the database away.
        let aside = fixture.directory.file("aside")
        mkdir(aside, 0o700)
        for file in ["keys/master.key", "keys/spool.key", "data/madoguchi.db"] {
            let name = String(file.split(separator: "/").last ?? "")
            #expect(rename(instance.root + "/" + file, aside + "/" + name) == 0)
        }
        // A partial file a killed writer left long ago is cleared; a fresh one is not touched.
        let stale = instance.spool.temporaryDirectory + "/.tmp.1.stale"
        let fresh = instance.spool.temporaryDirectory + "/.tmp.2.fresh"
        for file in [stale, fresh] { try Data("partial".utf8).write(to: URL(fileURLWithPath: file)) }
        var old = [timeval(tv_sec: time(nil) - 7200, tv_usec: 0), timeval(tv_sec: time(nil) - 7200, tv_usec: 0)]
        #expect(utimes(stale, &old) == 0)
        let run = try instance.fetch()
        #expect(run.status == 0, "\(run.output)")
        #expect(access(stale, F_OK) != 0 && access(fresh, F_OK) == 0)
        unlink(fresh)
        #expect(run.output.contains("removed 1 partial files"), "\(run.output)")
        #expect(access(instance.root + "/data/madoguchi.db", F_OK) != 0, "the fetcher created a database")
        #expect(access(instance.root + "/keys/master.key", F_OK) != 0)

        let keys = try instance.spoolKeys(from: aside)
        let spooled = try FetchFixture.open(spool: instance.spool, keys: keys)
        #expect(spooled.count == 3)
        for message in messages {
            let hit = spooled.values.contains { $0.1 == message && $0.0.mailbox == "support" }
            #expect(hit, "a message is missing from the spool")
        }
        #expect(try fixture.onServer().isEmpty)

        let status = try #require(try FetchStatus.load(directory: instance.stateDirectory))
        #expect(status.outcome == "ok" && status.exit == 0 && status.spooled == 3)

        // `madoguchi enqueue` seals the same way (with the fetcher's keys); it writes an audit
        // entry, so it needs the database and master key back, never the spool private key.
        #expect(rename(aside + "/master.key", instance.root + "/keys/master.key") == 0)
        #expect(rename(aside + "/madoguchi.db", instance.root + "/data/madoguchi.db") == 0)
        let file = fixture.directory.file("import.eml")
        let imported = FetchFixture.message("imported")
        try Data(imported).write(to: URL(fileURLWithPath: file))
        let enqueue = try BuiltProgram.run("madoguchi", ["-v", "--config", instance.configuration, "enqueue", file])
        let intake = try instance.identity().intakeID(mailbox: "enqueue", raw: imported)
        #expect(enqueue.status == 0 && enqueue.output == "\(intake) \(file)\n", "\(enqueue.output)")
        let after = try FetchFixture.open(spool: instance.spool, keys: keys)
        #expect(after.count == 4 && after[intake]?.1 == imported)
        #expect(status.mailboxes.map(\.name) == ["support", "sales"])

        let list = try BuiltProgram.run("madoguchi", ["--config", instance.configuration, "mailbox", "list", "--json"])
        #expect(list.status == 0)
        #expect(list.output.contains(#""name":"support","protocol":"imap""#))
        #expect(list.output.contains(#""last_result":"ok""#))
        #expect(!list.output.contains(fixture.server.password))

        let test = try BuiltProgram.run("madoguchi", ["--config", instance.configuration, "mailbox", "test", "sales"])
        #expect(test.status == 0, "\(test.output)")
        #expect(test.output.contains("login OK") && test.output.contains("messages: 0"))
        #expect(
            test.output.contains("tls: TLSv1.3") && test.output.contains("certificate: ")
                && test.output.contains("expires 20"))
    }

    @Test("one failing mailbox: exit 77, status names it, the others are fetched", .timeLimit(.minutes(1)))
    func failingMailbox() throws {
        let fixture = try FetchFixture()
        try fixture.server.deliver(FetchFixture.message("f1"), name: "1000000001.M1P1.test")
        let instance = try FetchInstance(root: fixture.directory.file("instance"))
        let wrong = "Wrong-Secret-99"
        try instance.add(fixture.account(.imap, name: "broken", password: wrong))
        try instance.add(fixture.account(.pop3, name: "fine"))
        let run = try instance.fetch()
        #expect(run.status == SysExit.noPermission.rawValue)
        #expect(run.output.contains("broken") && !run.output.contains(wrong))
        #expect(try FetchFixture.open(spool: instance.spool, keys: instance.spoolKeys()).count == 1)
        let status = try #require(try FetchStatus.load(directory: instance.stateDirectory))
        #expect(status.outcome == "failed" && status.exit == 77)
        #expect(status.mailboxes.first { $0.name == "broken" }?.error?.contains("refused") == true)
        let raw = try String(contentsOfFile: instance.stateDirectory + "/status.json", encoding: .utf8)
        #expect(!raw.contains(wrong))

        let test = try BuiltProgram.run("madoguchi", ["--config", instance.configuration, "mailbox", "test", "broken"])
        #expect(test.status == SysExit.noPermission.rawValue && test.output.contains("refused"))
        #expect(!test.output.contains(wrong))

        // --mailbox restricts the run to one mailbox, and the others keep their last result.
        let only = try instance.fetch(["--mailbox", "fine"])
        #expect(only.status == 0, "\(only.output)")
        let merged = try #require(try FetchStatus.load(directory: instance.stateDirectory))
        #expect(merged.scope == "fine" && merged.outcome == "ok" && merged.exit == 0)
        #expect(merged.mailboxes.map(\.name) == ["broken", "fine"])
        let kept = try #require(merged.mailboxes.first { $0.name == "broken" })
        #expect(kept.outcome == "failed" && kept.exit == 77 && kept.error?.contains("refused") == true)
        #expect(kept.end == status.end && merged.mailboxes[1].end == merged.end)
        let list = try BuiltProgram.run(
            "madoguchi", ["--config", instance.configuration, "mailbox", "list", "--json"])
        #expect(list.output.contains(#""name":"broken""#) && list.output.contains(#""last_outcome":"failed""#))
        #expect(list.output.contains(#""last_exit":77"#) && list.output.contains(#""last_outcome":"ok""#))

        // A run that fails as a whole for one mailbox counts for that one only.
        let unknown = try instance.fetch(["--mailbox", "nosuch"])
        #expect(unknown.status == SysExit.usage.rawValue)
        let after = try #require(try FetchStatus.load(directory: instance.stateDirectory))
        #expect(after.error != nil && after.mailboxes.count == 2)
        #expect(after.lastResult(of: "fine")?.outcome == "ok")
    }

    @Test("an accounts file open to others or owned by another user is refused (78)", .timeLimit(.minutes(1)))
    func insecureAccountsFile() throws {
        let directory = try TemporaryDirectory()
        let instance = try FetchInstance(root: directory.file("instance"))
        try AccountsFile(accounts: [
            FetchAccount(name: "x", mailProtocol: .imap, host: "localhost", user: "u", password: "Secret-1")
        ]).save(path: instance.accountsFile)
        chmod(instance.accountsFile, 0o640)
        let open = try instance.fetch()
        #expect(open.status == SysExit.config.rawValue && open.output.contains("chmod 600"))
        let status = try #require(try FetchStatus.load(directory: instance.stateDirectory))
        #expect(status.exit == 78 && status.outcome == "failed" && status.error?.contains("chmod 600") == true)
        let raw = try String(contentsOfFile: instance.stateDirectory + "/status.json", encoding: .utf8)
        #expect(!raw.contains("Secret-1"))
        chmod(instance.accountsFile, 0o600)
        if geteuid() == 0 {
            chown(instance.accountsFile, 65534, 65534)
            let foreign = try instance.fetch()
            #expect(foreign.status == SysExit.config.rawValue && foreign.output.contains("not owned"))
        }
    }

    @Test("B9: the built fetcher stays small against a response of endless {0} lines", .timeLimit(.minutes(1)))
    func literalFloodMemory() throws {
        // 200 MB of 60 KB lines, each ending in an empty literal: before B9 every line
        // was kept (RSS beyond 200 MB) and the run then exited 0 having logged nothing.
        let line = " X" + String(repeating: "y", count: 60_000) + " {0}\r\n"
        let server = try FakeServer { peer, _ in
            try FakeIMAP(body: { uid, peer in
                try peer.send("* 1 FETCH (UID \(uid) X {0}\r\n")
                let bytes = Array(line.utf8)
                for _ in 0..<3_400 { try peer.send(bytes) }
                try peer.send(")\r\n")
            }).run(peer)
        }
        let directory = try TemporaryDirectory()
        let instance = try FetchInstance(root: directory.file("instance"))
        var account = FetchAccount.fake(.imap, port: server.port)
        account.name = "flood"
        try instance.add(account)
        let log = directory.file("fetch.log")
        let child = try SpawnedProcess(
            BuiltProgram.directory + "/fetch-forwarded-mail", ["--config", instance.configuration], outputFile: log)
        // The child's own high-water mark (VmHWM), read while it runs: wait4's ru_maxrss
        // of a posix_spawn'ed child also counts the parent's memory at the spawn (the
        // address space it shared until exec), and this test process is large.
        var peakKiB = 0
        let deadline = Monotonic.now() + 50
        while Monotonic.now() < deadline {
            // Until it exits (a zombie has no VmHWM line any more); not reaped here.
            guard let status = try? String(contentsOfFile: "/proc/\(child.pid)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
                let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
            else { break }
            peakKiB = max(peakKiB, kib)
            usleep(10_000)
        }
        let (exit, _) = try #require(child.waitForExit(timeout: 50))
        let output = try String(contentsOfFile: log, encoding: .utf8)
        #expect(exit == SysExit.unavailable.rawValue, "\(output)")
        #expect(output.contains("response larger than"), "\(output)")
        #expect(peakKiB > 0 && peakKiB < 100_000, "peak RSS \(peakKiB) KiB")
        let status = try #require(try FetchStatus.load(directory: instance.stateDirectory))
        #expect(status.mailboxes.first?.outcome == "failed")
    }

}
