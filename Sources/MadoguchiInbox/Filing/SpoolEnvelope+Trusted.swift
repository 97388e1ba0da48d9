// SpoolEnvelope+Trusted: the envelope the database files by — the spool file's
// metadata with the intake id replaced by the database's own (IntakeID) and the size
// taken from the bytes, so nothing in a planted envelope decides what is a duplicate.

import MadoguchiCrypto
import MadoguchiMail

extension SpoolEnvelope {
    /// This envelope with the database's intake id of `raw` and `raw`'s size.
    /// - Throws: `CryptoError`.
    public func trusted(_ raw: [UInt8], keys: KeyRing) throws -> SpoolEnvelope {
        SpoolEnvelope(
            intakeID: try IntakeID.of(raw, mailbox: mailbox, keys: keys), mailbox: mailbox, source: source,
            fetchedAt: fetchedAt, size: raw.count)
    }
}
