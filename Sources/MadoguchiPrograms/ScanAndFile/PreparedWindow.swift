// PreparedWindow: one window of spool files being read and scanned by the scanning
// lanes while the filer works on the window before it.

import Dispatch
import MadoguchiInbox
import Synchronization

/// One window of spool files being read and scanned by the `ScanLanes`; `wait` returns
/// the results once every lane is done with it. Each lane writes only its file's slot,
/// under `state`; the filing thread reads them after `group` is done.
final class PreparedWindow: Sendable {
    /// The spool file names, in spool order.
    let names: [String]
    let group = DispatchGroup()
    private let state: Mutex<Results>

    /// The slots and the lanes' stage times (seconds, summed over the lanes).
    private struct Results {
        var slots: [ScanAndFile.Prepared]
        var readSeconds = 0.0
        var scanSeconds = 0.0
        var parseSeconds = 0.0
        var tokenSeconds = 0.0
    }

    init(names: [String]) {
        self.names = names
        state = Mutex(Results(slots: Array(repeating: .skipped, count: names.count)))
    }

    func set(
        _ index: Int, _ item: ScanAndFile.Prepared, read: Double, scan: Double, parse: Double = 0, tokens: Double = 0
    ) {
        state.withLock { results in
            results.slots[index] = item
            results.readSeconds += read
            results.scanSeconds += scan
            results.parseSeconds += parse
            results.tokenSeconds += tokens
        }
    }

    /// Waits for the scanning lanes; adds their times to `timings`.
    func wait(timings: FilingTimings) -> [(name: String, item: ScanAndFile.Prepared)] {
        group.wait()
        let done = state.withLock { $0 }
        timings.add("read", done.readSeconds)
        timings.add("scan", done.scanSeconds)
        timings.add("parse", done.parseSeconds)
        timings.add("tokens", done.tokenSeconds)
        return Array(zip(names, done.slots))
    }
}
