// PasswordPolicy: what a new operator password must be (madoguchi-security(7) PASSWORDS,
// E6): 12 to 128 characters after NFKC, any Unicode, no composition rules, not the login
// name, not on a small built-in list of common passwords. Nothing is truncated.
// SECURITY: the length bound is checked before NFKC and before any hashing work.

import MadoguchiCrypto

/// The rules for new passwords.
public struct PasswordPolicy: Sendable, Equatable {
    /// The most characters accepted (the hasher's bound, ASVS 2.1.2).
    public static let maximumLength = PasswordHasher.maximumLength
    /// The most UTF-8 bytes looked at: a longer field is refused without counting it.
    public static let maximumBytes = PasswordHasher.maximumLength * 32

    /// The fewest characters (after NFKC) accepted; 12 by default.
    public var minimumLength: Int

    /// Creates a policy.
    /// - Parameter minimumLength: the fewest characters, clamped to 8…64.
    public init(minimumLength: Int = 12) {
        self.minimumLength = min(64, max(8, minimumLength))
    }

    /// Checks a new password for `login`.
    /// - Throws: `AccessError.passwordTooLong` (before normalising), `.passwordTooShort`,
    ///   `.passwordIsLogin`, `.passwordTooCommon`.
    public func check(_ password: String, login: String) throws {
        guard !PasswordPolicy.isTooLong(password) else { throw AccessError.passwordTooLong }
        let normalized = NFKC.normalize(password)
        guard normalized.count >= minimumLength else { throw AccessError.passwordTooShort(minimum: minimumLength) }
        guard normalized.count <= PasswordPolicy.maximumLength else { throw AccessError.passwordTooLong }
        let folded = normalized.lowercased()
        guard folded != NFKC.normalize(login).lowercased() else { throw AccessError.passwordIsLogin }
        guard !PasswordPolicy.isCommon(folded) else { throw AccessError.passwordTooCommon }
    }

    /// Whether `password` is over the length bound: a cheap byte count first, so a
    /// megabyte-sized field costs nothing, then the character count.
    public static func isTooLong(_ password: String) -> Bool {
        password.utf8.count > maximumBytes || password.count > maximumLength
    }

    /// Whether a lower-cased NFKC password is common: on the list, one character
    /// repeated, or a run of consecutive digits or letters.
    static func isCommon(_ folded: String) -> Bool {
        if common.contains(folded) { return true }
        let scalars = Array(folded.unicodeScalars)
        if Set(scalars).count == 1 { return true }
        let steps = zip(scalars, scalars.dropFirst()).map { Int($1.value) - Int($0.value) }
        return scalars.allSatisfy { $0.properties.isASCIIHexDigit || $0.properties.isAlphabetic }
            && (steps.allSatisfy { $0 == 1 } || steps.allSatisfy { $0 == -1 })
    }

    /// Common passwords of twelve or more characters (shorter ones fail the length rule),
    /// from the head of published breach lists, plus Japanese keyboard habits.
    static let common: Set<String> = [
        "123456789012", "1234567890123", "12345678901234", "123123123123", "111111111111", "000000000000",
        "123412341234", "121212121212", "112233445566", "987654321098", "147258369147", "123456123456",
        "password1234", "password12345", "password123456", "passwordpassword", "password!234", "p@ssw0rd1234",
        "p@ssword1234", "qwertyuiop12", "qwertyuiop123", "qwertyuiopasdf", "qwerty123456", "qwertyqwerty",
        "1q2w3e4r5t6y", "1qaz2wsx3edc", "zaq12wsxcde3", "asdfghjkl123", "asdfasdfasdf", "zxcvbnm12345",
        "iloveyou1234", "welcome12345", "welcome123456", "letmein12345", "administrator", "administrator1",
        "changeme1234", "abcdefg12345", "abc123abc123", "monkey123456", "dragon123456", "sunshine1234",
        "football1234", "baseball1234", "princess1234", "superman1234", "trustno11234", "masterkey123",
        "madoguchi123", "madoguchi1234", "madoguchipassword", "passw0rdpassw0rd", "aaaaaa111111",
        "pasuwa-do1234", "pasuwado1234", "nihon1234567", "tokyo1234567", "sakura123456", "yamada123456",
        "test12345678", "testtesttest", "guest1234567", "support12345", "info12345678", "loginlogin12",
    ]
}
