// ReplyState: where a reply is on its way from draft to sent (`replies.state`).
//
//   draft ─send─▶ queued ─(send_after passed) begin─▶ sending ─sent─▶ sent
//     ▲   └─send (approval)─▶ awaiting_approval ─approve─▶ queued
//     ├──────── cancel (before send_after) ◀── queued
//     └──────── return (with a comment) ◀── awaiting_approval
//   sending ─retry (4xx)─▶ queued · ─failed (5xx, lifetime over)─▶ failed
//   sending ─(run killed after the final dot)─ reconcile ─▶ unconfirmed
//   failed, unconfirmed ─resend─▶ queued · unconfirmed ─mark sent─▶ sent · sent ─bounce─▶ failed

/// The state of a reply; the raw value is the stored text.
public enum ReplyState: String, Sendable, Equatable, CaseIterable {
    /// Being written; only its author sees and edits it.
    case draft = "draft"
    /// Waiting for a user with `approve`.
    case awaitingApproval = "awaiting_approval"
    /// In the outbox: cancellable until `send_after`, then send-replies takes it.
    case queued = "queued"
    /// send-replies is sending it (committed before SMTP DATA).
    case sending = "sending"
    /// A run was killed after the final dot: the relay may have it. Never resent
    /// automatically; an operator resends it or marks it sent.
    case unconfirmed = "unconfirmed"
    /// The relay accepted it.
    case sent = "sent"
    /// The relay refused it for good, temporary failures outlived
    /// `send_queue_lifetime`, or it bounced.
    case failed = "failed"
}
