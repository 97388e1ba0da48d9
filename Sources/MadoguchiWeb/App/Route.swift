// Route: one entry of the router's table — method, path pattern, the permission it
// needs (checked by the router before the handler runs; nil only for the pages a
// visitor without a session must reach: the login page and the static files) and
// the handler. Built once before the server starts, never changed after.

import MadoguchiHTTP
import MadoguchiInbox

/// One route.
struct Route: Sendable {
    /// How a path matches.
    enum Pattern: Sendable, Equatable {
        /// Exactly this path.
        case exact(String)
        /// `prefix` + a positive decimal id + `suffix`, e.g. `/inquiries/` `12` ``.
        case id(prefix: String, suffix: String)

        /// The id the path carries (0 for an exact match), or nil when it does not match.
        func match(_ path: String) -> Int64? {
            switch self {
            case .exact(let exact): return path == exact ? 0 : nil
            case .id(let prefix, let suffix):
                guard path.hasPrefix(prefix), path.hasSuffix(suffix), path.count > prefix.count + suffix.count
                else { return nil }
                let digits = path.dropFirst(prefix.count).dropLast(suffix.count)
                guard digits.count <= 18, digits.first != "0", digits.allSatisfy({ $0 >= "0" && $0 <= "9" }) else {
                    return nil
                }
                return Int64(digits)
            }
        }
    }

    /// Who may use the route.
    enum Access: Sendable, Equatable {
        /// Anyone allowed by the IP allow-list (login page, static files).
        case anyone
        /// A logged-in operator whose role has this permission.
        case permission(Permission)
    }

    /// GET or POST (HEAD is answered by GET routes).
    var method: HTTPMethod
    /// The path.
    var pattern: Pattern
    /// Who may use it.
    var access: Access
    /// Whether it checks a password: such requests wait for the scrypt gate, so they
    /// borrow from a pool of their own and never hold the pages' connections meanwhile.
    var hashesPassword = false
    /// Whether a request counts as the operator's activity: false for what the page's
    /// script asks on its own (the presence poll), so an idle operator is still logged out.
    var extendsSession = true
    /// Whether a `q=` parameter makes it a search, which borrows from the searches'
    /// own pool.
    var searches = false
    /// The handler.
    var handler: @Sendable (WebApp, WebRequest) throws -> HTTPResponse

    /// A route.
    init(
        method: HTTPMethod, pattern: Pattern, access: Access, hashesPassword: Bool = false, searches: Bool = false,
        extendsSession: Bool = true, handler: @escaping @Sendable (WebApp, WebRequest) throws -> HTTPResponse
    ) {
        self.extendsSession = extendsSession
        self.method = method
        self.pattern = pattern
        self.access = access
        self.hashesPassword = hashesPassword
        self.searches = searches
        self.handler = handler
    }
}
