// PageContext: what every page of a logged-in operator shows in its header and needs
// to render — who is logged in, the previous login, failed attempts since, the idle
// timeout the countdown starts from, the CSRF token for its forms, the language
// and the time zone.

/// The logged-in operator's view of a page.
public struct PageContext: Sendable {
    /// The previous successful login, shown in every header.
    public struct PreviousLogin: Sendable, Equatable {
        /// Unix time.
        public var time: Int64
        /// The source address.
        public var address: String

        /// Creates the record.
        public init(time: Int64, address: String) {
            self.time = time
            self.address = address
        }
    }

    /// The operator's display name.
    public var name: String
    /// The operator's login.
    public var login: String
    /// The login before this session's, or nil for a first login.
    public var previousLogin: PreviousLogin?
    /// Failed login attempts since the previous successful one.
    public var failedSince: Int
    /// Seconds of inactivity after which the server ends the session.
    public var idleTimeout: Int64
    /// The CSRF token every form of the page carries.
    public var csrfToken: String
    /// The page language.
    public var language: Language
    /// The time formatter.
    public var time: DisplayTime
    /// Now, Unix time (one value for the whole page).
    public var now: Int64
    /// Whether the quarantine link is shown (administrators).
    public var showsQuarantine: Bool
    /// Whether the approval queue link is shown (users with `approve`).
    public var showsApprovals = false
    /// Whether the templates link is shown (users with `manage_templates`).
    public var showsTemplates = false
    /// Seconds after which a new inquiry's elapsed time is amber, and red.
    public var elapsedLimits: (warning: Int64, alert: Int64) = (4 * 3600, 86400)

    /// Creates a context.
    public init(
        name: String, login: String, previousLogin: PreviousLogin?, failedSince: Int, idleTimeout: Int64,
        csrfToken: String, language: Language, time: DisplayTime, now: Int64, showsQuarantine: Bool = false
    ) {
        self.name = name
        self.login = login
        self.previousLogin = previousLogin
        self.failedSince = failedSince
        self.idleTimeout = idleTimeout
        self.csrfToken = csrfToken
        self.language = language
        self.time = time
        self.now = now
        self.showsQuarantine = showsQuarantine
    }

    /// A fixed text in the page language.
    public func word(_ word: Word) -> String { word.text(language) }
}
