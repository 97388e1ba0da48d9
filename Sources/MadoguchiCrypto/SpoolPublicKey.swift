// SpoolPublicKey: the public half of the spool key pair, all that fetch-forwarded-mail
// holds: it can seal spool files but not open them.
// File: `madoguchi-spool-public-key v1 <base64>` (0644).

/// The public half: what the fetcher seals spool files to.
public struct SpoolPublicKey: PublicKeyFile, Sendable, Equatable {
    /// The record tag of the public key file.
    public static let fileTag = "madoguchi-spool-public-key"
    /// The file name under `key_directory`.
    public static let fileName = "spool.pub"
    /// The comment line of the public key file.
    public static let fileComment = "Madoguchi spool public key (fetch-forwarded-mail seals to it)."
    /// The 32-byte X25519 public key.
    public let rawRepresentation: [UInt8]

    /// Wraps raw bytes.
    /// - Throws: `CryptoError.malformed` unless 32 bytes.
    public init(rawRepresentation: [UInt8]) throws {
        guard rawRepresentation.count == 32 else { throw CryptoError.malformed("spool public key") }
        self.rawRepresentation = rawRepresentation
    }
}
