// ClamdUnreachable: the flag the scanning lanes share once one of them cannot connect
// to clamd, so the rest of the spool waits untried (madoguchi-security(7) A24).

import Synchronization

/// Set by the first scanning lane that cannot connect to clamd; read by every lane
/// before it opens its next file.
final class ClamdUnreachable: Sendable {
    private let value = Atomic<Bool>(false)

    var isSet: Bool { value.load(ordering: .relaxed) }

    func set() { value.store(true, ordering: .relaxed) }
}
