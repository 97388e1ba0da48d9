// IMAPSession: an RFC 3501 client (CAPABILITY, STARTTLS, LOGIN or AUTHENTICATE
// PLAIN, ENABLE UTF8=ACCEPT, SELECT, UID FETCH, UID STORE, UID SEARCH, (UID) EXPUNGE,
// LOGOUT) behind MailboxSession. SECURITY: strict STARTTLS (PREAUTH refused, buffer
// dropped, capabilities re-read), bodies streamed with a cap and every response
// bounded (B9), untagged responses accepted anywhere (B4), no plain EXPUNGE while
// messages we did not store are flagged \Deleted (B10), server text escaped with
// the password cut out (B8).

import Foundation
import MadoguchiCore
import MadoguchiCrypto

/// A logged-in IMAP session with INBOX selected.
public final class IMAPSession: MailboxSession {
    /// How to log in.
    public enum Authentication: Sendable, Equatable {
        /// AUTHENTICATE PLAIN when offered, otherwise LOGIN.
        case automatic
        /// Always LOGIN (refused when the server says LOGINDISABLED).
        case login
        /// Always AUTHENTICATE PLAIN.
        case plain
    }

    /// UIDVALIDITY of INBOX.
    public private(set) var validity = ""
    /// Message count from the last EXISTS/EXPUNGE.
    public private(set) var exists = 0
    /// The current capabilities (upper-cased).
    public private(set) var capabilities: Set<String> = []

    private let transport: SessionTransport
    private let account: FetchAccount
    private let limits: FetchLimits
    /// The verified TLS layer, or nil for `tls = none`.
    public var tls: TLSConnection? { transport.tlsConnection }
    private let responses: IMAPResponseReader
    private var tagCounter = 0
    private var broken = false
    private var closed = false

    private init(account: FetchAccount, limits: FetchLimits, transport: SessionTransport) {
        self.account = account
        self.limits = limits
        self.transport = transport
        responses = IMAPResponseReader(reader: transport.reader, maxBodySize: limits.maxMessageSize)
    }

    /// Connects, upgrades with STARTTLS when configured, logs in and selects INBOX.
    /// - Throws: `FetchError` (authentication, STARTTLS not offered, PREAUTH), `TLSError`, `NetworkError`.
    public static func open(
        _ account: FetchAccount, limits: FetchLimits, log: Log, authentication: Authentication = .automatic
    ) throws -> IMAPSession {
        let transport = try SessionTransport(account: account, limits: limits, log: log)
        let session = IMAPSession(account: account, limits: limits, transport: transport)
        do {
            try session.start(authentication)
        } catch {
            session.transport.close()
            throw error
        }
        return session
    }

    private func start(_ authentication: Authentication) throws {
        var preauthenticated = false
        switch try responses.next() {
        case .untaggedStatus(.ok, let code, _):
            noteCapabilities(code)
        case .untaggedStatus(.preauth, let code, _):
            guard account.tls != .starttls else { throw FetchError.preauthRefused(account: account.name) }
            noteCapabilities(code)
            preauthenticated = true
        case .untaggedStatus(.bye, _, let text):
            throw FetchError.serverClosed(serverText: FetchError.serverText(Array(text.utf8)))
        default:
            throw FetchError.protocolViolation("bad IMAP greeting")
        }
        try run("CAPABILITY")
        if account.tls == .starttls {
            guard capabilities.contains("STARTTLS") else { throw FetchError.startTLSNotOffered(account: account.name) }
            try run("STARTTLS")
            try transport.startTLS()
            capabilities = []
            try run("CAPABILITY")
        }
        if !preauthenticated {
            try login(authentication)
            try run("CAPABILITY")
        }
        try enableUTF8()
        try select()
    }

