// Scrypt: the scrypt KDF (RFC 7914) through OpenSSL's EVP_KDF "SCRYPT", with an
// explicit memory limit (OpenSSL's default 32 MB refuses N=2^17, r=8).

import COpenSSL

/// scrypt key derivation.
public enum Scrypt {
    /// The memory limit passed to OpenSSL (256 MiB); N=2^17, r=8 needs just over 128 MiB.
    public static let maximumMemory: UInt64 = 256 * 1024 * 1024

    /// `nonisolated(unsafe)`: fetched once; EVP_KDF objects are immutable and thread-safe.
    nonisolated(unsafe) private static let kdf: OpaquePointer? = EVP_KDF_fetch(nil, "SCRYPT", nil)

    /// Derives `length` bytes from a password.
    /// - Parameters:
    ///   - password: the password bytes.
    ///   - salt: the salt.
    ///   - logN: log2 of the CPU/memory cost N (1...24).
    ///   - r: block size.
    ///   - p: parallelism.
    ///   - length: output bytes.
    /// - Returns: the derived bytes.
    /// - Throws: `CryptoError.library` if OpenSSL refuses (e.g. over the memory limit).
    public static func derive(
        password: UnsafeRawBufferPointer, salt: [UInt8], logN: Int, r: UInt32, p: UInt32, length: Int
    ) throws -> [UInt8] {
        precondition((1...24).contains(logN) && r > 0 && p > 0 && length > 0, "scrypt parameters out of range")
        guard let ctx = EVP_KDF_CTX_new(kdf) else { throw CryptoError.openssl("EVP_KDF_CTX_new") }
        defer { EVP_KDF_CTX_free(ctx) }
        let params = ParameterList()
        params.octets("pass", password)
        params.octets("salt", salt)
        params.uint64("n", UInt64(1) << UInt64(logN))
        params.uint32("r", r)
        params.uint32("p", p)
        params.uint64("maxmem_bytes", maximumMemory)
        var output = [UInt8](repeating: 0, count: length)
        let ok = params.withParameters { EVP_KDF_derive(ctx, &output, length, $0) }
        guard ok == 1 else { throw CryptoError.openssl("EVP_KDF_derive(SCRYPT)") }
        return output
    }
}
