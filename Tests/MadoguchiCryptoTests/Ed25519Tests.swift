// Ed25519 signing keys (RFC 8032): the known-answer tests of RFC 8032 section 7.1, a flipped
// bit anywhere in message, signature or key failing verification, and the key files.

import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiTestSupport
import Testing

/// One Ed25519 test vector of RFC 8032 section 7.1, in the RFC's hex.
struct Ed25519Vector: Sendable, CustomTestStringConvertible {
    let name: String
    /// SECRET KEY: the 32-byte seed.
    let secretKey: String
    /// PUBLIC KEY.
    let publicKey: String
    /// The length the RFC gives for MESSAGE, in bytes.
    let messageLength: Int
    /// MESSAGE.
    let message: String
    /// SIGNATURE.
    let signature: String
    var testDescription: String { name }
}

private func hex(_ text: String) -> [UInt8] {
    guard let bytes = Hex.decode(text) else { preconditionFailure("bad hex in test vector") }
    return bytes
}

/// Every copy of `bytes` with exactly one bit flipped, with the bit's index.
private func singleBitFlips(of bytes: [UInt8]) -> [(bit: Int, bytes: [UInt8])] {
    (0..<bytes.count * 8).map { bit in
        var flipped = bytes
        flipped[bit / 8] ^= 1 << UInt8(bit % 8)
        return (bit, flipped)
    }
}

