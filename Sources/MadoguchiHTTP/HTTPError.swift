// HTTPError: why a request was refused by the parser: the status to answer with,
// whether the connection must close afterwards, and a reason for the log (never sent
// to the client, which gets only the status line).

import MadoguchiCore

/// A request the parser refused.
public struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The status to answer with (400, 405, 413, 414, 431, 505).
    public let status: HTTPStatus
    /// True when the connection must close after the answer (framing is lost or the
    /// client is hostile). Every parser error closes today.
    public let close: Bool
    /// A short reason for the log.
    public let reason: String

    /// A refusal.
    /// - Parameters:
    ///   - status: the status to answer with.
    ///   - reason: a short reason for the log.
    ///   - close: whether to close the connection after answering.
    public init(_ status: HTTPStatus, _ reason: String, close: Bool = true) {
        self.status = status
        self.reason = reason
        self.close = close
    }

    public var description: String { "\(status.code): \(Log.escape(reason))" }

    static func bad(_ reason: String) -> HTTPError { HTTPError(.badRequest, reason) }
}
