// Tests of the program skeleton: exit codes, -n, usage errors and the solitary lock.

import Foundation
import MadoguchiCore
import MadoguchiTestSupport
import Testing

@Suite(.serialized) struct ToolMainTests {
    func instance() throws -> (TemporaryDirectory, String) {
        let dir = try TemporaryDirectory()
        let conf = dir.file("madoguchi.conf")
        try "lock_directory = run\n".write(toFile: conf, atomically: true, encoding: .utf8)
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
        try "no_such_thing = 1\n".write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(ToolMain.execute(tool, arguments: ["-n", "--config", bad]) { _ in .ok } == .config)
        #expect(ToolMain.execute(tool, arguments: ["--config", dir.file("missing.conf")]) { _ in .ok } == .config)
        #expect(ToolMain.execute(tool, arguments: ["--frobnicate"]) { _ in .ok } == .usage)
    }
}
