// IPAllowListTests: CIDR parsing and boundary decisions (madoguchi-security(7) D7):
// the first and last address of a block and their neighbours outside it, IPv4-mapped
// IPv6 peers, prefix lengths 0 and full, and the default private ranges.

import MadoguchiHTTP
import Testing

@Suite struct IPAllowListTests {
    static func address(_ text: String) throws -> IPAddress {
        try #require(IPAddress(text), "\(text)")
    }

    @Test(
        "D7 CIDR edges: first and last inside, neighbours outside",
        arguments: [
            ("10.0.0.0/8", "10.0.0.0", true), ("10.0.0.0/8", "10.255.255.255", true),
            ("10.0.0.0/8", "9.255.255.255", false), ("10.0.0.0/8", "11.0.0.0", false),
            ("172.16.0.0/12", "172.16.0.0", true), ("172.16.0.0/12", "172.31.255.255", true),
            ("172.16.0.0/12", "172.15.255.255", false), ("172.16.0.0/12", "172.32.0.0", false),
            ("192.168.1.0/24", "192.168.1.255", true), ("192.168.1.0/24", "192.168.2.0", false),
            ("192.168.1.7", "192.168.1.7", true), ("192.168.1.7", "192.168.1.8", false),
            ("192.168.1.7/32", "192.168.1.6", false), ("0.0.0.0/0", "203.0.113.9", true),
            ("0.0.0.0/0", "2001:db8::1", false), ("::/0", "2001:db8::1", true), ("::/0", "10.0.0.1", true),
            ("fc00::/7", "fc00::", true), ("fc00::/7", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true),
            ("fc00::/7", "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false), ("fc00::/7", "fe00::", false),
            ("fe80::/10", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true), ("fe80::/10", "fec0::", false),
            ("2001:db8::/64", "2001:db8::ffff:ffff:ffff:ffff", true), ("2001:db8::/64", "2001:db8:0:1::", false),
            ("2001:db8::/65", "2001:db8::7fff:ffff:ffff:ffff", true),
            ("2001:db8::/65", "2001:db8::8000:0:0:0", false), ("::1", "::1", true), ("::1", "::2", false),
            ("::1/128", "::ffff:127.0.0.1", false), ("127.0.0.0/8", "::1", false),
        ])
    func edges(_ block: String, _ peer: String, _ allowed: Bool) throws {
        let list = try IPAllowList(parsing: block)
        #expect(list.allows(try Self.address(peer)) == allowed, "\(block) \(peer)")
    }

    @Test("D7 an IPv4-mapped IPv6 peer matches IPv4 blocks, and a mapped block matches IPv4 peers")
    func mapped() throws {
        let list = try IPAllowList(parsing: "10.0.0.0/8")
        #expect(list.allows(try Self.address("::ffff:10.1.2.3")))
        #expect(!list.allows(try Self.address("::ffff:11.1.2.3")))
        #expect(try Self.address("::ffff:10.1.2.3") == Self.address("10.1.2.3"))
        #expect(try Self.address("::ffff:10.1.2.3").description == "10.1.2.3")
        let mappedBlock = try IPAllowList(parsing: "::ffff:192.168.0.0/112")
        #expect(mappedBlock.allows(try Self.address("192.168.5.5")))
        #expect(!mappedBlock.allows(try Self.address("192.169.0.0")))
        // The deprecated IPv4-compatible form ::a.b.c.d is not IPv4.
        #expect(!list.allows(try Self.address("::10.1.2.3")))
    }

    @Test("the default allows loopback and private ranges and nothing public")
    func defaults() throws {
        let list = IPAllowList.privateRanges
        #expect(list.blocks.count == 7)
        for allowed in [
            "127.0.0.1", "127.255.255.254", "::1", "10.20.30.40", "172.20.0.1", "192.168.0.1", "fd12::1",
            "fe80::1", "::ffff:192.168.10.10",
        ] {
            #expect(list.allows(try Self.address(allowed)), "\(allowed)")
        }
        for refused in ["8.8.8.8", "172.32.0.1", "192.169.0.1", "2001:db8::1", "::", "::ffff:8.8.8.8", "0.0.0.0"] {
            #expect(!list.allows(try Self.address(refused)), "\(refused)")
        }
        #expect(try IPAllowList(parsing: IPAllowList.defaultText) == list)
    }

    @Test(
        "parse errors name the bad entry",
        arguments: [
            ("10.0.0.0/8, 10.0.0.300/8", "10.0.0.300/8"), ("10.0.0.0/33", "10.0.0.0/33"), ("10.0.0.1/8", "10.0.0.1/8"),
            ("fe80::/129", "fe80::/129"), ("fe80::1/10", "fe80::1/10"), ("host.example", "host.example"),
            ("10.0.0.0/", "10.0.0.0/"), ("10.0.0.0/8/8", "10.0.0.0/8/8"), ("10.0.0.0/+8", "10.0.0.0/+8"),
            ("fe80::1%eth0", "fe80::1%eth0"),
        ])
    func errors(_ text: String, _ entry: String) {
        #expect {
            try IPAllowList(parsing: text)
        } throws: { error in
            guard let error = error as? IPAllowListError, case .badEntry(let named, _) = error else { return false }
            return named == entry && error.description.contains(entry)
        }
    }

    @Test("an empty list allows nobody; blanks and commas both separate")
    func emptyAndSeparators() throws {
        #expect(!(try IPAllowList(parsing: "")).allows(try Self.address("127.0.0.1")))
        let list = try IPAllowList(parsing: "10.0.0.0/8,192.168.0.0/16 \t fc00::/7")
        #expect(list.blocks.map(\.description) == ["10.0.0.0/8", "192.168.0.0/16", "fc00::/7"])
    }
}
