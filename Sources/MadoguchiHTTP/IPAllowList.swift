// IPAllowList: the `ip_allow` CIDR list, matched on binary 128-bit addresses with
// IPv4 held IPv4-mapped, so `10.0.0.0/8` also matches `::ffff:10.1.2.3` from a
// dual-stack socket (madoguchi-security(7) D7). Used as HTTPServer's peer filter, on
// the socket's peer address only; deny when nothing matches.

/// A list of CIDR blocks a peer address must fall in.
public struct IPAllowList: Sendable, Equatable {
    /// One block: the network bits and the prefix length in the 128-bit space.
    public struct Block: Sendable, Equatable, CustomStringConvertible {
        /// The network address (host bits zero).
        public let network: IPAddress
        /// Prefix length over 128 bits (an IPv4 `/8` is 104).
        public let prefix: Int

        /// True when `address` is inside the block.
        /// - Parameter address: a peer address.
        public func contains(_ address: IPAddress) -> Bool {
            let (highMask, lowMask) = Block.mask(prefix)
            return address.high & highMask == network.high && address.low & lowMask == network.low
        }

        static func mask(_ prefix: Int) -> (UInt64, UInt64) {
            let high: UInt64 = prefix >= 64 ? .max : prefix == 0 ? 0 : ~(UInt64.max >> UInt64(prefix))
            let low: UInt64 = prefix <= 64 ? 0 : prefix == 128 ? .max : ~(UInt64.max >> UInt64(prefix - 64))
            return (high, low)
        }

        public var description: String {
            network.isIPv4 && prefix >= 96 ? "\(network)/\(prefix - 96)" : "\(network)/\(prefix)"
        }
    }

    /// The blocks in the order written.
    public let blocks: [Block]

    /// The default `ip_allow`: loopback and the private and link-local ranges.
    public static let defaultText =
        "127.0.0.0/8, ::1/128, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7, fe80::/10"

    /// Parses CIDR blocks separated by commas or blanks; an address without `/n` is
    /// one host. An empty list allows nobody.
    /// - Parameter text: e.g. `10.0.0.0/8, 192.168.1.0/24 fd00::/8`.
    /// - Throws: `IPAllowListError` naming the first bad entry.
    public init(parsing text: String) throws(IPAllowListError) {
        var blocks: [Block] = []
        for entry in text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }) {
            blocks.append(try IPAllowList.block(String(entry)))
        }
        self.blocks = blocks
    }

    /// A list of blocks.
    /// - Parameter blocks: the blocks.
    public init(blocks: [Block]) {
        self.blocks = blocks
    }

    /// The default list (`defaultText`).
    public static var privateRanges: IPAllowList {
        // The default is a constant checked by IPAllowListTests.
        (try? IPAllowList(parsing: defaultText)) ?? IPAllowList(blocks: [])
    }

    /// True when some block contains the address.
    /// - Parameter address: the socket's peer address.
    public func allows(_ address: IPAddress) -> Bool {
        blocks.contains { $0.contains(address) }
    }

    private static func block(_ entry: String) throws(IPAllowListError) -> Block {
        let parts = entry.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(String(parts[0])) else {
            throw IPAllowListError.badEntry(entry, "not an IPv4 or IPv6 address")
        }
        let literalIsIPv4 = !parts[0].contains(":")
        let width = literalIsIPv4 ? 32 : 128
        var prefix = width
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isNumber),
                parts[1].count <= 3, let length = Int(parts[1]), length <= width
            else { throw IPAllowListError.badEntry(entry, "prefix length must be 0 to \(width)") }
            prefix = length
        }
        let full = literalIsIPv4 ? prefix + 96 : prefix
        let (highMask, lowMask) = Block.mask(full)
        guard address.high & ~highMask == 0 && address.low & ~lowMask == 0 else {
            throw IPAllowListError.badEntry(entry, "host bits set after the prefix")
        }
        return Block(network: address, prefix: full)
    }
}
