// Spool.read against hostile names in spool/incoming (madoguchi-security(7) S1): a
// FIFO, symbolic links (to /dev/zero, to a valid sealed file elsewhere), a directory
// and a file larger than any sealed message are refused by type or size before a byte
// is read; only a regular file of a sane size is opened.

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiMail
import MadoguchiTestSupport
import Testing

/// Things a hostile spool writer can put in `incoming/` under a `.sealed` name.
enum HostileSpoolEntry: String, CaseIterable, Sendable {
    case fifo, symlinkToDevZero, symlinkToSealedFile, directory, oversize

    /// The refusal `Spool.read` must give for `name`.
    func expected(_ name: String, limit: Int) -> SpoolError {
        switch self {
        case .fifo: .notRegularFile(name: name, kind: "FIFO")
        case .symlinkToDevZero, .symlinkToSealedFile: .notRegularFile(name: name, kind: "symbolic link")
        case .directory: .notRegularFile(name: name, kind: "directory")
        case .oversize: .tooLarge(name: name, size: 64 << 20, limit: limit)
        }
    }
}

@Suite(.timeLimit(.minutes(1)), .blocksThreads) struct SpoolTests {
    let pair: SpoolKeyPair

    init() throws {
        pair = try SpoolKeyPair.generate()
    }

    /// A spool with one real message in `incoming/`, and a sealed file outside it.
    private func spool(in directory: TemporaryDirectory) throws -> (Spool, outside: String) {
        let spool = Spool(directory: directory.file("spool"))
        try spool.create()
        let raw = Array("Subject: hi\r\n\r\nbody\r\n".utf8)
        let envelope = try SpoolEnvelope(
            mailbox: "support", source: "test:1", fetchedAt: 1, raw: raw, identity: try FetchIdentityKey.generate())
        let (name, _) = try spool.deliver(raw, envelope: envelope) { try SealedBox.seal($0, to: pair.publicKey) }
        let outside = directory.file("elsewhere.sealed")
        #expect(rename(spool.incomingDirectory + "/" + name, outside) == 0)
        return (spool, outside)
    }

    /// Plants `entry` as `incoming/<name>`.
    private func plant(_ entry: HostileSpoolEntry, _ path: String, outside: String) throws {
        switch entry {
        case .fifo: try #require(mkfifo(path, 0o640) == 0)
        case .symlinkToDevZero: try #require(symlink("/dev/zero", path) == 0)
        case .symlinkToSealedFile: try #require(symlink(outside, path) == 0)
        case .directory: try #require(mkdir(path, 0o750) == 0)
        case .oversize:
            // Sparse: 64 MB long, nothing written.
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o640)
            try #require(fd >= 0)
            defer { close(fd) }
            try #require(ftruncate(fd, 64 << 20) == 0)
        }
    }

    @Test(
        "S1: a FIFO, a symbolic link, a directory or an oversize file is refused before it is read",
        arguments: HostileSpoolEntry.allCases)
    func hostileEntry(entry: HostileSpoolEntry) throws {
        let directory = try TemporaryDirectory()
        let (spool, outside) = try spool(in: directory)
        let name = "0123456789abcdef0123456789abcdef01234567.sealed"
        let path = spool.incomingDirectory + "/" + name
        try plant(entry, path, outside: outside)
        // Should a reader open the FIFO anyway (the bug), a writer that comes and goes
        // after 5 s releases it, so the suite does not hang.
        let release = DispatchWorkItem {
            let fd = open(path, O_WRONLY | O_NONBLOCK)
            if fd >= 0 { close(fd) }
        }
        if entry == .fifo { DispatchQueue.global().asyncAfter(deadline: .now() + 5, execute: release) }
        defer { release.cancel() }
        let limit = Spool.sealedSizeLimit(messageLimit: 25 << 20)
        let started = Monotonic.now()
        #expect(throws: entry.expected(name, limit: limit)) {
            try spool.read(name, limit: limit) { try SealedBox.open($0, with: pair) }
        }
        #expect(Monotonic.now() - started < 2, "refused without waiting or reading")
        #expect(try spool.pending() == [name])
    }

    @Test("a regular sealed file within the limit opens; one byte over the limit is refused unread")
    func sizeLimit() throws {
        let directory = try TemporaryDirectory()
        let (spool, outside) = try spool(in: directory)
        let name = "feedfacefeedfacefeedfacefeedfacefeedface.sealed"
        #expect(rename(outside, spool.incomingDirectory + "/" + name) == 0)
        var info = stat()
        try #require(stat(spool.incomingDirectory + "/" + name, &info) == 0)
        let size = Int(info.st_size)
        let (envelope, raw) = try spool.read(name, limit: size) { try SealedBox.open($0, with: pair) }
        #expect(envelope.mailbox == "support" && raw == Array("Subject: hi\r\n\r\nbody\r\n".utf8))
        #expect(throws: SpoolError.tooLarge(name: name, size: size, limit: size - 1)) {
            try spool.read(name, limit: size - 1) { try SealedBox.open($0, with: pair) }
        }
        // The limit leaves room for the format line, the envelope and the seal.
        #expect(Spool.sealedSizeLimit(messageLimit: 1000) >= 1000 + 49 + 19 + 1 + 1024)
    }

    @Test("SpoolError says what the file is and exits 65")
    func errorText() {
        let error = SpoolError.notRegularFile(name: "x.sealed", kind: "FIFO")
        #expect(error.description.contains("x.sealed") && error.description.contains("FIFO"))
        #expect(error.exitCode == .dataError)
        let large = SpoolError.tooLarge(name: "y.sealed", size: 100, limit: 10)
        #expect(large.description.contains("100") && large.description.contains("10"))
    }
}