    /// RFC 6855 (now RFC 9755): a server that offers UTF8=ACCEPT may otherwise hand
    /// out a message with raw UTF-8 header fields in a changed form (Courier wraps it
    /// in a notice, larger than RFC822.SIZE said, so it would be held forever).
    /// A refusal is not an error: the session goes on without it.
    private func enableUTF8() throws {
        guard capabilities.contains("ENABLE"),
            capabilities.contains("UTF8=ACCEPT") || capabilities.contains("UTF8=ONLY")
        else { return }
        do {
            try run("ENABLE UTF8=ACCEPT")
        } catch FetchError.commandFailed(_, let text) {
            transport.log.debug("\(account.name): ENABLE UTF8=ACCEPT refused: \(text)")
        }
    }

    private func login(_ authentication: Authentication) throws {
        let plain: Bool
        switch authentication {
        case .automatic: plain = capabilities.contains("AUTH=PLAIN")
        case .login: plain = false
        case .plain: plain = true
        }
        if !plain && capabilities.contains("LOGINDISABLED") {
            throw FetchError.unsupported("LOGIN (LOGINDISABLED) and no AUTH=PLAIN")
        }
        for text in [account.user, account.password] where text.utf8.contains(0) {
            throw FetchError.authenticationFailed(
                account: account.name, serverText: "user name or password contains NUL")
        }
        do {
            if plain {
                let token = Data(([0] + Array(account.user.utf8) + [0] + Array(account.password.utf8)))
                    .base64EncodedString()
                try run([.text("AUTHENTICATE PLAIN")], afterContinuation: Array(token.utf8), logAs: "AUTHENTICATE")
            } else {
                try run(
                    [.text("LOGIN "), Self.astring(account.user), .text(" "), Self.astring(account.password)],
                    logAs: "LOGIN")
            }
        } catch FetchError.commandFailed(_, let text) {
            // RFC 5530: [UNAVAILABLE], [INUSE] and [LIMIT] are "try later", not a wrong password.
            throw FetchError.loginRefusal(
                account: account.name, code: FetchError.responseCode(text.utf8), serverText: text)
        }
        transport.log.debug("\(account.name): logged in")
    }

    private func select() throws {
        var sawValidity = false
        try run(
            "SELECT INBOX",
            untagged: { response in
                if case .untaggedStatus(.ok, let code?, _) = response,
                    let value = Self.codeArgument(code, "UIDVALIDITY")
                {
                    validity = value
                    sawValidity = true
                }
            })
        guard sawValidity else { throw FetchError.protocolViolation("SELECT gave no UIDVALIDITY") }
    }

    public func list() throws -> [RemoteMessage] {
        try checkUsable()
        guard exists > 0 else { return [] }
        var sizes: [UInt32: Int] = [:]
        try run(
            "UID FETCH 1:* (UID RFC822.SIZE)",
            untagged: { response in
                guard case .data(_, "FETCH", let values) = response, case .list(let items)? = values.first else {
                    return
                }
                let attributes = Self.pairs(items)
                guard let uid = attributes["UID"]?.number.flatMap(UInt32.init(exactly:)), uid > 0,
                    let size = attributes["RFC822.SIZE"]?.number
                else { return }
                guard sizes.count < FetchLimits.maxListEntries else {
                    throw FetchError.protocolViolation("too many messages listed")
                }
                sizes[uid] = size
            })
        return sizes.keys.sorted().map { RemoteMessage(uid: String($0), size: sizes[$0]!) }
    }

