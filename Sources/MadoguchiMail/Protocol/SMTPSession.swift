// SMTPSession: an RFC 5321 client for sending replies through a relay: EHLO (HELO
// fallback), strict STARTTLS (RFC 3207), AUTH PLAIN/LOGIN (RFC 4954), PIPELINING
// (RFC 2920), SIZE (RFC 1870), 8BITMIME (RFC 6152), enhanced codes (RFC 3463), and
// several messages over one connection. SECURITY: STARTTLS is never skipped and
// what was buffered before the handshake is dropped; credentials go only over TLS
// (or to loopback with tls = none) and never into logs or errors; replies are
// bounded and never trusted; message bytes with a bare CR or LF are refused
// (madoguchi-security(7) C4, C6).

import Foundation
import MadoguchiCore
import MadoguchiCrypto

/// A connected, greeted (and, when configured, secured and authenticated) SMTP session.
public final class SMTPSession {
    /// The EHLO keywords (upper-cased) and their parameters, from the last EHLO.
    public private(set) var extensions: [String: String] = [:]
    /// The relay's greeting.
    public private(set) var greeting = SMTPReply(code: 0, text: "")
    /// The verified TLS layer, or nil for `tls = none`.
    public var tls: TLSConnection? { transport.tlsConnection }
    /// Whether the relay offered PIPELINING (then each message costs two round trips).
    public var pipelining: Bool { extensions["PIPELINING"] != nil }

    private let relay: SMTPRelay
    private let limits: SMTPLimits
    private let transport: SessionTransport
    private let replies: SMTPReplyReader
    /// The password and its base64 forms, cut out of every reply text.
    private let secrets: [String]
    private var broken = false
    private var closed = false

    /// Whether the session can send another message (not closed, not broken by a
    /// network or protocol failure).
    public var isUsable: Bool { !closed && !broken }

    private init(relay: SMTPRelay, limits: SMTPLimits, transport: SessionTransport) {
        self.relay = relay
        self.limits = limits
        self.transport = transport
        replies = SMTPReplyReader(
            reader: transport.reader, maxLineLength: limits.maxLineLength, maxReplyBytes: limits.maxReplyBytes)
        secrets = relay.credentials.map(Self.secrets) ?? []
    }

    /// Connects, reads the greeting, sends EHLO, upgrades with STARTTLS when configured
    /// (then EHLO again) and authenticates when credentials are set.
    /// - Parameters:
    ///   - relay: where to connect and how.
    ///   - limits: timeouts and size bounds.
    ///   - log: the program's logger (never given credentials).
    /// - Returns: a session ready for `send`; end it with `quit()`.
    /// - Throws: `SMTPError`: `.plaintextRefused` or `.invalidRelay` before connecting,
    ///   `.startTLSNotOffered`, `.authenticationNotOffered`, `.authenticationFailed`,
    ///   `.rejected` (greeting, EHLO, STARTTLS), `.tls`, `.network`, `.protocolViolation`.
    public static func open(relay: SMTPRelay, limits: SMTPLimits = .standard, log: Log) throws(SMTPError)
        -> SMTPSession
    {
        if relay.isPlaintextOverNetwork { throw .plaintextRefused(host: relay.host) }
        try check(relay)
        let endpoint = SessionTransport.Endpoint(
            name: "smtp \(relay.host):\(relay.port)", host: relay.host, port: relay.port, tls: relay.tls,
            caFile: relay.caFile, connectTimeout: limits.connectTimeout, readTimeout: limits.readTimeout,
            sessionTimeout: limits.sessionTimeout, maxLineLength: limits.maxLineLength)
        let transport: SessionTransport
        do {
            transport = try SessionTransport(endpoint, log: log)
        } catch {
            throw SMTPError.wrapping(error)
        }
        let session = SMTPSession(relay: relay, limits: limits, transport: transport)
        do {
            try session.start()
        } catch {
            session.broken = true
            session.close()
            throw error
        }
        return session
    }

