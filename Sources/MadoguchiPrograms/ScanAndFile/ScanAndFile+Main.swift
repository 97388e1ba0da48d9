// ScanAndFile+Main: the whole scan-and-file program (usage line, arguments, timings
// report) for its one-call executable.

import Foundation
import MadoguchiCore
import MadoguchiInbox

extension ScanAndFile {
    /// The program's description (usage equals the man page SYNOPSIS).
    public static let tool = ToolDescription(name: program, usage: ["scan-and-file [-nv] [--config file]"])

    /// Runs scan-and-file under `ToolMain` and exits. With `-v` or `MADOGUCHI_TIMINGS=1`
    /// it logs where the time went.
    public static func main() -> Never {
        ToolMain.run(tool) { context in
            guard context.arguments.operands.isEmpty else { throw UsageError("unexpected arguments") }
            let timed = context.verbose || ProcessInfo.processInfo.environment["MADOGUCHI_TIMINGS"] == "1"
            let run = ScanAndFile(
                configuration: context.configuration, log: context.log, timings: FilingTimings(enabled: timed))
            let started = Monotonic.now()
            let exit = try run.run()
            if timed {
                context.log.info(
                    String(format: "timings: total=%.3fs ", Monotonic.now() - started) + run.timings.summary)
            }
            return exit
        }
    }
}
