// FetchAccount+Fixture: accounts for tests against in-process fake servers
// (plaintext loopback, a fixed test password).

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
