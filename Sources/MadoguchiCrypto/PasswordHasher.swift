// PasswordHasher: scrypt (N=2^17, r=8, p=1, 256 MiB maxmem) over the NFKC-normalised
// UTF-8 password, then HMAC-SHA256 with a pepper derived from the master key.
// Record: $scrypt1$ln=17,r=8,p=1,pv=<master key id>$<b64 salt>$<b64 hash>.
// SECURITY: > 128 characters are refused before any hashing work; verification is
// constant-time; `verifyUnknownUser` burns the same work for non-existent accounts.

import Foundation

/// Hashes and verifies user passwords. Each hash costs ~128 MiB and ~0.6 s at the
/// default cost: callers must cap concurrency and throttle before calling.
public struct PasswordHasher: Sendable {
    /// The most characters (grapheme clusters, before normalisation) accepted.
    public static let maximumLength = 128
    /// Salt bytes.
    public static let saltLength = 16
    /// Hash bytes.
    public static let hashLength = 32
    /// The cheapest scrypt cost a record may name (below this it is malformed).
    public static let minimumLogN = 10
    /// The dearest scrypt cost a record may name (bounds the work a planted record causes).
    public static let maximumLogN = 20

    /// scrypt cost parameters.
    public struct Parameters: Sendable, Equatable {
        /// log2 of N.
        public var logN: Int
        /// Block size.
        public var r: UInt32
        /// Parallelism.
        public var p: UInt32

        /// The production default: N=2^17, r=8, p=1 (OWASP).
        public static let standard = Parameters(logN: 17, r: 8, p: 1)

        /// The production shape (r=8, p=1) at a configured cost (`password_hash_cost`).
        /// - Returns: nil when `cost` is outside 10...20.
        public init?(cost: Int64) {
            guard (Int64(PasswordHasher.minimumLogN)...Int64(PasswordHasher.maximumLogN)).contains(cost) else {
                return nil
            }
            self.init(logN: Int(cost), r: 8, p: 1)
        }

        /// Creates parameters.
        public init(logN: Int, r: UInt32, p: UInt32) {
            self.logN = logN
            self.r = r
            self.p = p
        }
    }

    /// The parameters new hashes use.
    public let parameters: Parameters
    /// The gate bounding concurrent scrypt runs.
    public let gate: PasswordHashGate
    private let master: MasterKey

    /// Creates a hasher.
    /// - Parameters:
    ///   - master: the master key ring; the pepper is derived from it (pepper version = key id).
    ///   - parameters: the cost for new hashes (tests may use `logN: 10`).
    ///   - gate: bounds concurrent hashes; share one gate (or one hasher) per process.
    public init(master: MasterKey, parameters: Parameters = .standard, gate: PasswordHashGate = PasswordHashGate()) {
        precondition(
            (PasswordHasher.minimumLogN...PasswordHasher.maximumLogN).contains(parameters.logN),
            "scrypt cost out of range")
        self.master = master
        self.parameters = parameters
        self.gate = gate
    }

    /// Hashes a new password.
    /// - Returns: the record to store.
    /// - Throws: `PasswordError.tooLong` (before hashing), `CryptoError` on failure.
    public func hash(_ password: String) throws -> String {
        var bytes = try PasswordHasher.normalizedBytes(password)
        defer { SecretKey.cleanse(&bytes) }
        let salt = try SecureRandom.bytes(PasswordHasher.saltLength)
        let pepperVersion = master.currentID
        let stored = try compute(bytes, salt: salt, parameters: parameters, pepperVersion: pepperVersion)
        return "$scrypt1$ln=\(parameters.logN),r=\(parameters.r),p=\(parameters.p),pv=\(pepperVersion)$"
            + Data(salt).base64EncodedString() + "$" + Data(stored).base64EncodedString()
    }

    /// Checks a password against a stored record in constant time.
    /// - Returns: true only if the password matches.
    /// - Throws: `PasswordError.tooLong` (before hashing), `.malformedRecord`,
    ///   `.unknownPepperVersion`, `CryptoError` on failure.
    public func verify(_ password: String, against record: String) throws -> Bool {
        var bytes = try PasswordHasher.normalizedBytes(password)
        defer { SecretKey.cleanse(&bytes) }
        let parsed = try PasswordRecord(record)
        let computed = try compute(
            bytes, salt: parsed.salt, parameters: parsed.parameters, pepperVersion: parsed.pepperVersion)
        return ConstantTime.equals(computed, parsed.hash)
    }

    /// Spends the same work as `verify` for a login name that has no account, so
    /// timing does not reveal which accounts exist.
    /// - Returns: always false.
    /// - Throws: `PasswordError.tooLong` (as `verify` would), `CryptoError` on failure.
    public func verifyUnknownUser(_ password: String) throws -> Bool {
        var bytes = try PasswordHasher.normalizedBytes(password)
        defer { SecretKey.cleanse(&bytes) }
        let salt = [UInt8](repeating: 0, count: PasswordHasher.saltLength)
        let computed = try compute(bytes, salt: salt, parameters: parameters, pepperVersion: master.currentID)
        _ = ConstantTime.equals(computed, [UInt8](repeating: 0, count: PasswordHasher.hashLength))
        return false
    }

    /// Whether a record should be replaced on the next successful login: its cost is
    /// below the current parameters or its pepper is not the current master key's.
    /// Malformed records also need a rehash (they cannot verify anyway).
    public func needsRehash(_ record: String) -> Bool {
        let parsed: PasswordRecord
        do {
            parsed = try PasswordRecord(record)
        } catch {
            return true
        }
        return parsed.parameters.logN < parameters.logN || parsed.parameters.r < parameters.r
            || parsed.parameters.p < parameters.p || parsed.pepperVersion != master.currentID
    }

    /// NFKC-normalises and UTF-8 encodes a password after the length checks.
    /// - Throws: `PasswordError.tooLong`.
    static func normalizedBytes(_ password: String) throws -> [UInt8] {
        // A cheap byte bound first, so a 1 MB field costs nothing; then the
        // character count the policy is stated in.
        guard password.utf8.count <= maximumLength * 32, password.count <= maximumLength else {
            throw PasswordError.tooLong
        }
        return Array(NFKC.normalize(password).utf8)
    }

    private func compute(_ password: [UInt8], salt: [UInt8], parameters: Parameters, pepperVersion: UInt32) throws
        -> [UInt8]
    {
        let pepper: SecretKey
        do {
            pepper = try KeyHierarchy.pepper(from: master, id: pepperVersion)
        } catch CryptoError.unknownKey {
            throw PasswordError.unknownPepperVersion(pepperVersion)
        }
        var inner = try gate.run {
            try password.withUnsafeBytes {
                try Scrypt.derive(
                    password: $0, salt: salt, logN: parameters.logN, r: parameters.r, p: parameters.p,
                    length: PasswordHasher.hashLength)
            }
        }
        defer { SecretKey.cleanse(&inner) }
        return try HMAC.sha256(key: pepper, data: inner)
    }
}