    private func start() throws(SMTPError) {
        let greeting = try read()
        self.greeting = greeting.reply
        guard greeting.reply.code == 220 else { throw .rejected(command: "greeting", reply: greeting.reply) }
        try hello()
        if relay.tls == .starttls {
            guard extensions["STARTTLS"] != nil else { throw .startTLSNotOffered(host: relay.host) }
            let ready = try command("STARTTLS")
            guard ready.reply.code == 220 else { throw .rejected(command: "STARTTLS", reply: ready.reply) }
            do {
                try transport.startTLS()
            } catch {
                throw SMTPError.wrapping(error)
            }
            // RFC 3207 4.2: forget everything learned before the handshake.
            extensions = [:]
            try hello()
        }
        if let credentials = relay.credentials { try authenticate(credentials) }
    }

    /// EHLO, or HELO when the relay does not know EHLO (500/502) and nothing needs extensions.
    private func hello() throws(SMTPError) {
        let ehlo = try command("EHLO " + relay.heloName)
        if ehlo.reply.isPositive {
            var found: [String: String] = [:]
            for line in ehlo.lines.dropFirst().prefix(200) {
                var text = String(decoding: line, as: UTF8.self)
                if text.uppercased().hasPrefix("AUTH=") { text = "AUTH " + text.dropFirst(5) }
                let words = text.split(separator: " ", maxSplits: 1)
                guard let keyword = words.first else { continue }
                found[keyword.uppercased()] = words.count > 1 ? String(words[1]) : ""
            }
            extensions = found
            return
        }
        let needsExtensions = relay.tls == .starttls || relay.credentials != nil
        guard [500, 502].contains(ehlo.reply.code), !needsExtensions else {
            throw .rejected(command: "EHLO", reply: ehlo.reply)
        }
        let helo = try command("HELO " + relay.heloName)
        guard helo.reply.isPositive else { throw .rejected(command: "HELO", reply: helo.reply) }
        extensions = [:]
    }

    private func authenticate(_ credentials: SMTPCredentials) throws(SMTPError) {
        guard tls != nil || FetchAccount.isLoopback(relay.host) else { throw .plaintextRefused(host: relay.host) }
        let offered = Set((extensions["AUTH"] ?? "").uppercased().split(separator: " ").map(String.init))
        let mechanism: SMTPAuthMechanism
        if let forced = credentials.mechanism, offered.contains(forced.rawValue) {
            mechanism = forced
        } else if credentials.mechanism == nil, offered.contains("PLAIN") {
            mechanism = .plain
        } else if credentials.mechanism == nil, offered.contains("LOGIN") {
            mechanism = .login
        } else {
            throw .authenticationNotOffered(host: relay.host)
        }
        var reply: SMTPReply
        switch mechanism {
        case .plain:
            let token = [0] + Array(credentials.user.utf8) + [0] + Array(credentials.password.utf8)
            reply = try command("AUTH PLAIN " + Self.base64(token), logAs: "AUTH PLAIN [hidden]").reply
        case .login:
            reply = try command("AUTH LOGIN").reply
            if reply.code == 334 {
                reply = try command(Self.base64(Array(credentials.user.utf8)), logAs: "[user]").reply
            }
            if reply.code == 334 {
                reply = try command(Self.base64(Array(credentials.password.utf8)), logAs: "[hidden]").reply
            }
        }
        if reply.code == 334 {
            // A challenge we did not expect: cancel the exchange (RFC 4954 4).
            reply = try command("*").reply
            throw .authenticationFailed(reply)
        }
        guard reply.code == 235 else { throw .authenticationFailed(reply) }
        transport.log.debug("\(transport.endpoint.name): authenticated with \(mechanism.rawValue)")
    }

