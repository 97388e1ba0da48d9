// ConfigSchema+Password: the password_* parameters: the cost of new password hashes.
// Key material is never configured here: keys live in files under key_directory.

extension ConfigKey<Int64> {
    /// `password_hash_cost`: log2 of the scrypt cost N.
    public static let passwordHashCost = integer(
        "password_hash_cost", default: "17",
        "log2 of the scrypt cost N for new password hashes (10 to 20; r=8, p=1); "
            + "stored hashes with a lower cost are rehashed at the next successful login.")
}
