// ClamdUnreachable: the flag the scanning lanes share once one of them cannot connect
// to clamd, so the rest of the spool waits untried (madoguchi-security(7) A24).

import Foundation

/// Set by the first scanning lane that cannot connect to clamd. `@unchecked Sendable`:
/// the flag is touched only under `lock`.
final class ClamdUnreachable: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { lock.withLock { value } }

    func set() { lock.withLock { value = true } }
}
