// Tests of durable writes and log escaping.

import Foundation
import MadoguchiCore
import MadoguchiTestSupport
import Testing

@Suite struct DurableFileTests {
    @Test("write creates the file with its mode and refuses to overwrite")
    func write() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("a")
        try DurableFile.write(Array("hello".utf8), to: path, mode: 0o600)
        #expect(try DurableFile.read(path) == Array("hello".utf8))
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(throws: SystemError.self) { try DurableFile.write([1], to: path) }
        try DurableFile.write([2], to: path, replace: true)
        #expect(try DurableFile.read(path) == [2])
        #expect(throws: SystemError.self) { try DurableFile.read(path, limit: 0) }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(leftovers == ["a"])
    }

    @Test("log lines cannot be split or forged by untrusted text")
    func escape() {
        #expect(Log.escape("a\r\nwarning: forged\u{0}") == "a\\r\\nwarning: forged\\x00")
        #expect(Log.escape("請求書") == "請求書")
    }
}
