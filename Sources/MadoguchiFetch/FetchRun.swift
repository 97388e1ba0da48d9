// FetchRun: one run of fetch-forwarded-mail over its mailboxes. Order per message:
// download (pipelined where the server offers it) → seal into the spool (content
// fsync'ed) → group commit (fsync of incoming/, record as taken) → only then delete on
// the server. A crash anywhere gives at most a re-fetch of the same bytes, which has
// the same intake id and is filed once. Messages left on the server are warnings.

import MadoguchiCore
import MadoguchiCrypto
import MadoguchiMail

/// Fetches mailboxes into the spool.
public struct FetchRun {
    /// Where sealed messages go.
    public let spool: Spool
    /// Encrypts a spool record to the spool public key (called on the spool writer's threads).
    public let seal: @Sendable ([UInt8]) throws -> [UInt8]
    /// Names spool files (keyed intake ids).
    public let identity: FetchIdentityKey
    /// Directory of the per-mailbox state files.
    public let stateDirectory: String
    /// Time-outs and size limits.
    public let limits: FetchLimits
    /// The program's logger.
    public let log: Log
    /// The clock (Unix seconds); injectable for keep-days tests.
    public let now: () -> Int64

    /// How many spooled messages are recorded in the state file at once. A crash
    /// loses at most these records and those of the messages still being written,
    /// which only means re-fetching (same intake id).
    public static let stateBatch = 100

    /// Creates a run.
    public init(
        spool: Spool, seal: @escaping @Sendable ([UInt8]) throws -> [UInt8], identity: FetchIdentityKey,
        stateDirectory: String, limits: FetchLimits, log: Log, now: @escaping () -> Int64
    ) {
        self.spool = spool
        self.seal = seal
        self.identity = identity
        self.stateDirectory = stateDirectory
        self.limits = limits
        self.log = log
        self.now = now
    }

    /// Whether mailboxes whose login was refused wait out their back-off (cron runs);
    /// false retries them at once (an administrator's `--mailbox` run).
    public var respectBackoff = true

    /// Fetches every account; one failing mailbox does not stop the others.
    public func run(_ accounts: [FetchAccount]) -> FetchSummary {
        var summary = FetchSummary()
        for account in accounts {
            var result = FetchMailboxResult(mailbox: account.name)
            if account.isPlaintextOverNetwork && account.allowPlaintext {
                // Allowed by the administrator, never silent: every status view shows it
                // (madoguchi-security(7), TLS).
                result.warnings.append(
                    "tls = none: the password and the mail travel in plaintext to \(Log.escape(account.host)) "
                        + "(allowed by --allow-plaintext)")
            }
            var backoff: FetchBackoff?
            do {
                backoff = try FetchBackoff.load(directory: stateDirectory, mailbox: account.name)
                if let backoff, respectBackoff, backoff.fingerprint == FetchBackoff.fingerprint(of: account),
                    now() < backoff.retryAt
                {
                    result.exitCode = .noPermission
                    result.error =
                        "login refused \(backoff.failures) times in a row; not retried for "
                        + "\(backoff.retryAt - now()) s (madoguchi-security(7) B8)"
                    log.warning("mailbox \(account.name): \(result.error ?? "")")
                    summary.mailboxes.append(result)
                    continue
                }
                try fetch(account, into: &result)
                if backoff != nil { try FetchBackoff.clear(directory: stateDirectory, mailbox: account.name) }
                result.exitCode = Self.warningExitCode(result)
            } catch {
                result.exitCode = exitCode(for: error)
                result.error = FetchError.serverText(Array("\(error)".utf8), hiding: [account.password])
                log.error("mailbox \(account.name): \(result.error ?? "")")
                if case FetchError.authenticationFailed = error {
                    recordRefusal(account, previous: backoff)
                }
            }
            summary.mailboxes.append(result)
        }
        return summary
    }

    /// The status of a mailbox fetched without a failure (see `FetchMailboxResult.exitCode`).
    static func warningExitCode(_ result: FetchMailboxResult) -> SysExit {
        if result.held > 0 || result.oversize > 0 { return .dataError }
        if result.undeleted > 0 { return .tempFail }
        return .ok
    }

    /// Counts a refused login for the back-off.
    private func recordRefusal(_ account: FetchAccount, previous: FetchBackoff?) {
        let fingerprint = FetchBackoff.fingerprint(of: account)
        let failures = previous.map { $0.fingerprint == fingerprint ? $0.failures + 1 : 1 } ?? 1
        let backoff = FetchBackoff(failures: failures, lastAttempt: now(), fingerprint: fingerprint)
        do {
            try backoff.save(directory: stateDirectory, mailbox: account.name)
        } catch {
            log.error("mailbox \(account.name): cannot record the refused login: \(error)")
        }
    }

