// send-replies: sends the outbox's due replies to the SMTP relay (cron, every minute,
// user madoguchi). Thin: the work is MadoguchiPrograms.SendReplies.

import MadoguchiPrograms

@main
struct SendRepliesMain {
    static func main() {
        SendReplies.main()
    }
}