    /// Sends one message. Under PIPELINING, MAIL FROM, every RCPT TO and (for one
    /// recipient) DATA go out in one write; then the message, dot-stuffed, in large
    /// blocks. `beforeFinalDot` runs after the whole message has been written and
    /// before the terminating `.\r\n`: the last moment at which the relay cannot yet
    /// have accepted it. When it throws, the dot is never sent and the connection is
    /// closed, so the relay discards the message. If any recipient is refused, DATA is
    /// not sent (or the connection is dropped when a pipelined DATA was accepted
    /// anyway), RSET ends the transaction and the session stays usable.
    /// - Parameters:
    ///   - envelopeFrom: the reverse path without `<>`; empty for the null sender.
    ///   - recipients: the envelope recipients without `<>`, 1 to `maxRecipients`.
    ///   - data: the message: CRLF lines only, each at most 998 octets.
    ///   - beforeFinalDot: called once, right before the final `.\r\n` is written.
    /// - Returns: the relay's final 2xx reply and queue id.
    /// - Throws: `SMTPError` (see its cases; `.outcomeUnknown` when the final dot went
    ///   out and no answer came), or what `beforeFinalDot` threw, unchanged.
    public func send(
        envelopeFrom: String, recipients: [String], data: [UInt8], beforeFinalDot: () throws -> Void = {}
    ) throws -> SMTPAccepted {
        guard !closed, !broken else { throw SMTPError.sessionUnusable }
        try Self.checkAddress(envelopeFrom, allowEmpty: true)
        guard (1...limits.maxRecipients).contains(recipients.count) else {
            throw SMTPError.invalidAddress("\(recipients.count) recipients (1 to \(limits.maxRecipients) allowed)")
        }
        for recipient in recipients { try Self.checkAddress(recipient, allowEmpty: false) }
        let message = try SMTPMessageData(data)
        if let size = extensions["SIZE"].flatMap({ Int($0) }), size > 0, message.stuffedCount > size {
            throw SMTPError.messageTooLarge(size: message.stuffedCount, limit: size)
        }
        if message.eightBit && extensions["8BITMIME"] == nil {
            throw SMTPError.invalidMessage("8-bit bytes, but the relay does not offer 8BITMIME")
        }
        var mail = "MAIL FROM:<\(envelopeFrom)>"
        if extensions["SIZE"] != nil { mail += " SIZE=\(message.stuffedCount)" }
        if message.eightBit { mail += " BODY=8BITMIME" }
        try transaction(mail: mail, recipients: recipients)
        try write(message)
        do {
            try beforeFinalDot()
        } catch {
            broken = true
            close()
            throw error
        }
        let final: SMTPReply
        do {
            try transport.send([0x2E, 0x0D, 0x0A])
            final = try read().reply
        } catch {
            broken = true
            close()
            throw SMTPError.outcomeUnknown(SMTPError.wrapping(error).description)
        }
        guard final.isPositive else { throw SMTPError.rejected(command: "end of data", reply: final) }
        return SMTPAccepted(reply: final)
    }

    /// MAIL, RCPT and DATA up to the relay's 354.
    private func transaction(mail: String, recipients: [String]) throws(SMTPError) {
        let pipelined = pipelining
        let dataInGroup = pipelined && recipients.count == 1
        var group = [mail]
        if pipelined { group += recipients.map { "RCPT TO:<\($0)>" } }
        if dataInGroup { group.append("DATA") }
        try sendLines(group)
        let mailReply = try read().reply
        var refusals: [SMTPRecipientRefusal] = []
        if pipelined || mailReply.isPositive {
            for recipient in recipients {
                if !pipelined { try sendLines(["RCPT TO:<\(recipient)>"]) }
                let reply = try read().reply
                if !reply.isPositive { refusals.append(SMTPRecipientRefusal(recipient: recipient, reply: reply)) }
            }
        }
        var dataReply: SMTPReply?
        if dataInGroup { dataReply = try read().reply }
        let failure: SMTPError? =
            if !mailReply.isPositive {
                .rejected(command: "MAIL", reply: mailReply)
            } else if !refusals.isEmpty {
                .recipientsRefused(refusals)
            } else {
                nil
            }
        if let failure {
            if dataReply?.code == 354 {
                // DATA was accepted although the transaction failed: only dropping the
                // connection ends it without sending anything (RFC 2920 3.1).
                broken = true
                close()
            } else {
                resetAfterRefusal()
            }
            throw failure
        }
        if dataReply == nil { dataReply = try command("DATA").reply }
        guard let dataReply, dataReply.code == 354 else {
            resetAfterRefusal()
            throw .rejected(command: "DATA", reply: dataReply ?? SMTPReply(code: 0, text: ""))
        }
    }

