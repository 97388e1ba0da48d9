// HostResolver: getaddrinfo(3) inside a deadline. The resolver may block far longer than
// a session may last (an unreachable name server, retries), so the lookup runs on its
// own thread and the caller stops waiting when the connect timeout is spent; a late
// answer is dropped by that thread.

import Dispatch
import Foundation
import Glibc

/// Resolves host names with a deadline.
public enum HostResolver {
    /// One resolved address, copied out of the `addrinfo` list.
    public struct Address: Sendable, Equatable {
        /// `AF_INET` or `AF_INET6`.
        public var family: Int32
        /// `SOCK_STREAM`.
        public var socketType: Int32
        /// The protocol for socket(2).
        public var socketProtocol: Int32
        /// The `sockaddr` bytes.
        public var address: [UInt8]
    }

    /// The outcome of one lookup: the addresses, or the getaddrinfo error code.
    public typealias Lookup = @Sendable (_ host: String, _ port: UInt16) -> Result<[Address], NetworkError>

    /// Resolves `host` for a TCP connection to `port` within `timeout` seconds.
    /// - Parameter lookup: the resolver (tests inject a slow one).
    /// - Throws: `NetworkError.timedOut` when the deadline passes first (transient),
    ///   `.badAddress` for a name that does not exist, `.io` for a temporary resolver failure.
    public static func resolve(
        _ host: String, port: UInt16, timeout: Double, lookup: @escaping Lookup = systemLookup
    ) throws -> [Address] {
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.set(lookup(host, port))
            done.signal()
        }
        thread.start()
        guard done.wait(timeout: .now() + max(0.001, timeout)) == .success, let result = box.value else {
            throw NetworkError.timedOut("resolving \(host)")
        }
        return try result.get()
    }

    /// getaddrinfo(3) for a stream socket, any address family.
    public static let systemLookup: Lookup = { host, port in
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        defer { if list != nil { freeaddrinfo(list) } }
        guard rc == 0 else {
            if rc == EAI_AGAIN { return .failure(.io("resolving \(host)", code: EAGAIN)) }
            return .failure(.badAddress("\(host):\(port)"))
        }
        var addresses: [Address] = []
        var entry = list
        while let info = entry {
            entry = info.pointee.ai_next
            guard let pointer = info.pointee.ai_addr else { continue }
            let bytes = UnsafeRawBufferPointer(start: pointer, count: Int(info.pointee.ai_addrlen))
            addresses.append(
                Address(
                    family: info.pointee.ai_family, socketType: info.pointee.ai_socktype,
                    socketProtocol: info.pointee.ai_protocol, address: Array(bytes)))
        }
        return addresses.isEmpty ? .failure(.badAddress("\(host):\(port)")) : .success(addresses)
    }

    /// Carries the lookup's result from its thread. `@unchecked Sendable`: `result` is
    /// written once under `lock` and read under it.
    private final class ResultBox: @unchecked Sendable {
        private let lock = NSLock()
        private var result: Result<[Address], NetworkError>?

        var value: Result<[Address], NetworkError>? { lock.withLock { result } }

        func set(_ value: Result<[Address], NetworkError>) { lock.withLock { result = value } }
    }
}
