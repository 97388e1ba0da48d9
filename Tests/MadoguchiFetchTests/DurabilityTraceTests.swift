// The durability order proven from the system calls, not assumed: SIGKILL keeps the page
// cache, so the kill matrix never exercises fsync. The built fetch-forwarded-mail runs
// under strace(1) against Dovecot (plaintext on loopback, so the protocol is readable in
// the trace): every DELE and EXPUNGE sent must come after the fsync of each spool file
// spooled so far and after an fsync of incoming/ that follows the last of them; and the
// built scan-and-file must unlink a spool file only after a database fsync that
// followed its reading (the commit of the transaction that filed it).

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiFetch
import MadoguchiMail
import MadoguchiTestSupport
import Testing

@Suite(.blocksThreads) struct DurabilityTraceTests {
    /// One system call of an `strace -f -y` trace, completed.
    struct Call {
        var name: String
        /// The text between the parentheses (paths decorated by `-y` as `fd</path>`).
        var arguments: String
    }

    /// Runs `program` under strace; returns the completed calls in completion order.
    static func trace(_ program: String, _ arguments: [String], in directory: TemporaryDirectory) throws -> [Call] {
        let output = directory.file("trace-\(program).txt")
        let traced = try ChildProcess.run(
            "/usr/bin/strace",
            [
                "-f", "-y", "-qq", "-s", "512", "-o", output, "-e",
                "trace=fsync,fdatasync,write,writev,sendto,sendmsg,link,linkat,rename,renameat,renameat2,"
                    + "openat,unlink,unlinkat",
                BuiltProgram.directory + "/" + program,
            ] + arguments)
        try #require(traced.status == 0 && !traced.killed, "\(program) under strace exited \(traced.status)")
        return parse(try String(contentsOfFile: output, encoding: .utf8))
    }

    /// Completed calls from strace lines: `pid name(args) = result`, joining
    /// `<unfinished ...>` with its `<... name resumed>` line (the call counts where it returned).
    static func parse(_ text: String) -> [Call] {
        var calls: [Call] = []
        var open: [String: (name: String, arguments: String)] = [:]
        for line in text.split(separator: "\n").map(String.init) {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            let pid = parts[0]
            let rest = parts[1].trimmingCharacters(in: .whitespaces)
            if rest.hasPrefix("<... ") {
                guard let started = open.removeValue(forKey: pid) else { continue }
                let tail = rest.components(separatedBy: "resumed>").dropFirst().joined(separator: "resumed>")
                calls.append(Call(name: started.name, arguments: started.arguments + tail))
                continue
            }
            guard let paren = rest.firstIndex(of: "(") else { continue }
            let name = String(rest[..<paren])
            let arguments = String(rest[rest.index(after: paren)...])
            if rest.hasSuffix("<unfinished ...>") {
                open[pid] = (name, arguments)
            } else {
                calls.append(Call(name: name, arguments: arguments))
            }
        }
        return calls
    }

    /// The first `-y` path in an argument list (`5</x/y>` → `/x/y`).
    static func firstPath(_ arguments: String) -> String? {
        guard let start = arguments.firstIndex(of: "<"), let end = arguments[start...].firstIndex(of: ">") else {
            return nil
        }
        return String(arguments[arguments.index(after: start)..<end])
    }

    /// The quoted strings of an argument list (paths of link/rename/unlink).
    static func quoted(_ arguments: String) -> [String] {
        arguments.split(separator: "\"", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }
            .map { String($0.element) }
    }

