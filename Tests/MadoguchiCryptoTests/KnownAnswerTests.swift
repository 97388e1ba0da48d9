// Known-answer tests: FIPS 180-2 SHA-256, RFC 5869 HKDF, RFC 4231 HMAC-SHA256, RFC 7914
// scrypt and the AES-256 cases of the GCM specification (McGrew–Viega test cases 13–16).

import MadoguchiCrypto
import Testing

private func hex(_ text: String) -> [UInt8] {
    guard let bytes = Hex.decode(text) else { preconditionFailure("bad hex in test vector") }
    return bytes
}

/// An HKDF vector.
struct HKDFVector: Sendable, CustomTestStringConvertible {
    let name: String
    let ikm: String
    let salt: String
    let info: String
    let okm: String
    var testDescription: String { name }
}

/// An HMAC vector (the expected MAC may be truncated).
struct HMACVector: Sendable, CustomTestStringConvertible {
    let name: String
    let key: [UInt8]
    let data: [UInt8]
    let mac: String
    var testDescription: String { name }
}

/// A GCM vector.
struct GCMVector: Sendable, CustomTestStringConvertible {
    let name: String
    let key: String
    let nonce: String
    let plaintext: String
    let aad: String
    let ciphertext: String
    let tag: String
    var testDescription: String { name }
}

private func range(_ from: UInt8, _ to: UInt8) -> String { Hex.encode(Array(from...to)) }

@Suite struct KnownAnswerTests {
    @Test(
        "SHA-256 matches FIPS 180-2 appendix B (one block, two blocks) and the empty message",
        arguments: [
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ])
    func sha256(message: String, digest: String) {
        let bytes = Array(message.utf8)
        #expect(Hex.encode(SHA256Hasher.hash(bytes)) == digest)
        #expect(Hex.encode(SHA256Hasher.hash(([0] + bytes)[1...])) == digest)
    }

    static let hkdfVectors: [HKDFVector] = [
        HKDFVector(
            name: "RFC 5869 A.1 basic", ikm: String(repeating: "0b", count: 22), salt: "000102030405060708090a0b0c",
            info: "f0f1f2f3f4f5f6f7f8f9",
            okm: "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"),
        HKDFVector(
            name: "RFC 5869 A.2 long inputs", ikm: range(0x00, 0x4f), salt: range(0x60, 0xaf), info: range(0xb0, 0xff),
            okm: "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09"
                + "da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87"),
        HKDFVector(
            name: "RFC 5869 A.3 empty salt and info", ikm: String(repeating: "0b", count: 22), salt: "", info: "",
            okm: "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"),
    ]

    @Test("HKDF-SHA256 matches RFC 5869", arguments: hkdfVectors)
    func hkdf(vector: HKDFVector) throws {
        let okm = try HKDF.derive(
            key: SecretKey(hex(vector.ikm)), salt: hex(vector.salt), info: hex(vector.info),
            length: vector.okm.count / 2)
        #expect(Hex.encode(okm.bytes) == vector.okm)
    }

