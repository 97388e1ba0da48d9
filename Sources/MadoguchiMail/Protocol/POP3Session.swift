// POP3Session: an RFC 1939 client (CAPA, STLS, UTF8, USER/PASS, UIDL, LIST, RETR,
// DELE, QUIT) behind MailboxSession, with RFC 2449 PIPELINING and response codes.
// SECURITY: the multi-line terminator is only CRLF.CRLF at a line start, dot-stuffing
// is undone, sizes are capped and checked against LIST (a mismatch holds the
// message), pipelining keeps a bounded window, and the password is never logged (B5, B8).

import MadoguchiCore
import MadoguchiCrypto

/// A logged-in POP3 session.
public final class POP3Session: MailboxSession {
    /// Always "" (POP3 has no UIDVALIDITY; UIDL values are stable by themselves).
    public let validity = ""
    /// The capabilities from the last CAPA (upper-cased first words), empty when CAPA is unsupported.
    public private(set) var capabilities: [String] = []

    private let transport: SessionTransport
    private let account: FetchAccount
    private let limits: FetchLimits
    /// The verified TLS layer, or nil for `tls = none`.
    public var tls: TLSConnection? { transport.tlsConnection }
    /// Whether the server took the RFC 6856 UTF8 command (it then sends messages with
    /// raw UTF-8 header fields as they are).
    public private(set) var utf8 = false
    private var numbers: [String: Int] = [:]
    private var broken = false
    private var closed = false

    /// Most RETR commands sent ahead of their responses under PIPELINING (RFC 2449 6.6).
    /// Each answer is a whole message, read as it comes, so the server never waits on us
    /// to read while we wait on it to read: the bound only caps what is requested at once.
    public static let retrWindow = 16
    /// Most DELE commands sent ahead of their (one-line) responses under PIPELINING.
    public static let deleWindow = 64

    /// Whether the server offered PIPELINING in CAPA.
    public var pipelining: Bool { capabilities.contains("PIPELINING") }

    private init(account: FetchAccount, limits: FetchLimits, transport: SessionTransport) {
        self.account = account
        self.limits = limits
        self.transport = transport
    }

    /// Connects, upgrades with STLS when configured, and logs in.
    /// - Throws: `FetchError` (authentication, STLS not offered), `TLSError`, `NetworkError`.
    public static func open(_ account: FetchAccount, limits: FetchLimits, log: Log) throws -> POP3Session {
        let transport = try SessionTransport(account: account, limits: limits, log: log)
        let session = POP3Session(account: account, limits: limits, transport: transport)
        do {
            try session.start()
        } catch {
            session.transport.close()
            throw error
        }
        return session
    }

    private func start() throws {
        let greeting = try readStatus()
        guard greeting.ok else {
            throw FetchError.serverClosed(serverText: FetchError.serverText(greeting.text))
        }
        if account.tls == .starttls {
            capabilities = try capa()
            guard capabilities.contains("STLS") else { throw FetchError.startTLSNotOffered(account: account.name) }
            try command("STLS", what: "STLS")
            try transport.startTLS()
        }
        capabilities = try capa()
        if capabilities.contains("UTF8") { try enableUTF8() }
        try login()
    }

    /// RFC 6856 section 2: the UTF8 command, in the AUTHORIZATION state. Without it a
    /// server such as Courier wraps a message with raw UTF-8 header fields in a notice
    /// that is larger than LIST said, so the message would be held forever. A refusal
    /// is not an error.
    private func enableUTF8() throws {
        try transport.sendLine("UTF8")
        let reply = try readStatus()
        utf8 = reply.ok
        if !reply.ok {
            transport.log.debug("\(account.name): UTF8 refused: \(FetchError.serverText(reply.text))")
        }
    }

