// KeyPurpose: the purposes a data key is split into with HKDF, each with its own
// info label, so no two uses ever share key material.
// SECURITY: search keys are per mailbox and field, so tokens do not correlate across them.

/// What a derived sub-key is used for.
public enum KeyPurpose: Sendable, Hashable {
    /// AES-256-GCM field encryption (FieldCipher).
    case fieldEncryption
    /// Blind search tokens of one field of one mailbox (SearchTokenizer).
    case searchIndex(mailbox: String, field: String)
    /// The exact-match blind index of customer addresses.
    case customerAddressIndex
    /// Audit-log MACs.
    case audit
    /// CSRF synchronizer tokens.
    case csrf
    /// The database's own intake ids (IntakeID): the duplicate check of filed and
    /// quarantined mail, never taken from a spool envelope.
    case intakeID
    /// MACs of the threading tokens Madoguchi issues: `[#123-K7Q2MX]` subject tags and
    /// the Message-IDs of outgoing replies (Threading, madoguchi-security(7) A25).
    case threadToken
    /// MACs of the `/go` links the web page rewrites mail links into, so `/go` only
    /// ever shows destinations that came from a mail (no open redirect).
    case linkToken

    /// The HKDF info label for this purpose under data key `keyVersion`.
    /// - Throws: `CryptoError.malformed` if a mailbox or field name contains `|`
    ///   (it would make labels ambiguous).
    public func info(keyVersion: UInt32) throws -> [UInt8] {
        let label: String
        switch self {
        case .fieldEncryption: label = "field|\(keyVersion)"
        case .searchIndex(let mailbox, let field):
            guard !mailbox.contains("|"), !field.contains("|") else {
                throw CryptoError.malformed("search key label")
            }
            label = "fts|\(mailbox)|\(field)|\(keyVersion)"
        case .customerAddressIndex: label = "addr|\(keyVersion)"
        case .audit: label = "audit|\(keyVersion)"
        case .csrf: label = "csrf|\(keyVersion)"
        case .intakeID: label = "intake|\(keyVersion)"
        case .threadToken: label = "thread|\(keyVersion)"
        case .linkToken: label = "link|\(keyVersion)"
        }
        return Array(label.utf8)
    }
}