    public func fetch(_ message: RemoteMessage, into sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        try checkUsable()
        let limit = limits.maxMessageSize
        guard message.size <= limit else {
            throw FetchError.messageTooLarge(uid: message.uid, size: message.size, limit: limit)
        }
        guard let uid = UInt32(message.uid), uid > 0 else {
            throw FetchError.protocolViolation("not an IMAP UID: \(message.uid)")
        }
        var received: Int?
        do {
            try withoutActuallyEscaping(sink) { sink in
                try run(
                    "UID FETCH \(uid) (UID RFC822.SIZE BODY.PEEK[])", body: sink,
                    untagged: { response in
                        guard case .data(_, "FETCH", let values) = response, case .list(let items)? = values.first
                        else {
                            return
                        }
                        let attributes = Self.pairs(items)
                        guard let bodyValue = attributes["BODY[]"] ?? attributes["RFC822"] else { return }
                        if let other = attributes["UID"]?.number, other != Int(uid) {
                            throw FetchError.protocolViolation("body of UID \(other) sent for UID \(uid)")
                        }
                        guard received == nil else { throw FetchError.protocolViolation("message \(uid) sent twice") }
                        switch bodyValue {
                        case .streamed(let count): received = count
                        case .atom(let text) where text.uppercased() == "NIL": received = 0
                        default: throw FetchError.protocolViolation("bad BODY[] value for UID \(uid)")
                        }
                    })
            }
        } catch FetchError.messageTooLarge(_, let size, let limit) {
            throw FetchError.messageTooLarge(uid: message.uid, size: size, limit: limit)
        } catch FetchError.commandFailed(_, let text) where received == nil {
            transport.log.warning("\(account.name): UID FETCH \(uid) refused: \(text)")
            throw FetchError.messageVanished(uid: message.uid)
        }
        guard let count = received else {
            // No body: either another client expunged the message (the server then answers
            // OK with nothing, RFC 3501 6.4.8), or the server broke the protocol. Ask.
            if try search("UID \(uid)").contains(uid) {
                throw FetchError.protocolViolation("the server answered UID FETCH \(uid) without the message body")
            }
            throw FetchError.messageVanished(uid: message.uid)
        }
        if count != message.size {
            transport.log.warning(
                "\(account.name): message \(uid) listed as \(message.size) bytes, received \(count); held")
            throw FetchError.sizeMismatch(uid: message.uid, listed: message.size, received: count)
        }
        return count
    }

    /// Most messages asked for in one `UID FETCH` by `fetchAll`.
    public static let fetchBatch = 32
    /// Most listed bytes asked for in one `UID FETCH` by `fetchAll` (at least one message).
    public static let fetchBatchBytes = 8 << 20

    /// One `UID FETCH` for a batch of messages, so the server streams them without a
    /// round trip each; every message is handed to `each` as soon as its response is
    /// complete, in the order the server sends them (one message in memory at a time).
    public func fetchAll(
        _ messages: [RemoteMessage], _ each: (RemoteMessage, Result<[UInt8], FetchError>) throws -> Void
    ) throws {
        try checkUsable()
        let limit = limits.maxMessageSize
        var batch: [(UInt32, RemoteMessage)] = []
        var bytes = 0
        for message in messages {
            guard message.size <= limit else {
                throw FetchError.messageTooLarge(uid: message.uid, size: message.size, limit: limit)
            }
            guard let uid = UInt32(message.uid), uid > 0 else {
                throw FetchError.protocolViolation("not an IMAP UID: \(message.uid)")
            }
            if !batch.isEmpty && (batch.count >= Self.fetchBatch || bytes + message.size > Self.fetchBatchBytes) {
                try fetchBatch(batch, each)
                batch = []
                bytes = 0
            }
            batch.append((uid, message))
            bytes += message.size
        }
        if !batch.isEmpty { try fetchBatch(batch, each) }
    }

