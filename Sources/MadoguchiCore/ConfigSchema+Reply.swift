// ConfigSchema+Reply: the send_* and reply_* parameters: the undo window a queued
// reply waits before send-replies may send it, how long a reply that keeps failing
// with temporary errors stays queued, and the size limits of reply attachments
// (madoguchi-security(7) C5).

extension ConfigKey<Double> {
    /// `send_delay`, in seconds.
    public static let sendDelay = duration(
        "send_delay", default: "60s",
        "How long a sent reply waits in the outbox, cancellable, before send-replies may send it (0s to 1h).")

    /// `send_queue_lifetime`, in seconds.
    public static let sendQueueLifetime = duration(
        "send_queue_lifetime", default: "2d",
        "A reply the relay still refuses with temporary errors this long after it was queued is marked failed.")
}

extension ConfigKey<Int64> {
    /// `reply_attachment_max`, in bytes.
    public static let replyAttachmentMax = size(
        "reply_attachment_max", default: "10M", "Largest file an operator may attach to one reply.")

    /// `reply_attachment_total_max`, in bytes.
    public static let replyAttachmentTotalMax = size(
        "reply_attachment_total_max", default: "15M",
        "Most bytes of attachments one reply may carry, all files together.")
}
