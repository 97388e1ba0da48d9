// HostResolver: name resolution inside the connect deadline — a resolver that hangs
// costs the session its timeout, not the resolver's own retries — and getaddrinfo's
// answers for loopback names.

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiTestSupport
import Testing

@Suite struct HostResolverTests {
    @Test(
        "a hanging resolver ends in a transient timeout when the connect timeout is spent", .timeLimit(.minutes(1)),
        .blocksThreads)
    func deadline() throws {
        let slow: HostResolver.Lookup = { _, _ in
            sleep(5)
            return .failure(.badAddress("late"))
        }
        let start = Monotonic.now()
        let error = #expect(throws: NetworkError.self) {
            _ = try SocketConnection.connectTCP(host: "mail.example.jp", port: 995, timeout: 0.5, lookup: slow)
        }
        #expect(error == .timedOut("resolving mail.example.jp"))
        #expect(error?.isTransient == true)
        // Well before the resolver would have answered (5 s), even on a loaded machine.
        #expect(Monotonic.now() - start < 4)
    }

    @Test("loopback names resolve; a name that cannot exist is a permanent bad address")
    func system() throws {
        let addresses = try HostResolver.resolve("localhost", port: 993, timeout: 10)
        #expect(!addresses.isEmpty)
        #expect(addresses.allSatisfy { $0.family == AF_INET || $0.family == AF_INET6 })
        #expect(throws: NetworkError.badAddress("no such host.invalid:993")) {
            _ = try HostResolver.resolve("no such host.invalid", port: 993, timeout: 10)
        }
    }
}
