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

    /// `host:port`, `[v6]:port`, or a bare host (the port of the TLS mode).
    static func hostAndPort(_ value: String) throws -> (String, UInt16?) {
        if value.hasPrefix("[") {
            guard let close = value.firstIndex(of: "]") else { throw SendRepliesError.badRelay(value) }
            let host = String(value[value.index(after: value.startIndex)..<close])
            let rest = value[value.index(after: close)...]
            if rest.isEmpty { return (host, nil) }
            guard rest.hasPrefix(":"), let port = UInt16(rest.dropFirst()), port > 0 else {
                throw SendRepliesError.badRelay(value)
            }
            return (host, port)
        }
        let pieces = value.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(pieces.count), !pieces[0].isEmpty,
            pieces[0].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }),
            pieces[0].utf8.allSatisfy({ $0 < 0x80 })
        else { throw SendRepliesError.badRelay(value) }
        guard pieces.count == 2 else { return (String(pieces[0]), nil) }
        guard let port = UInt16(pieces[1]), port > 0 else { throw SendRepliesError.badRelay(value) }
        return (String(pieces[0]), port)
    }

    /// `smtp_helo_name`, or this machine's host name.
    static func heloName(_ configuration: Configuration) -> String {
        let configured = configuration[.smtpHeloName]
        if !configured.isEmpty { return configured }
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, name.count - 1)
        let host = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return host.isEmpty ? "localhost" : host
    }
}