    private func login() throws {
        for text in [account.user, account.password] where text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            throw FetchError.authenticationFailed(
                account: account.name, serverText: "user name or password contains a control character")
        }
        try transport.sendLine("USER " + account.user)
        let user = try readStatus()
        guard user.ok else { throw authFailure(user.text) }
        try transport.sendLine("PASS " + account.password)
        let pass = try readStatus()
        guard pass.ok else { throw authFailure(pass.text) }
        transport.log.debug("\(account.name): logged in")
    }

    /// What a refused USER or PASS means: `[LOGIN-DELAY]`, `[IN-USE]` and `[SYS/TEMP]`
    /// are "try later" (75), `[SYS/PERM]` a server problem (69), anything else a
    /// refused login (77, backed off); see `FetchError.loginRefusal`.
    private func authFailure(_ text: ArraySlice<UInt8>) -> FetchError {
        FetchError.loginRefusal(
            account: account.name, code: FetchError.responseCode(text),
            serverText: FetchError.serverText(text, hiding: [account.password]))
    }

    /// CAPA; an `-ERR` (CAPA unsupported) gives an empty list.
    private func capa() throws -> [String] {
        try transport.sendLine("CAPA")
        guard try readStatus().ok else { return [] }
        var words: [String] = []
        try readMultiLine { line in
            let text = String(decoding: line, as: UTF8.self)
            if words.count < 1000, let word = text.split(separator: " ").first { words.append(word.uppercased()) }
        }
        return words
    }

    public func list() throws -> [RemoteMessage] {
        try checkUsable()
        var uids: [(Int, String)] = []
        var seen = Set<String>()
        try command("UIDL", what: "UIDL")
        try readMultiLine { line in
            let fields = line.split(separator: 0x20, omittingEmptySubsequences: true)
            guard fields.count == 2, let number = Self.number(fields[0]), Self.isValidUID(fields[1]) else {
                throw FetchError.protocolViolation("bad UIDL line: " + FetchError.serverText(line))
            }
            let uid = String(decoding: fields[1], as: UTF8.self)
            guard seen.insert(uid).inserted else { throw FetchError.protocolViolation("duplicate UIDL \(uid)") }
            guard uids.count < FetchLimits.maxListEntries else { throw FetchError.protocolViolation("UIDL too long") }
            uids.append((number, uid))
        }
        var sizes: [Int: Int] = [:]
        try command("LIST", what: "LIST")
        try readMultiLine { line in
            let fields = line.split(separator: 0x20, omittingEmptySubsequences: true)
            guard fields.count >= 2, let number = Self.number(fields[0]), let size = Self.number(fields[1]) else {
                throw FetchError.protocolViolation("bad LIST line: " + FetchError.serverText(line))
            }
            guard sizes.count < FetchLimits.maxListEntries else { throw FetchError.protocolViolation("LIST too long") }
            sizes[number] = size
        }
        numbers = [:]
        var result: [RemoteMessage] = []
        for (number, uid) in uids {
            guard let size = sizes[number] else {
                throw FetchError.protocolViolation("message \(number) in UIDL but not in LIST")
            }
            numbers[uid] = number
            result.append(RemoteMessage(uid: uid, size: size))
        }
        return result
    }

    public func fetch(_ message: RemoteMessage, into sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        try checkUsable()
        let number = try retrievable(message)
        try command("RETR \(number)", what: "RETR")
        broken = true  // until the terminator is read
        let total = try readMessage(message, into: sink)
        broken = false
        try checkSize(message, total)
        return total
    }

    /// Under PIPELINING, up to `retrWindow` RETR commands are outstanding; the next one
    /// is sent as soon as a message has been read, before `each` handles it, so the
    /// server sends while the caller writes to disk.
    public func fetchAll(
        _ messages: [RemoteMessage], _ each: (RemoteMessage, Result<[UInt8], FetchError>) throws -> Void
    ) throws {
        try checkUsable()
        let numbers = try messages.map(retrievable)
        let window = pipelining ? Self.retrWindow : 1
        var sent = 0
        var read = 0
        func topUp() throws {
            var batch: [UInt8] = []
            while sent < numbers.count && sent - read < window {
                batch += Array("RETR \(numbers[sent])\r\n".utf8)
                sent += 1
            }
            if !batch.isEmpty { try transport.send(batch) }
        }
        broken = true  // until every answer is read
        try topUp()
        for message in messages {
            let reply = try readStatus()
            guard reply.ok else {
                throw FetchError.commandFailed(
                    command: "RETR", serverText: FetchError.serverText(reply.text, hiding: [account.password]))
            }
            var raw: [UInt8] = []
            raw.reserveCapacity(message.size + 2)
            let total = try readMessage(message) { raw.append(contentsOf: $0) }
            read += 1
            if sent - read <= window / 2 { try topUp() }
            let outcome: Result<[UInt8], FetchError>
            do {
                try checkSize(message, total)
                outcome = .success(raw)
            } catch let error as FetchError {
                outcome = .failure(error)
            }
            if read == messages.count { broken = false }
            try each(message, outcome)
        }
        broken = false
    }

    /// The message number for RETR, after the size check against the limit.
    private func retrievable(_ message: RemoteMessage) throws -> Int {
        let limit = limits.maxMessageSize
        guard message.size <= limit else {
            throw FetchError.messageTooLarge(uid: message.uid, size: message.size, limit: limit)
        }
        return try messageNumber(message)
    }

    /// Reads a RETR answer after its `+OK` up to the terminator, un-stuffed, into `sink`.
    /// - Returns: the bytes delivered.
    /// - Throws: `FetchError.messageTooLarge` past the limit; `NetworkError`; what `sink` throws.
    private func readMessage(_ message: RemoteMessage, into sink: (UnsafeRawBufferPointer) throws -> Void) throws
        -> Int
    {
        let limit = limits.maxMessageSize
        var total = 0
        var atLineStart = true
        let reader = transport.reader
        while true {
            let (chunk, complete) = try reader.readLineChunk(limit: reader.maxLineLength)
            var body = chunk
            if atLineStart && body.first == 0x2E {
                if body.count == 3 && body[body.startIndex + 1] == 0x0D && body[body.startIndex + 2] == 0x0A {
                    return total
                }
                body = body.dropFirst()
            }
            atLineStart = complete
            total += body.count
            guard total <= limit else {
                throw FetchError.messageTooLarge(uid: message.uid, size: total, limit: limit)
            }
            try body.withUnsafeBytes { try sink($0) }
        }
    }

    /// RFC 1939 makes the server add a CRLF before the terminator when the stored
    /// message does not end with one (Dovecot does); LIST counts the message without it.
    /// - Throws: `FetchError.sizeMismatch` (the message is held).
    private func checkSize(_ message: RemoteMessage, _ total: Int) throws {
        if total != message.size && total != message.size + 2 {
            transport.log.warning(
                "\(account.name): message \(Log.escape(message.uid)) listed as \(message.size) bytes, received \(total); held"
            )
            throw FetchError.sizeMismatch(uid: message.uid, listed: message.size, received: total)
        }
    }

    /// Under PIPELINING the DELE commands go out `deleWindow` at a time. A refused
    /// DELE does not stop the rest (the session stays in step); the first refusal is
    /// thrown at the end.
    @discardableResult
    public func delete(_ messages: [RemoteMessage]) throws -> [RemoteMessage] {
        try checkUsable()
        let numbers = try messages.map(messageNumber)
        let window = pipelining ? Self.deleWindow : 1
        var sent = 0
        var read = 0
        var refusal: FetchError?
        broken = true
        while read < numbers.count {
            if sent - read <= window / 2 {
                var batch: [UInt8] = []
                while sent < numbers.count && sent - read < window {
                    batch += Array("DELE \(numbers[sent])\r\n".utf8)
                    sent += 1
                }
                if !batch.isEmpty { try transport.send(batch) }
            }
            let reply = try readStatus()
            read += 1
            if !reply.ok && refusal == nil {
                refusal = .commandFailed(
                    command: "DELE", serverText: FetchError.serverText(reply.text, hiding: [account.password]))
            }
        }
        broken = false
        if let refusal { throw refusal }
        return []
    }

    public func close() throws {
        guard !closed else { return }
        closed = true
        defer { transport.close() }
        guard !broken else { return }
        try command("QUIT", what: "QUIT")
    }

    deinit {
        transport.close()
    }

    // MARK: - Protocol helpers

    private func checkUsable() throws {
        guard !closed else { throw FetchError.protocolViolation("session already closed") }
        guard !broken else { throw FetchError.protocolViolation("session unusable after an earlier error") }
    }

    private func messageNumber(_ message: RemoteMessage) throws -> Int {
        guard let number = numbers[message.uid] else { throw FetchError.messageVanished(uid: message.uid) }
        return number
    }

    /// Sends a command and requires `+OK`.
    private func command(_ line: String, what: String) throws {
        try transport.sendLine(line)
        let reply = try readStatus()
        guard reply.ok else {
            throw FetchError.commandFailed(
                command: what, serverText: FetchError.serverText(reply.text, hiding: [account.password]))
        }
    }

    /// Reads a `+OK …` or `-ERR …` line.
    private func readStatus() throws -> (ok: Bool, text: ArraySlice<UInt8>) {
        let line = try transport.reader.readLine()
        if line.starts(with: Array("+OK".utf8)) { return (true, line.dropFirst(3).drop { $0 == 0x20 }) }
        if line.starts(with: Array("-ERR".utf8)) { return (false, line.dropFirst(4).drop { $0 == 0x20 }) }
        broken = true
        throw FetchError.protocolViolation("expected +OK or -ERR, got: " + FetchError.serverText(line))
    }

    /// Reads the lines of a multi-line reply up to the lone ".", un-stuffed.
    private func readMultiLine(_ each: ([UInt8]) throws -> Void) throws {
        broken = true
        while true {
            var line = try transport.reader.readLine()
            if line == [0x2E] { break }
            if line.first == 0x2E { line.removeFirst() }
            try each(line)
        }
        broken = false
    }

    private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 12, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(String(decoding: bytes, as: UTF8.self))
    }

    /// RFC 1939: 1 to 70 characters in 0x21-0x7E.
    private static func isValidUID(_ bytes: ArraySlice<UInt8>) -> Bool {
        (1...70).contains(bytes.count) && bytes.allSatisfy { $0 >= 0x21 && $0 <= 0x7E }
    }
}
