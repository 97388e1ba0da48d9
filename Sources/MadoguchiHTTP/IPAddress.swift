// IPAddress: an IPv4 or IPv6 address as 128 bits, IPv4 held in its IPv4-mapped
// IPv6 form (RFC 4291 section 2.5.5.2), so `10.0.0.1` and `::ffff:10.0.0.1` are one value
// and the allow-list compares binary addresses only (madoguchi-security(7) D7).

import Glibc

/// A socket peer or allow-list address, 128 bits, IPv4 as IPv4-mapped IPv6.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// The upper 64 bits, network order read as a big-endian number.
    public let high: UInt64
    /// The lower 64 bits.
    public let low: UInt64

    /// An address from its two halves.
    /// - Parameters:
    ///   - high: bits 0…63.
    ///   - low: bits 64…127.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// An IPv4 address as IPv4-mapped IPv6.
    /// - Parameter v4: the address as a host-order number (`10.0.0.1` is `0x0A000001`).
    public init(ipv4 v4: UInt32) {
        self.init(high: 0, low: 0xFFFF_0000_0000 | UInt64(v4))
    }

    /// Parses an IPv4 dotted quad or an IPv6 literal (no brackets, no zone).
    /// - Parameter text: e.g. `192.168.1.10`, `fe80::1`, `::ffff:10.0.0.1`.
    public init?(_ text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self.init(ipv4: UInt32(bigEndian: v4.s_addr))
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        self.init(in6: v6)
    }

    /// An address from a kernel `in6_addr`.
    init(in6 v6: in6_addr) {
        var high: UInt64 = 0
        var low: UInt64 = 0
        withUnsafeBytes(of: v6) { raw in
            for index in 0..<8 { high = high << 8 | UInt64(raw[index]) }
            for index in 8..<16 { low = low << 8 | UInt64(raw[index]) }
        }
        self.init(high: high, low: low)
    }

    /// The peer of an accepted socket.
    /// - Parameter storage: what accept(2) or getpeername(2) filled in.
    /// - Returns: the address and port, or nil for a family other than IPv4/IPv6.
    static func from(_ storage: sockaddr_storage) -> (IPAddress, UInt16)? {
        let family = Int32(storage.ss_family)
        return withUnsafeBytes(of: storage) { raw -> (IPAddress, UInt16)? in
            switch family {
            case AF_INET:
                let address = raw.loadUnaligned(as: sockaddr_in.self)
                return (
                    IPAddress(ipv4: UInt32(bigEndian: address.sin_addr.s_addr)), UInt16(bigEndian: address.sin_port)
                )
            case AF_INET6:
                let address = raw.loadUnaligned(as: sockaddr_in6.self)
                return (IPAddress(in6: address.sin6_addr), UInt16(bigEndian: address.sin6_port))
            default:
                return nil
            }
        }
    }

    /// Calls `body` with a `sockaddr_in` (IPv4) or `sockaddr_in6` for this address and
    /// `port`, for bind(2) and connect(2).
    /// - Parameters:
    ///   - port: the port, host order.
    ///   - body: gets the address and its length.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws.
    public func withSocketAddress<R>(port: UInt16, _ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) rethrows
        -> R
    {
        if isIPv4 {
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            sin.sin_addr.s_addr = UInt32(truncatingIfNeeded: low).bigEndian
            return try withUnsafePointer(to: &sin) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    try body($0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        var sin6 = sockaddr_in6()
        sin6.sin6_family = sa_family_t(AF_INET6)
        sin6.sin6_port = port.bigEndian
        withUnsafeMutableBytes(of: &sin6.sin6_addr) { store(into: $0) }
        return try withUnsafePointer(to: &sin6) {
            try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                try body($0, socklen_t(MemoryLayout<sockaddr_in6>.size))
            }
        }
    }

    /// Writes the 16 bytes in network order.
    private func store(into raw: UnsafeMutableRawBufferPointer) {
        for index in 0..<8 { raw[index] = UInt8(truncatingIfNeeded: high >> UInt64(56 - 8 * index)) }
        for index in 0..<8 { raw[8 + index] = UInt8(truncatingIfNeeded: low >> UInt64(56 - 8 * index)) }
    }

    /// True for an IPv4 address (held IPv4-mapped).
    public var isIPv4: Bool { high == 0 && low >> 32 == 0xFFFF }

    /// Dotted quad for IPv4, RFC 5952 text for IPv6.
    public var description: String {
        if isIPv4 {
            let v4 = UInt32(truncatingIfNeeded: low)
            return "\(v4 >> 24).\(v4 >> 16 & 0xFF).\(v4 >> 8 & 0xFF).\(v4 & 0xFF)"
        }
        var v6 = in6_addr()
        withUnsafeMutableBytes(of: &v6) { store(into: $0) }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &v6, &text, socklen_t(text.count)) != nil else { return "?" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
