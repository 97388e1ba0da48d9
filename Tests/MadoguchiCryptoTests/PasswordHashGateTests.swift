// PasswordHashGate: a hash waits while every slot is taken and runs once one frees.

import Dispatch
import Testing

@testable import MadoguchiCrypto

@Suite(.blocksThreads) struct PasswordHashGateTests {
    @Test("a hash waits while the gate is full and runs when a slot frees", .timeLimit(.minutes(1)))
    func blocksWhenFull() throws {
        let gate = PasswordHashGate(limit: 1)
        let hasher = PasswordHasher(
            master: try MasterKey.generate(), parameters: .init(logN: 10, r: 8, p: 1), gate: gate)
        let finished = DispatchSemaphore(value: 0)
        gate.acquire()
        DispatchQueue.global().async {
            do {
                _ = try hasher.hash("correct horse battery staple")
            } catch {
                Issue.record(error)
            }
            finished.signal()
        }
        // An ungated N=2^10 hash takes about a millisecond.
        #expect(finished.wait(timeout: .now() + .milliseconds(300)) == .timedOut)
        gate.release()
        #expect(finished.wait(timeout: .now() + .seconds(30)) == .success)
    }

    @Test("with one of the default two slots taken, a hash still runs", .timeLimit(.minutes(1)))
    func secondSlot() throws {
        let gate = PasswordHashGate()
        let hasher = PasswordHasher(
            master: try MasterKey.generate(), parameters: .init(logN: 10, r: 8, p: 1), gate: gate)
        gate.acquire()
        defer { gate.release() }
        #expect(try hasher.verify("correct horse battery staple", against: hasher.hash("correct horse battery staple")))
    }
}
