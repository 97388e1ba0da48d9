// scan-and-file: scans spooled mail with clamd and files it into the database
// (cron, every minute, user madoguchi). Thin: the work is MadoguchiInbox.ScanAndFile.

import Foundation
import MadoguchiCore
import MadoguchiInbox

@main
struct ScanAndFileMain {
    static let tool = ToolDescription(name: ScanAndFile.program, usage: ["scan-and-file [-nv] [--config file]"])

    static func main() {
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
