// FetchLimits+Fixture: short limits for tests against in-process fake servers.

import MadoguchiMail

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
