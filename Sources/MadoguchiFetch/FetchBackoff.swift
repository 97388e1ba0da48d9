// FetchBackoff: back-off after a refused login (madoguchi-security(7) B8). A mailbox whose
// login was refused is retried after 1, 2, 4 … minutes (at most an hour) instead of
// every run, so a wrong password does not get the account locked by the provider.
// Changing the account (`madoguchi mailbox remove` + `add`) retries at once.
// SECURITY: only a truncated hash of the credentials is stored, never the password.

import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiMail

/// The refused-login record of one mailbox (`<mailbox>.backoff` in the state directory).
public struct FetchBackoff: Sendable, Equatable {
    /// Refused logins in a row.
    public var failures: Int
    /// Unix seconds of the last refused attempt.
    public var lastAttempt: Int64
    /// Which credentials were refused (see `fingerprint(of:)`).
    public var fingerprint: String

    /// Creates a record.
    public init(failures: Int, lastAttempt: Int64, fingerprint: String) {
        self.failures = failures
        self.lastAttempt = lastAttempt
        self.fingerprint = fingerprint
    }

    /// Seconds to wait after the last refusal: 60 doubling per refusal, at most 3600.
    public var delay: Int64 { min(3600, Int64(60) << Int64(min(max(failures, 1) - 1, 6))) }

    /// When the next attempt may be made.
    public var retryAt: Int64 { lastAttempt + delay }

    /// A short hash of where and as whom the account logs in, with its password.
    public static func fingerprint(of account: FetchAccount) -> String {
        let text = [account.host, "\(account.port)", account.user, account.password].joined(separator: "\u{0}")
        return String(Hex.encode(SHA256Hasher.hash(Array(text.utf8))).prefix(16))
    }

    static func path(directory: String, mailbox: String) -> String {
        directory + "/" + mailbox + ".backoff"
    }

    /// Loads the record; nil when the mailbox has none.
    /// - Throws: `SystemError`, `MailboxConfigError.damagedState`.
    public static func load(directory: String, mailbox: String) throws -> FetchBackoff? {
        let file = path(directory: directory, mailbox: mailbox)
        let bytes: [UInt8]
        do {
            bytes = try DurableFile.read(file, limit: 4096)
        } catch let error as SystemError where error.code == ENOENT {
            return nil
        }
        let fields = String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == "\t" || $0 == "\n" })
        guard fields.count == 3, let failures = Int(fields[0]), let last = Int64(fields[1]) else {
            throw MailboxConfigError.damagedState(path: file)
        }
        return FetchBackoff(failures: failures, lastAttempt: last, fingerprint: String(fields[2]))
    }

    /// Writes the record durably.
    /// - Throws: `SystemError`.
    public func save(directory: String, mailbox: String) throws {
        try DurableFile.write(
            Array("\(failures)\t\(lastAttempt)\t\(fingerprint)\n".utf8),
            to: FetchBackoff.path(directory: directory, mailbox: mailbox), replace: true)
    }

    /// Removes the record after a successful login.
    /// - Throws: `SystemError`.
    public static func clear(directory: String, mailbox: String) throws {
        let file = path(directory: directory, mailbox: mailbox)
        guard unlink(file) == 0 || errno == ENOENT else { throw SystemError.current("unlink \(file)") }
    }
}