    private func fetchBatch(
        _ batch: [(UInt32, RemoteMessage)], _ each: (RemoteMessage, Result<[UInt8], FetchError>) throws -> Void
    ) throws {
        let wanted = Dictionary(batch, uniquingKeysWith: { first, _ in first })
        var done = Set<UInt32>()
        var current: [UInt8] = []
        let set = Self.sequenceSet(batch.map(\.0))
        do {
            try run(
                "UID FETCH \(set) (UID RFC822.SIZE BODY.PEEK[])", body: { current.append(contentsOf: $0) },
                untagged: { response in
                    guard case .data(_, "FETCH", let values) = response, case .list(let items)? = values.first else {
                        return
                    }
                    let attributes = Self.pairs(items)
                    guard let bodyValue = attributes["BODY[]"] ?? attributes["RFC822"] else { return }
                    let raw = current
                    current = []
                    // The UID may come before or after the body: the response is complete here.
                    guard let uid = attributes["UID"]?.number.flatMap(UInt32.init(exactly:)), let message = wanted[uid]
                    else {
                        throw FetchError.protocolViolation("a message body that was not asked for in UID FETCH \(set)")
                    }
                    guard done.insert(uid).inserted else {
                        throw FetchError.protocolViolation("message \(uid) sent twice")
                    }
                    let count: Int
                    switch bodyValue {
                    case .streamed(let size): count = size
                    case .atom(let text) where text.uppercased() == "NIL": count = 0
                    default: throw FetchError.protocolViolation("bad BODY[] value for UID \(uid)")
                    }
                    guard count == message.size else {
                        transport.log.warning(
                            "\(account.name): message \(uid) listed as \(message.size) bytes, received \(count); held")
                        try each(
                            message, .failure(.sizeMismatch(uid: message.uid, listed: message.size, received: count)))
                        return
                    }
                    try each(message, .success(raw))
                })
        } catch FetchError.commandFailed(_, let text) {
            // As for one message: what did not come is skipped this run and asked for again.
            transport.log.warning("\(account.name): UID FETCH \(set) refused: \(text)")
            for (uid, message) in batch where !done.contains(uid) {
                try each(message, .failure(.messageVanished(uid: message.uid)))
            }
            return
        }
        let missing = batch.filter { !done.contains($0.0) }
        guard !missing.isEmpty else { return }
        // No body: expunged by another client, or the server broke the protocol. Ask.
        let present = try search("UID \(Self.sequenceSet(missing.map(\.0)))")
        if let uid = missing.first(where: { present.contains($0.0) })?.0 {
            throw FetchError.protocolViolation("the server answered UID FETCH \(uid) without the message body")
        }
        for (_, message) in missing { try each(message, .failure(.messageVanished(uid: message.uid))) }
    }

    @discardableResult
    public func delete(_ messages: [RemoteMessage]) throws -> [RemoteMessage] {
        try checkUsable()
        let uids = try messages.map { message -> UInt32 in
            guard let uid = UInt32(message.uid), uid > 0 else {
                throw FetchError.protocolViolation("not an IMAP UID: \(message.uid)")
            }
            return uid
        }
        let uidplus = capabilities.contains("UIDPLUS")
        var index = 0
        while index < uids.count {
            let set = Self.sequenceSet(Array(uids[index..<min(index + 500, uids.count)]))
            index += 500
            try run("UID STORE \(set) +FLAGS.SILENT (\\Deleted)")
            // A kill here leaves our messages flagged but not expunged: the next run deletes them again.
            CrashPoint.reach("before-expunge")
            if uidplus { try run("UID EXPUNGE \(set)") }
        }
        guard !uidplus, !uids.isEmpty else { return [] }
        // B10: without UIDPLUS (RFC 4315) only a plain EXPUNGE exists, and it removes every
        // message flagged \Deleted, also those another client flagged and this program never
        // stored. Expunge only when there are none; otherwise ours stay flagged and are
        // stored and checked again next run. (A client flagging one between this SEARCH
        // and the EXPUNGE cannot be ruled out without UIDPLUS.)
        let foreign = try search("DELETED NOT UID \(Self.sequenceSet(uids))").subtracting(uids)
        guard foreign.isEmpty else {
            transport.log.warning(
                "\(account.name): \(foreign.count) other messages are flagged \\Deleted and the server lacks "
                    + "UIDPLUS; \(uids.count) fetched messages stay flagged until a later run can expunge them alone")
            return messages
        }
        try run("EXPUNGE")
        return []
    }

