// The send-replies kill matrix (issue 10, send-replies(8) DELIVERY): three queued replies,
// the built send-replies killed with SIGKILL at each crash point on the first, second and
// third reply, then run again without the crash, all against a real Postfix delivering
// into the Dovecot Maildir. For every reply: delivered at most once; delivered means
// `sent` or `unconfirmed`; not delivered means it went out on the second run (`sent`) or
// is `unconfirmed` for an operator to resend — never lost, never sent twice. The table
// `expected` says exactly which, and why, for each point.

import Foundation
import MadoguchiCore
import MadoguchiInbox
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite(.blocksThreads) struct SendRepliesCrashTests {
    /// Where send-replies is killed, in the order one message passes them.
    static let points = ["before-data", "before-final-dot", "after-accepted"]

    /// What reply `k` (0-based, in sending order) is after a run killed at `point` on
    /// reply `n` (0-based) and one clean run: (delivered, state).
    ///
    /// - `before-data` (after the previous reply's 250 and its commit, before this reply's
    ///   MAIL FROM): reply n was never offered, so it stays queued and the second run sends
    ///   it; the previous reply is `sent`. This proves "a crash before the relay has a
    ///   message does not lose it".
    /// - `before-final-dot` (the attempt committed, the message written, the dot not):
    ///   Postfix drops a message whose DATA never ended, so reply n is not delivered; but
    ///   the database cannot tell this from a crash right after the dot, so it is
    ///   `unconfirmed` (the price of never sending twice): not lost, visible, and the
    ///   operator's "send again" delivers it (checked below). The previous reply's 250 was
    ///   committed with that record, so it is `sent`.
    /// - `after-accepted` (the relay answered 250, not yet committed): reply n is
    ///   delivered and `unconfirmed` — never sent a second time by the next run. This
    ///   proves "a crash after the relay's 250 and before our commit does not send it twice".
    ///
    /// Replies after n were still queued and go out once on the second run.
    static func expected(point: String, crashAt n: Int, reply k: Int) -> (delivered: Bool, state: String) {
        switch point {
        case "before-data": (true, "sent")
        case "before-final-dot": k == n ? (false, "unconfirmed") : (true, "sent")
        default: (true, k == n ? "unconfirmed" : "sent")
        }
    }

    @Test(
        "SIGKILL at every crash point on every reply: each delivered at most once, none lost", .timeLimit(.minutes(2)))
    func killMatrix() throws {
        let relay = try PostfixRelay()
        let postfix = relay.postfix
        var kills = 0
        for point in Self.points {
            for n in 0..<3 {
                let fixture = try SendRepliesFixture(
                    configuration: "smtp_relay = 127.0.0.1:\(postfix.plainPort)\nsmtp_tls = none\n")
                // Ordered by send_after: reply k is the k-th to go out.
                let queued = try (0..<3).map { k in
                    try fixture.queue(
                        customer: postfix.mailbox, body: "\(point) \(n) 返信\(k)\n", ago: Int64(300 - k * 60))
                }
                let killed = try fixture.run(environment: [CrashPoint.environmentVariable: "\(point):\(n + 1)"])
                #expect(killed.killed, "\(point):\(n + 1) was not reached: \(killed.status) \(killed.errors)")
                if killed.killed { kills += 1 }
                let clean = try fixture.run()
                #expect(clean.status == 0, "\(point):\(n + 1): \(clean.errors)")
                try postfix.waitUntilQueueEmpty()
                let delivered = try relay.delivered()
                for (k, reply) in queued.enumerated() {
                    let want = Self.expected(point: point, crashAt: n, reply: k)
                    let copies = delivered[reply.messageID]?.count ?? 0
                    #expect(
                        copies == (want.delivered ? 1 : 0), "\(point):\(n + 1) reply \(k) delivered \(copies) times")
                    #expect(try fixture.state(reply.reply) == want.state, "\(point):\(n + 1) reply \(k)")
                    // The thread shows exactly the replies the database knows were sent.
                    #expect(try fixture.outMessages(reply.inquiry).count == (want.state == "sent" ? 1 : 0))
                }
                let unconfirmed = (0..<3).filter {
                    Self.expected(point: point, crashAt: n, reply: $0).state == "unconfirmed"
                }
                #expect(
                    try fixture.lastRun()?.counts["unconfirmed"] == Int64(unconfirmed.count),
                    "\(point):\(n + 1): the clean run reconciled what the killed one left")

                // The operator's answer to an unconfirmed reply: one that never arrived is
                // sent again, and then arrives exactly once.
                if point == "before-final-dot" {
                    let lost = queued[n]
                    try fixture.database.write { tx in
                        try Outbox(keys: fixture.admin.instance.keys).resend(
                            reply: lost.reply, actor: fixture.actor, now: JobRun.now() - 3600, in: tx)
                    }
                    let resent = try fixture.run()
                    #expect(resent.status == 0, "\(resent.errors)")
                    try postfix.waitUntilQueueEmpty()
                    #expect(try relay.delivered()[lost.messageID]?.count == 1)
                    #expect(try fixture.state(lost.reply) == "sent")
                }
            }
        }
        #expect(kills == 9)
    }
}
