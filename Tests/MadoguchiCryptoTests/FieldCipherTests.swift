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

    @Test("one decryptor opens many fields under several keys; a tampered one fails and the next still opens")
    func decryptorReusesContexts() throws {
        let old = try SecretKey.random()
        let rotated = FieldCipher(keys: [7: old, 8: try SecretKey.random()], currentKeyID: 8)
        let before = FieldCipher(keys: [7: old], currentKeyID: 7)
        let decryptor = FieldDecryptor(cipher: rotated)
        var fields: [(FieldContext, String, [UInt8])] = []
        for row in Int64(1)...60 {
            let context = FieldContext(table: "messages", column: row % 2 == 0 ? "subject_enc" : "text_enc", row: row)
            let text = String(repeating: "件名\(row) ", count: Int(row % 7))  // the empty text included
            // Old-key blobs from a ring that shares key 7, new ones under key 8.
            let source = row % 3 == 0 ? before : rotated
            fields.append((context, text, try source.seal(text, for: context)))
        }
        for (context, text, blob) in fields {
            #expect(try decryptor.open(blob, for: context) == Array(text.utf8))
            #expect(try rotated.open(blob, for: context) == Array(text.utf8))
            var tampered = blob
            tampered[tampered.count - 1] ^= 1
            #expect(throws: CryptoError.authenticationFailed) { try decryptor.open(tampered, for: context) }
            let elsewhere = FieldContext(table: context.table, column: context.column, row: context.row + 1000)
            #expect(throws: CryptoError.authenticationFailed) { try decryptor.open(blob, for: elsewhere) }
        }
        // A blob under another key with the same id, and under an id the ring does not have.
        for other in [
            FieldCipher(keys: [7: try SecretKey.random()], currentKeyID: 7),
            FieldCipher(keys: [9: try SecretKey.random()], currentKeyID: 9),
        ] {
            let foreign = try other.seal("x", for: fields[0].0)
            #expect(throws: CryptoError.authenticationFailed) { try decryptor.open(foreign, for: fields[0].0) }
        }
    }
}
