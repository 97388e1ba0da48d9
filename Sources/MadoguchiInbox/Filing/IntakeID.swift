// IntakeID: the database's own id of a received message — hex HMAC-SHA256 under the
// `intake` sub-key of mailbox name, a zero byte and the raw bytes. `messages.intake_id`
// and `quarantine.intake_id` are unique on it, so the same bytes from the same mailbox
// are filed once however often they are fetched, re-queued or planted.
// SECURITY: computed from the decrypted bytes on the database side, never taken from a
// spool envelope (a planted envelope could otherwise make a message a "duplicate" and
// get it unlinked); keyed, so the id in clear confirms nothing without the keys
// (madoguchi-security(7), FIELD ENCRYPTION).

import MadoguchiCrypto

/// Intake ids.
public enum IntakeID {
    /// The intake id of `raw` received through `mailbox`: 64 lower-case hex digits.
    /// - Throws: `CryptoError`.
    public static func of(_ raw: [UInt8], mailbox: String, keys: KeyRing) throws -> String {
        var input = Array(mailbox.utf8)
        input.append(0)
        input.append(contentsOf: raw)
        return Hex.encode(try HMAC.sha256(key: keys.key(for: .intakeID), data: input))
    }
}
