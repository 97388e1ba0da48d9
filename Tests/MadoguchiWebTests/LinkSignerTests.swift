// LinkSigner: /go links carry the destination and a MAC; only signed destinations
// verify (no open redirect), under the same key only.

import MadoguchiCrypto
import MadoguchiWeb
import Testing

@Suite struct LinkSignerTests {
    @Test("a signed destination verifies; another destination, another key or a cut MAC does not")
    func signing() throws {
        let signer = LinkSigner(key: try SecretKey.random())
        let link = try signer.link(to: "https://example.com/a?b=c&d=日本")
        #expect(link.hasPrefix("/go?u=https%3A%2F%2Fexample.com%2Fa%3Fb%3Dc%26d%3D%E6%97%A5%E6%9C%AC&s="))
        let signature = String(link.split(separator: "=").last ?? "")
        #expect(signature.count == 32)
        #expect(signer.verify("https://example.com/a?b=c&d=日本", signature: signature))
        #expect(!signer.verify("https://evil.example/", signature: signature))
        #expect(!signer.verify("https://example.com/a?b=c&d=日本", signature: String(signature.dropLast())))
        #expect(!LinkSigner(key: try SecretKey.random()).verify("https://example.com/a?b=c&d=日本", signature: signature))
    }
}
