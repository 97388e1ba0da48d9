// scan-and-file: scans spooled mail with clamd and files it into the database
// (cron, every minute, user madoguchi). Thin: the work is MadoguchiPrograms.ScanAndFile.

import MadoguchiPrograms

@main
struct ScanAndFileMain {
    static func main() {
        ScanAndFile.main()
    }
}
