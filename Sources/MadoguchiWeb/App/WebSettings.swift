// WebSettings: what madoguchi-web reads from madoguchi.conf(5) before it serves — the
// listen addresses, the base URL links and the Origin check use (never the Host
// header), the IP allow-list, the time zone of the page, the session lifetimes, the
// login lockout and the search limits.

import Foundation
import MadoguchiCore
import MadoguchiHTTP
import MadoguchiInbox

/// The web page's settings.
public struct WebSettings: Sendable {
    /// `https://host:port` with no path: where the page is, for redirects and the
    /// Origin check.
    public var baseURL: String
    /// Who may connect at all (checked on the socket's peer address).
    public var allowList: IPAllowList
    /// The page's time zone.
    public var time: DisplayTime
    /// Session lifetimes.
    public var sessions: Sessions.Configuration
    /// Login lockout.
    public var login: Login.Configuration
    /// Most candidates a search decrypts.
    public var searchCandidateLimit: Int
    /// Database connections for the pages' connection threads. Sixteen, not eight: a
    /// request holds its connection while its audit entry waits for the group commit's
    /// fsync, and with eight a core sat idle behind the commit (web.sh, one run each:
    /// inquiry 1,570 → 1,740 requests/s, p99 62 → 37 ms; editor p99 77 → 27 ms; 32 were
    /// no better than 16).
    public var databaseConnections: Int
    /// When a new inquiry's elapsed time turns amber and red (seconds).
    public var elapsedLimits: (warning: Int64, alert: Int64) = (4 * 3600, 86400)

    /// Creates settings.
    public init(
        baseURL: String, allowList: IPAllowList = .privateRanges,
        time: DisplayTime = DisplayTime(zone: TimeZone(identifier: "Asia/Tokyo") ?? .gmt),
        sessions: Sessions.Configuration = Sessions.Configuration(), login: Login.Configuration = Login.Configuration(),
        searchCandidateLimit: Int = 5000, databaseConnections: Int = 16
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.allowList = allowList
        self.time = time
        self.sessions = sessions
        self.login = login
        self.searchCandidateLimit = searchCandidateLimit
        self.databaseConnections = databaseConnections
    }
}
