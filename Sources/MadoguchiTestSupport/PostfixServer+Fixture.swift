// PostfixServer+Fixture (PostfixRelay): a PostfixServer with the DovecotServer it delivers
// into and the test CA it presents, kept alive together, and the delivered messages
// sorted by their Message-ID — for the send-replies tests.

import Foundation

/// Postfix, its Dovecot mailbox and the test certificates.
public struct PostfixRelay {
    /// The test CA (`caFile`) and Postfix's certificate.
    public let certificates: TestCertificates
    /// The mailbox Postfix delivers `postfix.mailbox` into.
    public let dovecot: DovecotServer
    /// The relay.
    public let postfix: PostfixServer

    /// Starts Dovecot, then Postfix on it.
    /// - Throws: `TestToolError` (not root, not installed, not up in time).
    public init() throws {
        let certificates = try TestCertificates()
        let dovecot = try DovecotServer(certificates: certificates)
        self.postfix = try PostfixServer(dovecot: dovecot, certificates: certificates)
        self.certificates = certificates
        self.dovecot = dovecot
    }

    /// The delivered messages by the Message-ID above their body ("-" for none).
    /// - Throws: when the Maildir cannot be read.
    public func delivered() throws -> [String: [[UInt8]]] {
        var byID: [String: [[UInt8]]] = [:]
        for message in try postfix.deliveredMessages() {
            byID[Self.messageID(message) ?? "-", default: []].append(message)
        }
        return byID
    }

    /// The Message-ID field of a message's header, trimmed.
    public static func messageID(_ message: [UInt8]) -> String? {
        let head = String(decoding: message.prefix(64 * 1024), as: UTF8.self)
        for line in head.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty || line == "\r" { return nil }
            if line.lowercased().hasPrefix("message-id:") {
                return line.dropFirst("message-id:".count).trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        return nil
    }
}
