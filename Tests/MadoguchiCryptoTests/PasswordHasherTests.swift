// Password hashing: record format, NFKC equivalence, the 128-character limit checked
// before hashing, pepper, rehash detection, unknown users, and one real N=2^17 hash.

import Foundation
import MadoguchiCrypto
import MadoguchiTestSupport
import Testing

@Suite struct PasswordHasherTests {
    let master: MasterKey
    let hasher: PasswordHasher
    static let fast = PasswordHasher.Parameters(logN: 10, r: 8, p: 1)

    init() throws {
        master = try MasterKey.generate()
        hasher = PasswordHasher(master: master, parameters: Self.fast)
    }

    @Test("a record has the documented format and verifies only the right password")
    func roundTrip() throws {
        let record = try hasher.hash("correct horse battery staple")
        let parts = record.split(separator: "$", omittingEmptySubsequences: false)
        #expect(parts.count == 5 && parts[1] == "scrypt1" && parts[2] == "ln=10,r=8,p=1,pv=1")
        #expect(Data(base64Encoded: String(parts[3]))?.count == 16)
        #expect(Data(base64Encoded: String(parts[4]))?.count == 32)
        #expect(try hasher.verify("correct horse battery staple", against: record))
        #expect(try !hasher.verify("correct horse battery stapl", against: record))
        #expect(try !hasher.verify("Correct horse battery staple", against: record))
        // Fresh salt each time.
        #expect(try hasher.hash("correct horse battery staple") != record)
    }

    @Test("full-width and half-width forms are the same password after NFKC")
    func nfkc() throws {
        let record = try hasher.hash("ﾊﾟｽﾜｰﾄﾞＡＢＣ①")
        #expect(try hasher.verify("パスワードABC1", against: record))
        // Canonically equivalent but differently encoded: e + combining acute vs é.
        let accent = try hasher.hash("caf\u{65}\u{301}-password")
        #expect(try hasher.verify("caf\u{e9}-password", against: accent))
    }

    @Test(
        "long passphrases, emoji and Japanese are accepted",
        arguments: [
            String(repeating: "long passphrase ", count: 4), "🔐🐱‍👤 鍵をかけた猫 👨‍👩‍👧‍👦",
            "日本語のパスワードです。", String(repeating: "x", count: 128),
        ])
    func accepted(password: String) throws {
        #expect(try hasher.verify(password, against: try hasher.hash(password)))
    }

    @Test("129 characters are rejected before hashing")
    func tooLong() throws {
        #expect(throws: PasswordError.tooLong) { try hasher.hash(String(repeating: "x", count: 129)) }
        #expect(throws: PasswordError.tooLong) {
            try hasher.verify(String(repeating: "鍵", count: 129), against: try hasher.hash("short one"))
        }
        #expect(throws: PasswordError.tooLong) { try hasher.verifyUnknownUser(String(repeating: "x", count: 129)) }
    }

    @Test("a 1 MB password is rejected fast, without any scrypt work")
    func megabyte() throws {
        // The production cost (~0.6 s per hash) would make a late check obvious.
        let production = PasswordHasher(master: master)
        let huge = String(repeating: "a", count: 1 << 20)
        let elapsed = ThreadCPUTime.measure {  // this thread's CPU time: other load does not count
            #expect(throws: PasswordError.tooLong) { try production.hash(huge) }
        }
        #expect(elapsed < .milliseconds(100))
    }

    @Test("the pepper matters: another master key does not verify the record")
    func pepper() throws {
        let record = try hasher.hash("correct horse battery staple")
        let other = PasswordHasher(master: try MasterKey.generate(), parameters: Self.fast)
        #expect(try !other.verify("correct horse battery staple", against: record))
    }

    @Test("records of an older master key still verify and ask for a rehash")
    func pepperRotation() throws {
        let record = try hasher.hash("correct horse battery staple")
        let rotated = PasswordHasher(master: try master.addingKey(), parameters: Self.fast)
        #expect(try rotated.verify("correct horse battery staple", against: record))
        #expect(rotated.needsRehash(record))
        #expect(!rotated.needsRehash(try rotated.hash("correct horse battery staple")))
        let dropped = PasswordHasher(master: try MasterKey.generate(id: 2), parameters: Self.fast)
        #expect(throws: PasswordError.unknownPepperVersion(1)) {
            try dropped.verify("correct horse battery staple", against: record)
        }
    }

    @Test("needsRehash is true when the cost is below the current parameters")
    func rehash() throws {
        let record = try hasher.hash("correct horse battery staple")
        #expect(!hasher.needsRehash(record))
        #expect(PasswordHasher(master: master, parameters: .init(logN: 11, r: 8, p: 1)).needsRehash(record))
        #expect(PasswordHasher(master: master).needsRehash(record))
        #expect(hasher.needsRehash("$2y$10$abcdefghijklmnopqrstuu"))
    }

    @Test(
        "malformed records are refused without hashing",
        arguments: [
            "", "plain", "$scrypt1$ln=10,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA",
            "$scrypt1$ln=30,r=8,p=1,pv=1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            "$scrypt1$ln=10,r=8,p=1,pv=1$AAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            "$scrypt1$ln=10,r=8,p=1,pv=1,pv=1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            "$scrypt2$ln=10,r=8,p=1,pv=1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        ])
    func malformed(record: String) {
        #expect(throws: PasswordError.malformedRecord) { try hasher.verify("whatever password", against: record) }
    }

    @Test(
        "the configured cost maps to r=8, p=1 within 10...20",
        arguments: [(9, false), (10, true), (17, true), (20, true), (21, false)])
    func configuredCost(cost: Int64, valid: Bool) {
        let parameters = PasswordHasher.Parameters(cost: cost)
        #expect((parameters != nil) == valid)
        if let parameters { #expect(parameters == PasswordHasher.Parameters(logN: Int(cost), r: 8, p: 1)) }
        #expect(PasswordHasher.Parameters(cost: 17) == .standard)
    }

    @Test("an unknown user costs a hash and never verifies")
    func unknownUser() throws {
        #expect(try !hasher.verifyUnknownUser("correct horse battery staple"))
        #expect(try !hasher.verifyUnknownUser(""))
    }

    @Test("the production cost N=2^17, r=8, p=1 works with the explicit memory limit")
    func productionCost() throws {
        let production = PasswordHasher(master: master)
        let record = try production.hash("correct horse battery staple")
        #expect(record.hasPrefix("$scrypt1$ln=17,r=8,p=1,pv=1$"))
        #expect(try production.verify("correct horse battery staple", against: record))
        #expect(!production.needsRehash(record))
    }
}
