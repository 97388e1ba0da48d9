// FetchAccount+Fixture: accounts and short limits for tests against in-process
// fake servers (plaintext loopback, a fixed test password).

import MadoguchiMail

extension FetchAccount {
    /// The password every fake account uses; tests assert it never leaks.
    public static let fakePassword = "hunter2-Secret"

    /// An account for a fake server on 127.0.0.1.
    public static func fake(
        _ mailProtocol: MailProtocol, port: UInt16, tls: TLSMode = .none, password: String = fakePassword
    ) -> FetchAccount {
        FetchAccount(
            name: "fake", mailProtocol: mailProtocol, host: "127.0.0.1", port: port, tls: tls, user: "user",
            password: password)
    }
}

extension FetchLimits {
    /// Short limits for tests: 1 KiB lines, 10 messages.
    /// - Parameters:
    ///   - maxSize: largest message in bytes.
    ///   - session: whole-session deadline in seconds.
    ///   - read: per-read timeout in seconds.
    public static func testing(maxSize: Int = 1024 * 1024, session: Double = 20, read: Double = 10) -> FetchLimits {
        FetchLimits(
            connectTimeout: 5, readTimeout: read, sessionTimeout: session, maxLineLength: 1024, maxMessages: 10,
            maxMessageSize: maxSize)
    }
}