    @Test(
        "fetch-forwarded-mail sends DELE or EXPUNGE only after fsync of every spool file and of incoming/",
        .timeLimit(.minutes(2)), arguments: [MailProtocol.pop3, .imap])
    func fetcherFsyncsBeforeDeleting(mailProtocol: MailProtocol) throws {
        let fixture = try FetchFixture()
        for index in 0..<12 {
            try fixture.server.deliver(FetchFixture.message("trace-\(index)"), name: "17000000\(index).M\(index)P1.t")
        }
        let instance = try FetchInstance(root: fixture.directory.file("instance"))
        var account = fixture.account(mailProtocol, .none, name: "trace")
        account.host = "127.0.0.1"
        try instance.add(account)
        let calls = try Self.trace("fetch-forwarded-mail", ["--config", instance.configuration], in: fixture.directory)
        let incoming = instance.spool.incomingDirectory
        let temporary = instance.spool.temporaryDirectory

        var synced: Set<String> = []  // temporary names whose content was fsync'ed
        var linked: [String] = []  // temporary names linked into incoming/, in order
        var directorySyncedAfterLastLink = true
        var deletes = 0
        for call in calls {
            switch call.name {
            case "fsync", "fdatasync":
                guard let path = Self.firstPath(call.arguments) else { continue }
                if path.hasPrefix(temporary + "/") { synced.insert(path) }
                if path == incoming { directorySyncedAfterLastLink = true }
            case "link", "linkat", "rename", "renameat", "renameat2":
                let paths = Self.quoted(call.arguments)
                guard let from = paths.first, let to = paths.last, to.hasPrefix(incoming + "/") else { continue }
                #expect(synced.contains(from), "\(to) linked before its content was fsync'ed")
                linked.append(from)
                directorySyncedAfterLastLink = false
            case "write", "writev", "sendto", "sendmsg":
                let text = call.arguments
                guard text.contains("DELE ") || text.contains("EXPUNGE") else { continue }
                deletes += 1
                #expect(!linked.isEmpty, "a delete before anything was spooled")
                #expect(linked.allSatisfy(synced.contains), "a delete before a spool file's fsync")
                #expect(directorySyncedAfterLastLink, "a delete before incoming/ was fsync'ed after the last link")
            default:
                continue
            }
        }
        #expect(linked.count == 12)
        #expect(deletes >= 1, "no DELE or EXPUNGE seen in the trace")
        #expect(try fixture.onServer().isEmpty)
    }

    @Test("scan-and-file unlinks a spool file only after a database fsync that followed reading it")
    func filerCommitsBeforeUnlinking() throws {
        let (clamd, instance) = try ScanAndFileInstance.withClamd()
        defer { clamd.stop() }
        for index in 0..<40 {
            try instance.enqueue(FilerHarness.mail(subject: "順序 \(index)", messageID: "order-\(index)@example.jp"))
        }
        let names = Set(try instance.pending())
        let calls = try Self.trace(
            "scan-and-file", ["--config", instance.layout.configurationFile], in: instance.directory)
        let incoming = instance.spool.incomingDirectory
        let database = instance.layout.databaseFile

        var readAt: [String: Int] = [:]  // spool file → index of its openat
        var lastDatabaseSync = -1
        var unlinked: Set<String> = []
        for (index, call) in calls.enumerated() {
            switch call.name {
            case "openat":
                guard let path = Self.quoted(call.arguments).first, path.hasPrefix(incoming + "/") else { continue }
                readAt[String(path.dropFirst(incoming.count + 1)), default: index] = index
            case "fsync", "fdatasync":
                if let path = Self.firstPath(call.arguments), path.hasPrefix(database) { lastDatabaseSync = index }
            case "unlink", "unlinkat":
                // unlink(2) with the full path, or unlinkat(2) relative to incoming/.
                guard let path = Self.quoted(call.arguments).last else { continue }
                let inIncoming =
                    path.hasPrefix(incoming + "/")
                    || (!path.hasPrefix("/") && Self.firstPath(call.arguments) == incoming)
                guard inIncoming else { continue }
                let name = String(path.split(separator: "/").last ?? "")
                guard names.contains(name) else { continue }
                let read = try #require(readAt[name], "\(name) unlinked without being read")
                #expect(lastDatabaseSync > read, "\(name) unlinked before a database fsync after its reading")
                unlinked.insert(name)
            default:
                continue
            }
        }
        #expect(unlinked == names)
        #expect(try instance.count("SELECT count(*) FROM messages") == 40)
    }
}