    /// RSET after a refused transaction; when that fails too the session is left
    /// unusable (`reset` marks it) and the refusal, not the RSET failure, is reported.
    private func resetAfterRefusal() {
        do {
            try reset()
        } catch {
            transport.log.debug("\(transport.endpoint.name): RSET after a refusal failed: \(error)")
        }
    }

    /// Writes the dot-stuffed message in blocks, without the final dot.
    private func write(_ message: SMTPMessageData) throws(SMTPError) {
        do {
            try message.write { block in try transport.send(block) }
        } catch {
            broken = true
            close()
            throw SMTPError.wrapping(error)
        }
    }

    /// RSET: ends a transaction the relay or we refused; the session can send again.
    /// - Throws: `SMTPError.rejected` when the relay refuses it (the session is then unusable).
    public func reset() throws(SMTPError) {
        guard !closed, !broken else { throw .sessionUnusable }
        let reply = try command("RSET").reply
        guard reply.isPositive else {
            broken = true
            throw .rejected(command: "RSET", reply: reply)
        }
    }

    /// Sends QUIT (when the session is still in step), reads the answer and closes the
    /// connection. Never fails: every message already has its own answer. Idempotent.
    public func quit() {
        guard !closed else { return }
        if !broken {
            do {
                _ = try command("QUIT")
            } catch {
                transport.log.debug("\(transport.endpoint.name): QUIT: \(error)")
            }
        }
        close()
    }

    private func close() {
        guard !closed else { return }
        closed = true
        transport.close()
    }

    deinit {
        transport.close()
    }

    // MARK: - Protocol helpers

    /// Writes commands (CRLF each) in one write.
    private func sendLines(_ lines: [String]) throws(SMTPError) {
        var bytes: [UInt8] = []
        for line in lines { bytes += Array(line.utf8) + [0x0D, 0x0A] }
        do {
            try transport.send(bytes)
        } catch {
            broken = true
            throw SMTPError.wrapping(error)
        }
    }

    /// Sends one command and reads its reply.
    private func command(_ line: String, logAs: String? = nil) throws(SMTPError) -> (reply: SMTPReply, lines: [[UInt8]])
    {
        transport.log.debug("\(transport.endpoint.name): C: \(logAs ?? line)")
        try sendLines([line])
        return try read()
    }

    /// Reads one reply; a failure leaves the session out of step.
    private func read() throws(SMTPError) -> (reply: SMTPReply, lines: [[UInt8]]) {
        do {
            let raw = try replies.read()
            return (SMTPReply(code: raw.code, lines: raw.lines, hiding: secrets), raw.lines)
        } catch {
            broken = true
            throw error
        }
    }

    /// Refuses relay settings that cannot be sent safely.
    private static func check(_ relay: SMTPRelay) throws(SMTPError) {
        let name = Array(relay.heloName.utf8)
        guard (1...255).contains(name.count), name.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .invalidRelay("EHLO name must be 1 to 255 printable ASCII characters")
        }
        if let credentials = relay.credentials {
            for text in [credentials.user, credentials.password] where text.utf8.contains(where: { $0 == 0 }) {
                throw .invalidRelay("the SMTP user name or password contains NUL")
            }
            if credentials.user.isEmpty { throw .invalidRelay("the SMTP user name is empty") }
        }
    }

    /// An envelope address: printable ASCII without spaces or `<>`, at most 254
    /// octets, a recipient with an `@` (RFC 5321 4.1.2; no source routes, no SMTPUTF8).
    private static func checkAddress(_ address: String, allowEmpty: Bool) throws(SMTPError) {
        let bytes = Array(address.utf8)
        if bytes.isEmpty && allowEmpty { return }
        guard !bytes.isEmpty, bytes.count <= 254,
            bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") }),
            bytes.first != UInt8(ascii: "@"), bytes.dropFirst().contains(UInt8(ascii: "@"))
        else {
            throw .invalidAddress(address)
        }
    }

    private static func base64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    /// The password, and the base64 forms a hostile relay could echo back.
    private static func secrets(_ credentials: SMTPCredentials) -> [String] {
        let plain = [0] + Array(credentials.user.utf8) + [0] + Array(credentials.password.utf8)
        return [credentials.password, base64(plain), base64(Array(credentials.password.utf8))]
    }
}
