// PreparedWindow: one window of spool files being read and scanned by the scanning
// lanes while the filer works on the window before it.

import Dispatch
import Foundation
import MadoguchiInbox

/// One window of spool files being read and scanned by the `ScanLanes`; `wait`
/// returns the results once every thread is done. `@unchecked Sendable`: the slots are
/// only touched under `lock`, and read after `group` has finished.
final class PreparedWindow: @unchecked Sendable {
    /// The spool file names, in spool order.
    let names: [String]
    let group = DispatchGroup()
    private let lock = NSLock()
    private var slots: [ScanAndFile.Prepared]
    private var readSeconds = 0.0
    private var scanSeconds = 0.0
    private var parseSeconds = 0.0
    private var tokenSeconds = 0.0

    init(names: [String]) {
        self.names = names
        slots = Array(repeating: .skipped, count: names.count)
    }

    func set(
        _ index: Int, _ item: ScanAndFile.Prepared, read: Double, scan: Double, parse: Double = 0, tokens: Double = 0
    ) {
        lock.lock()
        defer { lock.unlock() }
        slots[index] = item
        readSeconds += read
        scanSeconds += scan
        parseSeconds += parse
        tokenSeconds += tokens
    }

    /// Waits for the scanning threads; adds their times to `timings`.
    func wait(timings: FilingTimings) -> [(name: String, item: ScanAndFile.Prepared)] {
        group.wait()
        lock.lock()
        defer { lock.unlock() }
        timings.add("read", readSeconds)
        timings.add("scan", scanSeconds)
        timings.add("parse", parseSeconds)
        timings.add("tokens", tokenSeconds)
        return Array(zip(names, slots))
    }
}
