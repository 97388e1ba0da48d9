// fetch-forwarded-mail: fetches the forwarded mailboxes into the sealed spool
// (run by cron every minute as madoguchi-fetch). Thin: the work is FetchCommand.

import MadoguchiCore
import MadoguchiMail

@main
struct FetchForwardedMail {
    static func main() {
        ToolMain.run(FetchCommand.tool) { context in try FetchCommand.run(context) }
    }
}
