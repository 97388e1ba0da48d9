// SessionToken's base64url (RFC 4648 section 5) as Foundation's base64 with the
// URL alphabet and no padding writes and reads it: cookies issued before and after
// the hand-written codec are the same text.

import Foundation
import MadoguchiCrypto
import Testing

@testable import MadoguchiInbox

@Suite struct SessionTokenTests {
    static func foundation(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    @Test("encodes every length as Foundation does")
    func encodes() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<70 {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                #expect(SessionToken.encode(bytes) == Self.foundation(bytes))
            }
        }
    }

    @Test("a token's hash is the SHA-256 of its 32 bytes; anything else finds nothing")
    func hashes() throws {
        let bytes = try SecureRandom.bytes(32)
        let token = Self.foundation(bytes)
        #expect(SessionToken.hash(token) == SHA256Hasher.hash(bytes))
        #expect(SessionToken.hash(String(token.dropLast())) == nil)
        #expect(SessionToken.hash(token + "A") == nil)
        #expect(SessionToken.hash(String(token.dropLast()) + "+") == nil)
        #expect(SessionToken.hash(String(token.dropLast()) + "=") == nil)
        #expect(SessionToken.hash(String(repeating: "A", count: 42) + "é") == nil)
        // The low bits of the last character are ignored, as Foundation ignores them.
        #expect(
            SessionToken.hash(String(repeating: "A", count: 42) + "D")
                == SessionToken.hash(String(repeating: "A", count: 43)))
    }
}