    /// `UID SEARCH criteria`: the UIDs in the untagged SEARCH responses.
    /// - Throws: `FetchError`, `NetworkError`.
    private func search(_ criteria: String) throws -> Set<UInt32> {
        var found = Set<UInt32>()
        try run(
            "UID SEARCH \(criteria)",
            untagged: { response in
                guard case .data(nil, "SEARCH", let values) = response else { return }
                for value in values {
                    guard let uid = value.number.flatMap(UInt32.init(exactly:)) else {
                        throw FetchError.protocolViolation("bad UID in SEARCH response")
                    }
                    guard found.count < FetchLimits.maxListEntries else {
                        throw FetchError.protocolViolation("too many UIDs in SEARCH response")
                    }
                    found.insert(uid)
                }
            })
        return found
    }

    /// An RFC 3501 sequence set with runs written as ranges: `4:7,9,12:13`.
    static func sequenceSet(_ uids: [UInt32]) -> String {
        var parts: [String] = []
        var runStart: UInt32?
        var previous: UInt32 = 0
        for uid in uids.sorted() {
            if let start = runStart, uid == previous + 1 || uid == previous {
                previous = uid
                runStart = start
                continue
            }
            if let start = runStart { parts.append(start == previous ? "\(start)" : "\(start):\(previous)") }
            runStart = uid
            previous = uid
        }
        if let start = runStart { parts.append(start == previous ? "\(start)" : "\(start):\(previous)") }
        return parts.joined(separator: ",")
    }

    public func close() throws {
        guard !closed else { return }
        closed = true
        defer { transport.close() }
        guard !broken else { return }
        do {
            try run("LOGOUT")
        } catch FetchError.serverClosed {
            return
        } catch NetworkError.closed {
            return
        }
    }

    deinit {
        transport.close()
    }

    // MARK: - Command engine

    /// A piece of a command line.
    enum Part {
        /// Text sent as is.
        case text(String)
        /// A synchronising literal: `{n}`, wait for `+`, then the bytes.
        case literal([UInt8])
    }

