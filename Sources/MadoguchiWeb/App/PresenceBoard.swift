// PresenceBoard: who has an inquiry open right now ("閲覧中: 佐藤"), kept in the web
// server's memory only: each page view and each presence poll of the inquiry's page
// (every 5 s) marks its session as viewing; a mark older than `window` no longer
// counts. Nothing here is stored or audited — the audited view is the page itself.
// A mark that would change nothing (the same session, name and second) takes only
// the read side of the lock: with many views of one inquiry a Mutex held by a
// preempted thread put the others to sleep.

import MadoguchiCore

/// The operators viewing each inquiry.
///
/// `@unchecked Sendable`: `marks` is read only under `lock`'s read side and changed
/// only under its write side.
final class PresenceBoard: @unchecked Sendable {
    /// One viewer of one inquiry.
    struct Viewer: Sendable, Equatable {
        /// The session reference (one browser).
        var session: String
        /// The user.
        var userID: Int64
        /// The operator's display name.
        var name: String
        /// When the page last said it was open (Unix time).
        var seenAt: Int64
    }

    /// How long a mark counts: two missed polls.
    let window: Int64
    private let lock = ReadWriteLock()
    private var marks: [Int64: [Viewer]] = [:]

    /// A board whose marks last `window` seconds.
    init(window: Int64 = 15) { self.window = window }

    /// Marks `viewer` as viewing `inquiry`, and forgets marks past the window.
    func mark(_ inquiry: Int64, _ viewer: Viewer) {
        if lock.reading({ marks[inquiry]?.contains(viewer) ?? false }) { return }
        lock.writing {
            var viewers = (marks[inquiry] ?? []).filter {
                $0.session != viewer.session && viewer.seenAt - $0.seenAt < window
            }
            viewers.append(viewer)
            marks[inquiry] = viewers
            // Bounded: a full sweep whenever the table has grown (at most one entry per
            // open inquiry page).
            if marks.count > 1024 {
                marks = marks.compactMapValues { list in
                    let fresh = list.filter { viewer.seenAt - $0.seenAt < window }
                    return fresh.isEmpty ? nil : fresh
                }
            }
        }
    }

    /// The others viewing `inquiry` at `now`, one entry per user, by name.
    func viewers(of inquiry: Int64, except userID: Int64, now: Int64) -> [String] {
        let list = lock.reading { marks[inquiry] ?? [] }
        var names: [Int64: String] = [:]
        for viewer in list where viewer.userID != userID && now - viewer.seenAt < window {
            names[viewer.userID] = viewer.name
        }
        return names.values.sorted()
    }
}
