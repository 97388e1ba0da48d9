// AccessError: why a user could not be added or changed, or a login was refused.
// SECURITY: messages never contain a password; every login refusal has the one text of
// `loginRefused`, whatever the reason (madoguchi-security(7) E4).

import MadoguchiCore

/// A user-management or login failure.
public enum AccessError: MadoguchiError, Equatable {
    /// The login name is not 1 to 64 characters of the safe set.
    case invalidLogin
    /// The display name is empty, too long or holds control characters.
    case invalidDisplayName
    /// No role has this name.
    case unknownRole(String)
    /// A user with this login name exists.
    case duplicateLogin(String)
    /// No user has this login name.
    case unknownUser(String)
    /// The password has fewer characters (after NFKC) than the policy's minimum.
    case passwordTooShort(minimum: Int)
    /// The password has more than `PasswordPolicy.maximumLength` characters (refused
    /// before any hashing work).
    case passwordTooLong
    /// The password equals the login name.
    case passwordIsLogin
    /// The password is on the built-in list of common passwords.
    case passwordTooCommon
    /// A login was refused: unknown name, wrong password, locked or disabled account —
    /// one answer for all of them.
    case loginRefused

    public var description: String {
        switch self {
        case .invalidLogin: "a login name is 1 to 64 characters: a-z, 0-9, '.', '_' and '-', starting with a-z or 0-9"
        case .invalidDisplayName: "a display name is 1 to 100 characters without control characters"
        case .unknownRole(let name):
            "unknown role \(Log.escape(name)); the roles are "
                + Role.builtIn.map(\.name).joined(separator: " and ")
        case .duplicateLogin(let login): "a user with login \(Log.escape(login)) already exists"
        case .unknownUser(let login): "no user has login \(Log.escape(login))"
        case .passwordTooShort(let minimum): "the password must have at least \(minimum) characters"
        case .passwordTooLong: "the password must have at most \(PasswordPolicy.maximumLength) characters"
        case .passwordIsLogin: "the password must not be the login name"
        case .passwordTooCommon: "the password is too common; choose a longer, less predictable one"
        case .loginRefused: "login refused: wrong login name or password, or the account is locked"
        }
    }

    public var exitCode: SysExit {
        switch self {
        case .invalidLogin, .invalidDisplayName, .unknownRole: .usage
        case .duplicateLogin, .unknownUser, .passwordTooShort, .passwordTooLong, .passwordIsLogin,
            .passwordTooCommon:
            .dataError
        case .loginRefused: .noPermission
        }
    }
}
