// PasswordRecord: a parsed `$scrypt1$ln=17,r=8,p=1,pv=<id>$<b64 salt>$<b64 hash>` password
// record, with its parameters checked against the bounds PasswordHasher accepts.

import Foundation

/// A parsed `$scrypt1$…` record.
struct PasswordRecord {
    let parameters: PasswordHasher.Parameters
    let pepperVersion: UInt32
    let salt: [UInt8]
    let hash: [UInt8]

    /// Parses a record.
    /// - Throws: `PasswordError.malformedRecord`.
    init(_ record: String) throws {
        let parts = record.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0].isEmpty, parts[1] == "scrypt1" else { throw PasswordError.malformedRecord }
        var values: [Substring: Substring] = [:]
        for pair in parts[2].split(separator: ",") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, values[kv[0]] == nil else { throw PasswordError.malformedRecord }
            values[kv[0]] = kv[1]
        }
        guard values.count == 4, let ln = values["ln"].flatMap({ Int($0) }),
            let r = values["r"].flatMap({ UInt32($0) }), let p = values["p"].flatMap({ UInt32($0) }),
            let pv = values["pv"].flatMap({ UInt32($0) }),
            (PasswordHasher.minimumLogN...PasswordHasher.maximumLogN).contains(ln), (1...32).contains(r),
            (1...16).contains(p),
            let salt = Data(base64Encoded: String(parts[3])), salt.count == PasswordHasher.saltLength,
            let hash = Data(base64Encoded: String(parts[4])), hash.count == PasswordHasher.hashLength
        else { throw PasswordError.malformedRecord }
        parameters = PasswordHasher.Parameters(logN: ln, r: r, p: p)
        pepperVersion = pv
        self.salt = [UInt8](salt)
        self.hash = [UInt8](hash)
    }
}
