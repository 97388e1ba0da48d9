// expire-sessions: ends expired web sessions with an auto-logout audit entry each
// (cron, every 5 minutes, user madoguchi). Thin: the work is MadoguchiPrograms.ExpireSessions.

import MadoguchiPrograms

@main
struct ExpireSessionsMain {
    static func main() {
        ExpireSessions.main()
    }
}
