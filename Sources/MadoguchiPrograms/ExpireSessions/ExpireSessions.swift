// ExpireSessions: the body of expire-sessions(8) (cron, every 5 minutes): ends every web
// session past `session_idle_timeout` or `session_max_age`, one `auto-logout` audit entry
// each, and records the run in `job_runs`. The page also ends an expired session when it
// is next used; this run catches the ones never used again.
// SECURITY: reads and writes only the sessions and audit tables; prints nothing on success.

import MadoguchiCore
import MadoguchiInbox
import MadoguchiStore

/// The expire-sessions program.
public enum ExpireSessions {
    /// The program name (job_runs, log tag, lock file).
    public static let program = "expire-sessions"

    /// The program's description (usage equals the man page SYNOPSIS).
    public static let tool = ToolDescription(name: program, usage: ["expire-sessions [-nv] [--config file]"])

    /// Runs expire-sessions under `ToolMain` and exits.
    public static func main() -> Never {
        ToolMain.run(tool) { context in
            guard context.arguments.operands.isEmpty else { throw UsageError("unexpected arguments") }
            return try run(configuration: context.configuration, log: context.log)
        }
    }

    /// One run.
    /// - Parameters:
    ///   - configuration: the instance configuration.
    ///   - log: the program's logger (`-v` reports the count).
    ///   - now: Unix time.
    /// - Returns: `.ok`.
    /// - Throws: start-up errors (configuration, keys, database; busy is transient) and
    ///   the expiry's errors, after recording the run as failed or tempfail.
    public static func run(configuration: Configuration, log: Log, now: Int64 = JobRun.now()) throws -> SysExit {
        let instance = try InstanceDatabase.open(configuration: configuration)
        let job = try JobRun.start(program: program, connection: instance.database.connection, now: now)
        let ended: Int
        do {
            ended = try Sessions(database: instance.database, configuration: Sessions.Configuration(configuration))
                .expire(now: now, by: program)
        } catch {
            let exit: SysExit = (error as? any MadoguchiError)?.isTransient == true ? .tempFail : .software
            try? job.finish(exit: exit, message: "\(error)", now: now)
            throw error
        }
        try job.finish(exit: .ok, counts: ["ended": Int64(ended)], now: now)
        log.debug("ended \(ended) expired sessions")
        return .ok
    }
}
