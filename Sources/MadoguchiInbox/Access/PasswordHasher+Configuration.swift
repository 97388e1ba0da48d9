// PasswordHasher+Configuration: the operator-password hasher of an instance — the
// master key from key_directory (the pepper) and the cost `password_hash_cost` sets.
// SECURITY: share one gate (PasswordHashGate) per process so logins stay bounded.

import MadoguchiCore
import MadoguchiCrypto

extension PasswordHasher {
    /// The hasher `password_hash_cost` and the instance's master key describe.
    /// - Parameters:
    ///   - configuration: the instance configuration.
    ///   - gate: the process's gate.
    /// - Throws: `KeyFileError`/`CryptoError` (missing or unreadable master key),
    ///   `ConfigError.invalidValue` when the cost is outside 10…20.
    public init(configuration: Configuration, gate: PasswordHashGate = PasswordHashGate()) throws {
        let cost = configuration[.passwordHashCost]
        guard let parameters = Parameters(cost: cost) else {
            throw ConfigError.invalidValue(
                path: configuration.path ?? "(defaults)", line: 0, name: "password_hash_cost",
                reason: "\(cost) is outside 10 to 20")
        }
        let master = try MasterKey.load(path: configuration[.keyDirectory] + "/" + MasterKey.fileName)
        self.init(master: master, parameters: parameters, gate: gate)
    }
}
