// OutgoingCharset: the charsets a reply can be written in. UTF-8 carries every
// character; ISO-2022-JP is what older Japanese mail clients and many companies'
// rules expect, written as Microsoft's CP50221 (see ISO2022JPEncoder).

/// The charset of a reply's subject and body.
public enum OutgoingCharset: String, Sendable, Equatable, CaseIterable {
    /// UTF-8 (RFC 3629): quoted-printable or base64 bodies, whichever is smaller.
    case utf8 = "UTF-8"
    /// ISO-2022-JP (RFC 1468) with the NEC and IBM extensions of CP50221, 7bit bodies.
    case iso2022JP = "ISO-2022-JP"
}