    /// Encodes an astring: quoted when printable ASCII, otherwise a literal.
    static func astring(_ value: String) -> Part {
        let bytes = Array(value.utf8)
        if !bytes.isEmpty && bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            var quoted = "\""
            for scalar in value.unicodeScalars {
                if scalar == "\"" || scalar == "\\" { quoted.append("\\") }
                quoted.unicodeScalars.append(scalar)
            }
            return .text(quoted + "\"")
        }
        return .literal(bytes)
    }

    private func checkUsable() throws {
        guard !closed else { throw FetchError.protocolViolation("session already closed") }
        guard !broken else { throw FetchError.protocolViolation("session unusable after an earlier error") }
    }

    private func run(
        _ command: String, body: IMAPBodySink? = nil, untagged: (IMAPResponse) throws -> Void = { _ in }
    ) throws {
        try run([.text(command)], logAs: command, body: body, untagged: untagged)
    }

    /// Sends a tagged command and reads responses up to its tagged completion.
    /// Untagged responses may come at any point and are handled before `untagged` sees them.
    /// - Parameters:
    ///   - parts: the command after the tag.
    ///   - afterContinuation: a line sent when the server answers `+` (SASL).
    ///   - logAs: what debug logs show instead of the command (credentials are hidden).
    /// - Throws: `FetchError.commandFailed` on NO/BAD, `.serverClosed` on BYE.
    private func run(
        _ parts: [Part], afterContinuation: [UInt8]? = nil, logAs: String, body: IMAPBodySink? = nil,
        untagged: (IMAPResponse) throws -> Void = { _ in }
    ) throws {
        tagCounter += 1
        let tag = String(format: "A%04d", tagCounter)
        transport.log.debug("\(account.name): C: \(tag) \(logAs)")
        broken = true
        var pending: [UInt8] = Array(tag.utf8) + [0x20]
        for part in parts {
            switch part {
            case .text(let text):
                pending += Array(text.utf8)
            case .literal(let bytes):
                pending += Array("{\(bytes.count)}\r\n".utf8)
                try transport.send(pending)
                try awaitContinuation(tag: tag, untagged)
                pending = bytes
            }
        }
        try transport.send(pending + [0x0D, 0x0A])
        var continuationSent = false
        while true {
            let response = try responses.next(body: body)
            switch response {
            case .tagged(let got, let status, let code, let text):
                guard got == tag else { throw FetchError.protocolViolation("unexpected tag \(got)") }
                guard status == .ok else {
                    broken = false
                    throw FetchError.commandFailed(command: logAs, serverText: Self.shown(code, text, hiding: secrets))
                }
                broken = false
                return
            case .continuation:
                guard let line = afterContinuation, !continuationSent else {
                    throw FetchError.protocolViolation("unexpected continuation request")
                }
                continuationSent = true
                try transport.send(line + [0x0D, 0x0A])
            default:
                try handleUntagged(response)
                try untagged(response)
            }
        }
    }

    private var secrets: [String] { [account.password] }

    /// A refusal's text as logs show it: the response code first (`[UNAVAILABLE] …`,
    /// RFC 5530), escaped, without the password.
    static func shown(_ code: String?, _ text: String, hiding secrets: [String]) -> String {
        FetchError.serverText(Array(((code.map { "[\($0)] " } ?? "") + text).utf8), hiding: secrets)
    }

    private func awaitContinuation(tag: String, _ untagged: (IMAPResponse) throws -> Void) throws {
        while true {
            let response = try responses.next()
            switch response {
            case .continuation:
                return
            case .tagged(_, _, let code, let text):
                broken = false
                throw FetchError.commandFailed(command: "literal", serverText: Self.shown(code, text, hiding: secrets))
            default:
                try handleUntagged(response)
                try untagged(response)
            }
        }
    }

    /// Session-wide handling of untagged responses that may arrive at any time.
    private func handleUntagged(_ response: IMAPResponse) throws {
        switch response {
        case .untaggedStatus(.bye, _, let text):
            throw FetchError.serverClosed(serverText: FetchError.serverText(Array(text.utf8), hiding: secrets))
        case .untaggedStatus(.ok, let code?, _):
            noteCapabilities(code)
            if let value = Self.codeArgument(code, "UIDVALIDITY"), !validity.isEmpty, value != validity {
                throw FetchError.validityChanged(old: validity, new: value)
            }
        case .untaggedStatus(_, let code?, let text) where code.uppercased() == "ALERT":
            transport.log.warning("\(account.name): server alert: \(FetchError.serverText(Array(text.utf8)))")
        case .data(nil, "CAPABILITY", let values):
            capabilities = Set(values.compactMap { $0.atomText?.uppercased() })
        case .data(let number?, "EXISTS", _):
            exists = number
        case .data(_, "EXPUNGE", _):
            exists = max(0, exists - 1)
        default:
            break
        }
    }

    private func noteCapabilities(_ code: String?) {
        guard let code, code.uppercased().hasPrefix("CAPABILITY ") else { return }
        capabilities = Set(code.split(separator: " ").dropFirst().map { $0.uppercased() })
    }

    /// The first argument of a response code like `UIDVALIDITY 3857529045`.
    private static func codeArgument(_ code: String, _ name: String) -> String? {
        let words = code.split(separator: " ")
        guard words.count >= 2, words[0].uppercased() == name else { return nil }
        let value = words[1]
        guard (1...10).contains(value.count), value.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return String(value)
    }

    /// FETCH items as name → value (names upper-cased).
    private static func pairs(_ items: [IMAPValue]) -> [String: IMAPValue] {
        var result: [String: IMAPValue] = [:]
        var index = 0
        while index + 1 < items.count {
            if let name = items[index].atomText { result[name.uppercased()] = items[index + 1] }
            index += 2
        }
        return result
    }
}