    /// Fetches one account.
    /// - Throws: `FetchError`, `NetworkError`, `TLSError`, `SystemError`, `CryptoError`.
    public func fetch(_ account: FetchAccount, into result: inout FetchMailboxResult) throws {
        let session = try MailboxConnector.open(account, limits: limits, log: log)
        defer {
            // After a failure only: the clean path has closed already (close is idempotent).
            do { try session.close() } catch { log.debug("mailbox \(account.name): close: \(error)") }
        }
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
        let keepSeconds = account.keepDays.flatMap { $0 > 0 ? Int64($0) * 86400 : nil }
        var toDelete: [RemoteMessage] = []
        var toFetch: [RemoteMessage] = []
        var capped = false
        var heldUIDs: [String] = []
        for message in remote {
            if let takenAt = state.taken[message.uid] {
                // Spooled earlier; delete now if the policy says so (a crash may have
                // happened between spooling and deleting).
                if keepSeconds.map({ now() - takenAt >= $0 }) ?? true { toDelete.append(message) }
                continue
            }
            if message.size > limits.maxMessageSize {
                result.oversize += 1
                log.warning(
                    "mailbox \(account.name): message \(Log.escape(message.uid)) is \(message.size) bytes, over "
                        + "mail_max_message_size; left on the server")
                continue
            }
            if toFetch.count >= limits.maxMessages {
                // The rest waits for the next run; keep going only to collect expired deletions.
                if !capped { log.debug("mailbox \(account.name): fetch_max_messages reached; the rest waits") }
                capped = true
                continue
            }
            toFetch.append(message)
        }
        let fetching = Dictionary(toFetch.map { ($0.uid, $0) }, uniquingKeysWith: { first, _ in first })
        // Downloads go on while the spool writer's threads seal and fsync; every
        // `stateBatch` messages the run records what they have stored so far (after
        // syncing incoming/) while they go on, and at the end it waits for them all.
        let writer = SpoolWriter(spool: spool, seal: seal)
        defer { writer.stop() }
        var submitted = 0
        func settle(waiting: Bool = true) throws {
            let (stored, failure) = waiting ? writer.drain() : writer.takeStored()
            for file in stored {
                state.markTaken(file.uid, at: now())
                result.spooled += file.existed ? 0 : 1
                log.debug("mailbox \(account.name): spooled \(Log.escape(file.uid)) as \(file.name)")
                if keepSeconds == nil, let message = fetching[file.uid] { toDelete.append(message) }
            }
            submitted = 0
            // Keep what was stored on record, even when a write failed, so the next
            // run does not download it again.
            if !stored.isEmpty { try commit(state, account) }
            if let failure { throw failure }
        }
        do {
            try session.fetchAll(toFetch) { message, outcome in
                let raw: [UInt8]
                switch outcome {
                case .success(let bytes):
                    raw = bytes
                case .failure(.sizeMismatch(let uid, let listed, let received)):
                    // Hold this one and go on with the rest; it is tried again every run.
                    result.held += 1
                    heldUIDs.append(uid)
                    log.warning(
                        "mailbox \(account.name): \(FetchError.sizeMismatch(uid: uid, listed: listed, received: received))"
                    )
                    return
                case .failure(let error):
                    // Another client expunged it: forget it.
                    log.debug("mailbox \(account.name): \(error)")
                    return
                }
                CrashPoint.reach("after-download")
                let source =
                    session.validity.isEmpty ? "pop3:\(message.uid)" : "imap:\(session.validity)/\(message.uid)"
                let envelope = try SpoolEnvelope(
                    mailbox: account.name, source: source, fetchedAt: now(), raw: raw, identity: identity)
                writer.submit(SpoolWriter.Job(uid: message.uid, raw: raw, envelope: envelope))
                submitted += 1
                if submitted >= Self.stateBatch { try settle(waiting: false) }
            }
            try settle()
        } catch {
            do {
                try settle()
            } catch let settling {
                log.debug("mailbox \(account.name): while stopping: \(settling)")
            }
            noteWarnings(&result, heldUIDs: heldUIDs)
            throw error
        }
        // The server copy is touched only once the spool files, their names and the
        // record of what was taken are durable.
        try commit(state, account)
        var left: [RemoteMessage] = []
        if !toDelete.isEmpty {
            CrashPoint.reach("before-delete")
            left = try session.delete(toDelete)
        }
        try session.close()
        CrashPoint.reach("after-delete")
        let deleted = Set(toDelete.map(\.uid)).subtracting(left.map(\.uid))
        result.deleted = deleted.count
        result.undeleted = left.count
        for message in toDelete where deleted.contains(message.uid) {
            log.debug("mailbox \(account.name): deleted \(Log.escape(message.uid))")
        }
        noteWarnings(&result, heldUIDs: heldUIDs)
        // Forget ids the server no longer has (deleted ones included, once QUIT/EXPUNGE ran).
        state.prune(keeping: Set(remote.map(\.uid)).subtracting(deleted))
        try state.save(directory: stateDirectory, mailbox: account.name)
    }

    /// The status lines for what stays on the server (logged one by one already).
    private func noteWarnings(_ result: inout FetchMailboxResult, heldUIDs: [String]) {
        if result.held > 0 {
            let shown = heldUIDs.prefix(5).map { Log.escape($0) }.joined(separator: " ")
            result.warnings.append(
                "\(result.held) message(s) held on the server, received size differs from the listed size "
                    + "(\(shown)\(heldUIDs.count > 5 ? " …" : "")); tried again every run")
        }
        if result.oversize > 0 {
            result.warnings.append(
                "\(result.oversize) message(s) larger than mail_max_message_size left on the server")
        }
        if result.undeleted > 0 {
            result.warnings.append(
                "\(result.undeleted) message(s) stored but left on the server flagged \\Deleted: other messages are "
                    + "flagged \\Deleted and the server lacks UIDPLUS; deleted by a later run (B10)")
        }
    }

    /// One group commit: fsync `incoming/` (the spool files' contents were fsync'ed
    /// one by one; this makes their names durable), then record them as taken. Only
    /// after this may the server copies be deleted.
    private func commit(_ state: FetchState, _ account: FetchAccount) throws {
        try spool.syncIncoming()
        // A kill here re-downloads the batch next run: same keyed names, nothing doubled.
        CrashPoint.reach("before-state-save")
        try state.save(directory: stateDirectory, mailbox: account.name)
    }
}
