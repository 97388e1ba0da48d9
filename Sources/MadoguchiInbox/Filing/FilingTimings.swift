// FilingTimings: optional wall-clock counters of scan-and-file's stages (spool read,
// clamd, parse, search tokens, filing thread waiting for scans, encrypt+insert, index,
// commit, unlink), printed with -v or when MADOGUCHI_TIMINGS=1. Seconds only: no
// message content.

import Foundation
import MadoguchiCore

/// Accumulated seconds per stage. Used from the filing thread only.
public final class FilingTimings {
    /// Stage names in the order they run.
    public static let stages = ["read", "scan", "parse", "tokens", "wait", "store", "index", "commit", "unlink"]
    /// Whether counting is on (off: `measure` just runs the body).
    public let enabled: Bool
    private var seconds: [String: Double] = [:]

    /// Creates counters.
    public init(enabled: Bool) { self.enabled = enabled }

    /// Runs `body`, adding its duration to `stage`.
    public func measure<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
        guard enabled else { return try body() }
        let start = Monotonic.now()
        defer { seconds[stage, default: 0] += Monotonic.now() - start }
        return try body()
    }

    /// Adds seconds measured elsewhere (e.g. by a scanning thread).
    public func add(_ stage: String, _ value: Double) {
        if enabled { seconds[stage, default: 0] += value }
    }

    /// The seconds spent in a stage.
    public func total(_ stage: String) -> Double { seconds[stage] ?? 0 }

    /// One line: `read=0.120s scan=1.503s ...` in stage order.
    public var summary: String {
        FilingTimings.stages.map { "\($0)=" + String(format: "%.3fs", total($0)) }.joined(separator: " ")
    }
}
