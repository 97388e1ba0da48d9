// SendReplies+Relay: the relay of madoguchi.conf (`smtp_relay`, `smtp_tls`,
// `smtp_credentials_file`, `smtp_ca_file`, `smtp_helo_name`) as an SMTPRelay.
// SECURITY: the credentials file is read under the key-file rules (no symbolic link,
// owner root or the running user, no access for others — madoguchi-security(7) KEYS);
// its password never reaches a log, an error or `job_runs`.

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiMail

extension SendReplies {
    /// The configured relay.
    /// - Parameter waiting: how many replies are due (for the message when none is set).
    /// - Throws: `SendRepliesError`, `KeyFileError` and `SystemError` for the credentials file.
    static func relay(_ configuration: Configuration, waiting: Int = 0) throws -> SMTPRelay {
        let value = configuration[.smtpRelay].trimmingBlanks()
        guard !value.isEmpty else { throw SendRepliesError.relayNotSet(waiting: waiting) }
        let tls = TLSMode(rawValue: configuration[.smtpTLS]) ?? .implicit
        let (host, port) = try hostAndPort(value)
        var credentials: SMTPCredentials?
        let path = configuration[.smtpCredentialsFile]
        if !path.isEmpty {
            var bytes = try KeyFile.readProtected(path: path)
            defer { SecretKey.cleanse(&bytes) }
            let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
            guard lines.count >= 2, !lines[0].isEmpty, !lines[1].isEmpty,
                lines.dropFirst(2).allSatisfy({ $0.isEmpty })
            else { throw SendRepliesError.badCredentials(path: path) }
            credentials = SMTPCredentials(user: lines[0], password: lines[1])
        }
        let ca = configuration[.smtpCAFile]
        return SMTPRelay(
            host: host, port: port, tls: tls, heloName: heloName(configuration), credentials: credentials,
            caFile: ca.isEmpty ? nil : ca)
    }

    /// `host:port`, `[v6]:port` (SocketConnection's form), or a bare host name or
    /// IPv4 address (the port of the TLS mode).
    static func hostAndPort(_ value: String) throws -> (String, UInt16?) {
        if value.hasPrefix("["), value.hasSuffix("]"), value.count > 2 {
            return (String(value.dropFirst().dropLast()), nil)
        }
        if value.contains(":") {
            guard let (host, port) = SocketConnection.splitHostPort(value) else {
                throw SendRepliesError.badRelay(value)
            }
            return (host, port)
        }
        guard value.utf8.allSatisfy({ $0 < 0x80 && ($0 == 0x2E || $0 == 0x2D || isalnum(Int32($0)) != 0) }) else {
            throw SendRepliesError.badRelay(value)
        }
        return (value, nil)
    }

    /// `smtp_helo_name`, or this machine's host name.
    static func heloName(_ configuration: Configuration) -> String {
        let configured = configuration[.smtpHeloName]
        if !configured.isEmpty { return configured }
        let host = HostName.current()
        return host.isEmpty ? "localhost" : host
    }
}
