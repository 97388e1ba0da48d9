// Migration0003ThreadClaimsSenderRate: what threading and the per-sender limit need
// (madoguchi-security(7) A25, A27): the inquiry a new inquiry claimed to continue
// without proof, and the customer of each incoming message, indexed by time.
// SECURITY: both are ids (clear metadata, like `inquiries.customer_id`).

/// Migration 3: `inquiries.claimed_inquiry_id`, `messages.customer_id` (filled in for
/// existing incoming messages from their inquiry: before this version a message joined
/// only inquiries of its own customer) and the index the sender limit counts with.
enum Migration0003ThreadClaimsSenderRate {
    static let migration = Migration(number: 3, name: "thread_claims_sender_rate", sql: sql)

    private static let sql = """
        ALTER TABLE inquiries ADD COLUMN claimed_inquiry_id INTEGER
            CHECK (claimed_inquiry_id IS NULL OR claimed_inquiry_id > 0);

        ALTER TABLE messages ADD COLUMN customer_id INTEGER REFERENCES customers (id);
        UPDATE messages SET customer_id = (SELECT customer_id FROM inquiries WHERE inquiries.id = messages.inquiry_id)
            WHERE direction = 'in';
        CREATE INDEX messages_customer_received ON messages (customer_id, received_at) WHERE direction = 'in';
        """
}
