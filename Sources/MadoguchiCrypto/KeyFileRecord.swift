// KeyFileRecord: one parsed `<tag> v1 [id=N] <base64>` line of a key file (see KeyFile).
// SECURITY: `bytes` holds key material; the caller cleanses it.

/// One parsed key line.
struct KeyFileRecord {
    /// The 1-based line number.
    let line: Int
    /// The key id (`id=N`), or nil when the format has none.
    let id: UInt32?
    /// The decoded key bytes (caller cleanses).
    var bytes: [UInt8]
}
