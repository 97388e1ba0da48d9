// LinkSigner: the `/go?u=…&s=…` links every link of a mail is rewritten into. The
// interstitial at /go shows the real destination before the operator follows it,
// and shows only destinations this server signed (the MAC under the link key), so
// /go is no open redirect (madoguchi-security(7) D9, WEB PAGE).

import MadoguchiCrypto

/// Signs and checks `/go` links.
public struct LinkSigner: Sendable {
    private let key: SecretKey

    /// A signer with the instance's link key.
    /// - Throws: `CryptoError` when the key cannot be derived.
    public init(keys: KeyRing) throws { key = try keys.key(for: .linkToken) }

    /// A signer with a given key (tests).
    public init(key: SecretKey) { self.key = key }

    /// The `/go` link for `destination`.
    /// - Throws: `CryptoError`.
    public func link(to destination: String) throws -> String {
        URLQuery.link("/go", [("u", destination), ("s", try mac(destination))])
    }

    /// Whether `signature` is this server's MAC of `destination`.
    public func verify(_ destination: String, signature: String) -> Bool {
        guard let expected = try? mac(destination) else { return false }
        return ConstantTime.equals(Array(expected.utf8), Array(signature.utf8))
    }

    private func mac(_ destination: String) throws -> String {
        Hex.encode(try HMAC.sha256(key: key, text: destination).prefix(16))
    }
}
