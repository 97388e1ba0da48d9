// InternalDomains: the company's own mail domains (`internal_domains`), to flag mail
// whose From claims one of them (A26 in madoguchi-security(7)): such mail comes in
// from outside through a forwarding mailbox, so its From is not authenticated.
// Matching is by domain and subdomain, case-insensitive after NFKC; IDNs as written.

import MadoguchiCrypto

/// A set of domains an address may claim.
public struct InternalDomains: Sendable, Equatable {
    /// The domains in normal form: NFKC, lower-cased, without a leading or trailing dot.
    public let domains: [String]

    /// Creates the set.
    /// - Parameter domains: domain names as configured (`example.co.jp`, `.example.com`);
    ///   internationalised names are compared as written, so list both the U-label and
    ///   the `xn--` form where mail may use either.
    public init(_ domains: [String]) {
        self.domains = domains.compactMap { InternalDomains.normalize($0) }
    }

    /// Whether `address` has one of the domains, or a subdomain of one, after its last `@`.
    public func contains(address: String) -> Bool {
        guard !domains.isEmpty, let normal = CustomerAddress.normalize(address),
            let at = normal.lastIndex(of: "@"),
            let domain = InternalDomains.normalize(String(normal[normal.index(after: at)...]))
        else { return false }
        return domains.contains { domain == $0 || domain.hasSuffix("." + $0) }
    }

    /// NFKC, lower-cased, one leading and one trailing dot removed; nil when empty.
    static func normalize(_ domain: String) -> String? {
        var text = Substring(NFKC.normalize(domain).lowercased())
        if text.hasPrefix(".") { text = text.dropFirst() }
        if text.hasSuffix(".") { text = text.dropLast() }
        return text.isEmpty ? nil : String(text)
    }
}
