// ConfigSchema+Crypto: parameters of the cryptography area (password hashing cost).
// Key material is never configured here: keys live in files under key_directory.

extension ConfigSchema {
    /// Cryptography parameters.
    public static let crypto: [ConfigParameter] = [
        ConfigParameter(
            "password_hash_cost", .integer, default: "17",
            "log2 of the scrypt cost N for new password hashes (10 to 20; r=8, p=1); "
                + "stored hashes with a lower cost are rehashed at the next successful login.")
    ]
}