    static let hmacVectors: [HMACVector] = [
        HMACVector(
            name: "RFC 4231 case 1", key: [UInt8](repeating: 0x0b, count: 20), data: Array("Hi There".utf8),
            mac: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        HMACVector(
            name: "RFC 4231 case 2 (short key)", key: Array("Jefe".utf8),
            data: Array("what do ya want for nothing?".utf8),
            mac: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        HMACVector(
            name: "RFC 4231 case 3", key: [UInt8](repeating: 0xaa, count: 20),
            data: [UInt8](repeating: 0xdd, count: 50),
            mac: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        HMACVector(
            name: "RFC 4231 case 4", key: Array(1...25), data: [UInt8](repeating: 0xcd, count: 50),
            mac: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        HMACVector(
            name: "RFC 4231 case 5 (truncated to 128 bits)", key: [UInt8](repeating: 0x0c, count: 20),
            data: Array("Test With Truncation".utf8), mac: "a3b6167473100ee06e0c796c2955552b"),
        HMACVector(
            name: "RFC 4231 case 6 (key larger than block)", key: [UInt8](repeating: 0xaa, count: 131),
            data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            mac: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        HMACVector(
            name: "RFC 4231 case 7 (key and data larger than block)", key: [UInt8](repeating: 0xaa, count: 131),
            data: Array(
                ("This is a test using a larger than block-size key and a larger than block-size data. The key "
                    + "needs to be hashed before being used by the HMAC algorithm.").utf8),
            mac: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ]

    @Test("HMAC-SHA256 matches RFC 4231", arguments: hmacVectors)
    func hmac(vector: HMACVector) throws {
        let mac = try HMAC.sha256(key: SecretKey(vector.key), data: vector.data)
        #expect(Hex.encode(mac.prefix(vector.mac.count / 2)) == vector.mac)
        // The reusable context gives the same answer twice in a row.
        let context = try HMACContext(key: SecretKey(vector.key))
        #expect(try context.authenticate(vector.data) == mac)
        #expect(try context.authenticate(vector.data) == mac)
    }

    @Test(
        "HMAC-SHA1 and HMAC-SHA512 match RFC 2202, RFC 4226 and RFC 4231",
        arguments: [
            (
                HMAC.Digest.sha1, [UInt8](repeating: 0x0b, count: 20), "Hi There",
                "b617318655057264e28bc0b6fb378c8ef146be00"
            ),
            (.sha1, Array("Jefe".utf8), "what do ya want for nothing?", "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
            (
                .sha512, [UInt8](repeating: 0x0b, count: 20), "Hi There",
                "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4"
                    + "be9d914eeb61f1702e696c203a126854"
            ),
            (
                .sha512, Array("Jefe".utf8), "what do ya want for nothing?",
                "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fd"
                    + "caeab1a34d4a6b4b636e070a38bce737"
            ),
        ])
    func otherDigests(digest: HMAC.Digest, key: [UInt8], data: String, mac: String) throws {
        let computed = try HMAC.authenticate(digest, key: SecretKey(key), data: Array(data.utf8))
        #expect(computed.count == digest.length)
        #expect(Hex.encode(computed) == mac)
    }

    @Test("HMAC-SHA1 of counter 0 matches the RFC 4226 Appendix D intermediate value")
    func hotpIntermediate() throws {
        let mac = try HMAC.authenticate(
            .sha1, key: SecretKey(Array("12345678901234567890".utf8)), data: [UInt8](repeating: 0, count: 8))
        #expect(Hex.encode(mac) == "cc93cf18508d94934c64b65d8ba7667fb7cde4b0")
    }

    @Test("scrypt matches RFC 7914 (password/NaCl, N=1024, r=8, p=16)")
    func scrypt() throws {
        let output = try Array("password".utf8).withUnsafeBytes {
            try Scrypt.derive(password: $0, salt: Array("NaCl".utf8), logN: 10, r: 8, p: 16, length: 64)
        }
        #expect(
            Hex.encode(output)
                == "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830"
                + "dac727afb94a83ee6d8360cbdfa2cc0640")
    }

    static let feffe = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"
    static let plaintext60 =
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5"
        + "aa0de657ba637b39"
    static let ciphertext60 =
        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e63"
        + "93ba7a0abcc9f662"
    static let gcmVectors: [GCMVector] = [
        GCMVector(
            name: "GCM test case 13 (empty plaintext)", key: String(repeating: "00", count: 32),
            nonce: String(repeating: "00", count: 12), plaintext: "", aad: "", ciphertext: "",
            tag: "530f8afbc74536b9a963b4f1c4cb738b"),
        GCMVector(
            name: "GCM test case 14 (one zero block)", key: String(repeating: "00", count: 32),
            nonce: String(repeating: "00", count: 12), plaintext: String(repeating: "00", count: 16), aad: "",
            ciphertext: "cea7403d4d606b6e074ec5d3baf39d18", tag: "d0d1c8a799996bf0265b98b5d48ab919"),
        GCMVector(
            name: "GCM test case 15 (four blocks)", key: feffe, nonce: "cafebabefacedbaddecaf888",
            plaintext: plaintext60 + "1aafd255", aad: "", ciphertext: ciphertext60 + "898015ad",
            tag: "b094dac5d93471bdec1a502270e3cc6c"),
        GCMVector(
            name: "GCM test case 16 (AAD, partial block)", key: feffe, nonce: "cafebabefacedbaddecaf888",
            plaintext: plaintext60, aad: "feedfacedeadbeeffeedfacedeadbeefabaddad2", ciphertext: ciphertext60,
            tag: "76fc6ece0f4e1768cddf8853bb2d551b"),
    ]

    @Test("AES-256-GCM matches the GCM specification", arguments: gcmVectors)
    func gcm(vector: GCMVector) throws {
        let key = SecretKey(hex(vector.key))
        var sealed = [UInt8]()
        try hex(vector.plaintext).withUnsafeBytes {
            try AESGCM.seal($0, key: key, nonce: hex(vector.nonce), aad: hex(vector.aad), into: &sealed)
        }
        #expect(Hex.encode(sealed) == vector.ciphertext + vector.tag)
        let opened = try sealed.withUnsafeBytes {
            try AESGCM.open($0, key: key, nonce: hex(vector.nonce), aad: hex(vector.aad))
        }
        #expect(opened == hex(vector.plaintext))
        var flipped = sealed
        flipped[flipped.count - 1] ^= 0x01
        #expect(throws: CryptoError.authenticationFailed) {
            try flipped.withUnsafeBytes {
                try AESGCM.open($0, key: key, nonce: hex(vector.nonce), aad: hex(vector.aad))
            }
        }
    }

    @Test(
        "constant-time comparison",
        arguments: [
            ([UInt8](), [UInt8](), true), ([1, 2, 3], [1, 2, 3], true), ([1, 2, 3], [1, 2, 4], false),
            ([1, 2, 3], [1, 2], false), ([0], [], false),
        ])
    func constantTime(left: [UInt8], right: [UInt8], equal: Bool) {
        #expect(ConstantTime.equals(left, right) == equal)
    }
}

@Suite struct NFKCTests {
    @Test(
        "NFKC composes what Foundation's single pass leaves decomposed",
        arguments: [
            ("ﾊﾟｽﾜｰﾄﾞＡＢＣ①", "パスワードABC1"), ("ｶﾞｷﾞｸﾞ", "ガギグ"), ("caf\u{65}\u{301}", "caf\u{e9}"), ("㍿", "株式会社"),
            ("ｔｅｓｔ　１２３", "test 123"),
        ])
    func normalize(input: String, expected: String) {
        #expect(Array(NFKC.normalize(input).unicodeScalars) == Array(expected.unicodeScalars))
    }
}
