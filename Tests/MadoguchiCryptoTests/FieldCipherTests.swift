// Round trip and tamper tests of the field blob format.

import MadoguchiCrypto
import Testing

@Suite struct FieldCipherTests {
    @Test("a field round-trips only in its own row")
    func roundTrip() throws {
        let cipher = FieldCipher(keys: [7: try SecretKey.random()], currentKeyID: 7)
        let here = FieldContext(table: "messages", column: "subject", row: 1)
        let blob = try cipher.seal("請求書の再発行", for: here)
        #expect(try cipher.openString(blob, for: here) == "請求書の再発行")
        #expect(FieldCipher.keyID(of: blob) == 7)
        #expect(throws: CryptoError.authenticationFailed) {
            try cipher.open(blob, for: FieldContext(table: "messages", column: "subject", row: 2))
        }
    }
}