@Suite struct Ed25519Tests {
    static let test1 = Ed25519Vector(
        name: "RFC 8032 TEST 1",
        secretKey: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        publicKey: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        messageLength: 0,
        message: "",
        signature: "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
            + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")

    static let test2 = Ed25519Vector(
        name: "RFC 8032 TEST 2",
        secretKey: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
        publicKey: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        messageLength: 1,
        message: "72",
        signature: "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
            + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")

    static let test3 = Ed25519Vector(
        name: "RFC 8032 TEST 3",
        secretKey: "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
        publicKey: "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
        messageLength: 2,
        message: "af82",
        signature: "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
            + "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a")

    static let test1024 = Ed25519Vector(
        name: "RFC 8032 TEST 1024",
        secretKey: "f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
        publicKey: "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
        messageLength: 1023,
        message: [
            "08b8b2b733424243760fe426a4b54908",
            "632110a66c2f6591eabd3345e3e4eb98",
            "fa6e264bf09efe12ee50f8f54e9f77b1",
            "e355f6c50544e23fb1433ddf73be84d8",
            "79de7c0046dc4996d9e773f4bc9efe57",
            "38829adb26c81b37c93a1b270b20329d",
            "658675fc6ea534e0810a4432826bf58c",
            "941efb65d57a338bbd2e26640f89ffbc",
            "1a858efcb8550ee3a5e1998bd177e93a",
            "7363c344fe6b199ee5d02e82d522c4fe",
            "ba15452f80288a821a579116ec6dad2b",
            "3b310da903401aa62100ab5d1a36553e",
            "06203b33890cc9b832f79ef80560ccb9",
            "a39ce767967ed628c6ad573cb116dbef",
            "efd75499da96bd68a8a97b928a8bbc10",
            "3b6621fcde2beca1231d206be6cd9ec7",
            "aff6f6c94fcd7204ed3455c68c83f4a4",
            "1da4af2b74ef5c53f1d8ac70bdcb7ed1",
            "85ce81bd84359d44254d95629e9855a9",
            "4a7c1958d1f8ada5d0532ed8a5aa3fb2",
            "d17ba70eb6248e594e1a2297acbbb39d",
            "502f1a8c6eb6f1ce22b3de1a1f40cc24",
            "554119a831a9aad6079cad88425de6bd",
            "e1a9187ebb6092cf67bf2b13fd65f270",
            "88d78b7e883c8759d2c4f5c65adb7553",
            "878ad575f9fad878e80a0c9ba63bcbcc",
            "2732e69485bbc9c90bfbd62481d9089b",
            "eccf80cfe2df16a2cf65bd92dd597b07",
            "07e0917af48bbb75fed413d238f5555a",
            "7a569d80c3414a8d0859dc65a46128ba",
            "b27af87a71314f318c782b23ebfe808b",
            "82b0ce26401d2e22f04d83d1255dc51a",
            "ddd3b75a2b1ae0784504df543af8969b",
            "e3ea7082ff7fc9888c144da2af58429e",
            "c96031dbcad3dad9af0dcbaaaf268cb8",
            "fcffead94f3c7ca495e056a9b47acdb7",
            "51fb73e666c6c655ade8297297d07ad1",
            "ba5e43f1bca32301651339e22904cc8c",
            "42f58c30c04aafdb038dda0847dd988d",
            "cda6f3bfd15c4b4c4525004aa06eeff8",
            "ca61783aacec57fb3d1f92b0fe2fd1a8",
            "5f6724517b65e614ad6808d6f6ee34df",
            "f7310fdc82aebfd904b01e1dc54b2927",
            "094b2db68d6f903b68401adebf5a7e08",
            "d78ff4ef5d63653a65040cf9bfd4aca7",
            "984a74d37145986780fc0b16ac451649",
            "de6188a7dbdf191f64b5fc5e2ab47b57",
            "f7f7276cd419c17a3ca8e1b939ae49e4",
            "88acba6b965610b5480109c8b17b80e1",
            "b7b750dfc7598d5d5011fd2dcc5600a3",
            "2ef5b52a1ecc820e308aa342721aac09",
            "43bf6686b64b2579376504ccc493d97e",
            "6aed3fb0f9cd71a43dd497f01f17c0e2",
            "cb3797aa2a2f256656168e6c496afc5f",
            "b93246f6b1116398a346f1a641f3b041",
            "e989f7914f90cc2c7fff357876e506b5",
            "0d334ba77c225bc307ba537152f3f161",
            "0e4eafe595f6d9d90d11faa933a15ef1",
            "369546868a7f3a45a96768d40fd9d034",
            "12c091c6315cf4fde7cb68606937380d",
            "b2eaaa707b4c4185c32eddcdd306705e",
            "4dc1ffc872eeee475a64dfac86aba41c",
            "0618983f8741c5ef68d3a101e8a3b8ca",
            "c60c905c15fc910840b94c00a0b9d0",
        ].joined(),
        signature: "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350"
            + "aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03")

    static let testSHAabc = Ed25519Vector(
        name: "RFC 8032 TEST SHA(abc)",
        secretKey: "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
        publicKey: "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
        messageLength: 64,
        message: [
            "ddaf35a193617abacc417349ae204131",
            "12e6fa4e89a97ea20a9eeee64b55d39a",
            "2192992a274fc1a836ba3c23a3feebbd",
            "454d4423643ce80e2a9ac94fa54ca49f",
        ].joined(),
        signature: "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
            + "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704")

    static let rfc8032Vectors = [test1, test2, test3, test1024, testSHAabc]

    @Test("RFC 8032 section 7.1: public key, signature bytes and verification", arguments: rfc8032Vectors)
    func knownAnswer(vector: Ed25519Vector) throws {
        let key = try Ed25519PrivateKey(seed: SecretKey(hex(vector.secretKey)))
        let message = hex(vector.message)
        #expect(message.count == vector.messageLength)
        #expect(Hex.encode(key.publicKey.rawRepresentation) == vector.publicKey)
        #expect(Hex.encode(try key.signature(for: message)) == vector.signature)
        let verifier = try Ed25519PublicKey(rawRepresentation: hex(vector.publicKey))
        #expect(verifier.isValidSignature(hex(vector.signature), for: message))
    }

    @Test("RFC 8032 section 7.1: a flipped bit in message, signature or key fails", arguments: rfc8032Vectors)
    func flippedBits(vector: Ed25519Vector) throws {
        let message = hex(vector.message)
        let signature = hex(vector.signature)
        let verifier = try Ed25519PublicKey(rawRepresentation: hex(vector.publicKey))
        // TEST 1 has an empty message, so it has no bit to flip; a byte appended fails for all.
        #expect(!verifier.isValidSignature(signature, for: message + [0]))
        let acceptedMessages = singleBitFlips(of: message).filter {
            verifier.isValidSignature(signature, for: $0.bytes)
        }
        #expect(acceptedMessages.map(\.bit) == [])
        let acceptedSignatures = singleBitFlips(of: signature).filter {
            verifier.isValidSignature($0.bytes, for: message)
        }
        #expect(acceptedSignatures.map(\.bit) == [])
        let acceptedKeys = try singleBitFlips(of: verifier.rawRepresentation).filter {
            try Ed25519PublicKey(rawRepresentation: $0.bytes).isValidSignature(signature, for: message)
        }
        #expect(acceptedKeys.map(\.bit) == [])
    }

    @Test("a changed message, signature or key does not verify")
    func rejects() throws {
        let key = try Ed25519PrivateKey.generate()
        let message = Array("checkpoint seq=42 head=abcd".utf8)
        let signature = try key.signature(for: message)
        #expect(key.publicKey.isValidSignature(signature, for: message))
        #expect(!key.publicKey.isValidSignature(signature, for: message + [0]))
        var bad = signature
        bad[10] ^= 1
        #expect(!key.publicKey.isValidSignature(bad, for: message))
        #expect(!key.publicKey.isValidSignature(Array(signature.prefix(63)), for: message))
        #expect(!(try Ed25519PrivateKey.generate()).publicKey.isValidSignature(signature, for: message))
        let reloaded = try Ed25519PrivateKey(seed: SecretKey(key.seed.bytes))
        #expect(reloaded.publicKey == key.publicKey)
    }

    @Test("signing and verification keys round-trip through their files")
    func keyFiles() throws {
        let dir = try TemporaryDirectory()
        let key = try Ed25519PrivateKey.generate()
        try key.write(to: dir.file("audit.key"))
        try key.publicKey.write(to: dir.file("audit.pub"))
        let loaded = try Ed25519PrivateKey.load(path: dir.file("audit.key"))
        let verifier = try Ed25519PublicKey.load(path: dir.file("audit.pub"))
        #expect(verifier == key.publicKey && loaded.publicKey == key.publicKey)
        #expect(verifier.isValidSignature(try loaded.signature(for: [1, 2, 3]), for: [1, 2, 3]))
        #expect(chmod(dir.file("audit.key"), 0o640) == 0)
        #expect(try Ed25519PrivateKey.load(path: dir.file("audit.key")).publicKey == key.publicKey)
        #expect(chmod(dir.file("audit.key"), 0o660) == 0)
        #expect(throws: KeyFileError.insecurePermissions(path: dir.file("audit.key"), mode: 0o660)) {
            try Ed25519PrivateKey.load(path: dir.file("audit.key"))
        }
    }

    @Test("a key file with two keys names the second key's line")
    func twoKeys() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("audit.pub")
        let line = "madoguchi-audit-verify-key v1 " + String(repeating: "A", count: 43) + "=\n"
        try DurableFile.write(Array(("# comment\n" + line + "\n" + line).utf8), to: path, mode: 0o644)
        #expect(throws: KeyFileError.malformed(path: path, line: 4)) { try Ed25519PublicKey.load(path: path) }
    }
}
