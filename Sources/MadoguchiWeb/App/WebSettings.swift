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
    /// Database connections for the pages' connection threads, and as many again for
    /// searches. A request holds its connection while its audit entry waits for the
    /// group commit's fsync; with fewer connections than requests in flight, the others
    /// waited for one and a core sat idle behind the commit. Forty: web.sh's 32
    /// connections, three alternating runs each, 16 against 40: the editor 3,400–4,400
    /// against 4,700–6,000 requests/s, p99 18–27 against 11–14 ms.
    public var databaseConnections: Int
    /// When a new inquiry's elapsed time turns amber and red (seconds).
    public var elapsedLimits: (warning: Int64, alert: Int64) = (4 * 3600, 86400)

    /// Creates settings.
    public init(
        baseURL: String, allowList: IPAllowList = .privateRanges,
        time: DisplayTime = DisplayTime(zone: TimeZone(identifier: "Asia/Tokyo") ?? .gmt),
        sessions: Sessions.Configuration = Sessions.Configuration(), login: Login.Configuration = Login.Configuration(),
        searchCandidateLimit: Int = 5000, databaseConnections: Int = 40
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
