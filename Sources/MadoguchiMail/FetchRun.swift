// FetchRun: one run of fetch-forwarded-mail over its mailboxes. Order per message:
// download → seal into the spool (durable) → record as taken (durable) → only then
// delete on the server. A crash anywhere gives at most a re-fetch of the same bytes,
// which has the same intake id and is filed once.

import MadoguchiCore

/// Counts of one fetch run, for logs and the fetcher's status file.
public struct FetchSummary: Sendable, Equatable {
    /// Messages written to the spool.
    public var spooled = 0
    /// Messages deleted on servers.
    public var deleted = 0
    /// Messages left on the server because they are too large.
    public var oversize = 0
    /// Mailboxes that failed.
    public var failedMailboxes = 0
    /// Whether every failure was transient.
    public var allFailuresTransient = true
    /// The first failure, for the exit status.
    public var firstError: (any MadoguchiError)?

    /// Creates an empty summary.
    public init() {}

    public static func == (lhs: FetchSummary, rhs: FetchSummary) -> Bool {
        lhs.spooled == rhs.spooled && lhs.deleted == rhs.deleted && lhs.oversize == rhs.oversize
            && lhs.failedMailboxes == rhs.failedMailboxes
    }
}

/// Fetches mailboxes into the spool.
public struct FetchRun {
    /// Where sealed messages go.
    public let spool: Spool
    /// Encrypts a spool record to the spool public key.
    public let seal: ([UInt8]) throws -> [UInt8]
    /// Directory of the per-mailbox state files.
    public let stateDirectory: String
    /// Time-outs and size limits.
    public let limits: FetchLimits
    /// The program's logger.
    public let log: Log
    /// The clock (Unix seconds); injectable for keep-days tests.
    public let now: () -> Int64

    /// Creates a run.
    public init(
        spool: Spool, seal: @escaping ([UInt8]) throws -> [UInt8], stateDirectory: String, limits: FetchLimits,
        log: Log, now: @escaping () -> Int64
    ) {
        self.spool = spool
        self.seal = seal
        self.stateDirectory = stateDirectory
        self.limits = limits
        self.log = log
        self.now = now
    }

    /// Fetches every account; one failing mailbox does not stop the others.
    public func run(_ accounts: [FetchAccount]) -> FetchSummary {
        var summary = FetchSummary()
        for account in accounts {
            do {
                try fetch(account, into: &summary)
            } catch {
                summary.failedMailboxes += 1
                let known = error as? any MadoguchiError
                if !(known?.isTransient ?? false) { summary.allFailuresTransient = false }
                if summary.firstError == nil { summary.firstError = known }
                log.error("mailbox \(account.name): \(error)")
            }
        }
        return summary
    }

    /// Fetches one account.
    /// - Throws: `FetchError`, `NetworkError`, `SystemError`, `CryptoError`.
    public func fetch(_ account: FetchAccount, into summary: inout FetchSummary) throws {
        let session = try MailboxConnector.open(account, limits: limits, log: log)
        var state = try FetchState.load(directory: stateDirectory, mailbox: account.name)
        if state.validity != session.validity {
            if !state.taken.isEmpty {
                log.warning(
                    "mailbox \(account.name): UIDVALIDITY changed; starting over (messages fetched again are filed once)"
                )
            }
            state.reset(validity: session.validity)
            try state.save(directory: stateDirectory, mailbox: account.name)
        }
        let remote = try session.list()
        let keepSeconds = account.keepDays.map { Int64($0) * 86400 }
        var toDelete: [RemoteMessage] = []
        var fetchedThisRun = 0
        for message in remote {
            if let takenAt = state.taken[message.uid] {
                // Spooled earlier; delete now if the policy says so (a crash may have
                // happened between spooling and deleting).
                if let keepSeconds {
                    if now() - takenAt >= keepSeconds { toDelete.append(message) }
                } else {
                    toDelete.append(message)
                }
                continue
            }
            if message.size > limits.maxMessageSize {
                summary.oversize += 1
                log.warning(
                    "mailbox \(account.name): message \(message.uid) is \(message.size) bytes, over "
                        + "mail_max_message_size; left on the server")
                continue
            }
            if fetchedThisRun >= limits.maxMessages {
                log.debug("mailbox \(account.name): fetch_max_messages reached; the rest waits for the next run")
                break
            }
            var raw: [UInt8] = []
            raw.reserveCapacity(message.size)
            _ = try session.fetch(message) { chunk in raw.append(contentsOf: chunk) }
            let source =
                session.validity.isEmpty ? "pop3:\(message.uid)" : "imap:\(session.validity)/\(message.uid)"
            let envelope = SpoolEnvelope(mailbox: account.name, source: source, fetchedAt: now(), raw: raw)
            let (name, existed) = try spool.deliver(raw, envelope: envelope, seal: seal)
            state.markTaken(message.uid, at: now())
            try state.save(directory: stateDirectory, mailbox: account.name)
            fetchedThisRun += 1
            summary.spooled += existed ? 0 : 1
            log.debug("mailbox \(account.name): spooled \(message.uid) as \(name)")
            if keepSeconds == nil || keepSeconds == 0 { toDelete.append(message) }
        }
        if !toDelete.isEmpty {
            try session.delete(toDelete)
            summary.deleted += toDelete.count
        }
        try session.close()
        // Forget ids the server no longer has (deleted ones included, once QUIT/EXPUNGE ran).
        let deleted = Set(toDelete.map(\.uid))
        state.prune(keeping: Set(remote.map(\.uid)).subtracting(deleted))
        try state.save(directory: stateDirectory, mailbox: account.name)
    }
}
