// fetch-forwarded-mail: fetches the forwarded mailboxes into the sealed spool
// (run by cron every minute as madoguchi-fetch). Thin: the work is FetchProgram.

import MadoguchiFetch

@main
struct FetchForwardedMail {
    static func main() {
        FetchProgram.main()
    }
}
