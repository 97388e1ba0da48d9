// ParameterList: builds the OSSL_PARAM arrays that OpenSSL 3 EVP_KDF, EVP_MAC and
// EVP_PKEY calls take, owning every buffer the array points to.
// SECURITY: octet-string buffers (keys, passwords) are cleansed before they are freed.

import COpenSSL

/// An owned `OSSL_PARAM` array. Used from one thread for the duration of one call.
final class ParameterList {
    private var params: [OSSL_PARAM] = []
    private var allocations: [UnsafeMutableRawBufferPointer] = []

    init() {}

    private func copy(_ bytes: UnsafeRawBufferPointer, extra: Int = 0) -> UnsafeMutableRawBufferPointer {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count + extra, 1), alignment: 16)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        if bytes.count > 0 { buffer.copyMemory(from: bytes) }
        allocations.append(buffer)
        return buffer
    }

    private func name(_ key: String) -> UnsafePointer<CChar> {
        var key = key
        let buffer = key.withUTF8 { copy(UnsafeRawBufferPointer($0), extra: 1) }
        return UnsafePointer(buffer.baseAddress!.assumingMemoryBound(to: CChar.self))
    }

    /// Adds a UTF-8 string parameter (e.g. `digest = SHA256`).
    func utf8(_ key: String, _ value: String) {
        let keyPointer = name(key)
        var value = value
        let buffer = value.withUTF8 { copy(UnsafeRawBufferPointer($0), extra: 1) }
        params.append(
            OSSL_PARAM_construct_utf8_string(
                keyPointer, buffer.baseAddress!.assumingMemoryBound(to: CChar.self), buffer.count - 1))
    }

    /// Adds an octet-string parameter (a key, salt, info or password); the bytes are copied.
    func octets(_ key: String, _ bytes: UnsafeRawBufferPointer) {
        let keyPointer = name(key)
        let buffer = copy(bytes)
        params.append(OSSL_PARAM_construct_octet_string(keyPointer, buffer.baseAddress, bytes.count))
    }

    /// Adds an octet-string parameter from an array.
    func octets(_ key: String, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { octets(key, $0) }
    }

    /// Adds an unsigned 64-bit integer parameter.
    func uint64(_ key: String, _ value: UInt64) {
        let keyPointer = name(key)
        let buffer = withUnsafeBytes(of: value) { copy($0) }
        params.append(OSSL_PARAM_construct_uint64(keyPointer, buffer.baseAddress!.assumingMemoryBound(to: UInt64.self)))
    }

    /// Adds an unsigned 32-bit integer parameter.
    func uint32(_ key: String, _ value: UInt32) {
        let keyPointer = name(key)
        let buffer = withUnsafeBytes(of: value) { copy($0) }
        params.append(OSSL_PARAM_construct_uint(keyPointer, buffer.baseAddress!.assumingMemoryBound(to: UInt32.self)))
    }

    /// Calls `body` with the terminated array.
    func withParameters<R>(_ body: (UnsafePointer<OSSL_PARAM>) throws -> R) rethrows -> R {
        var terminated = params
        terminated.append(OSSL_PARAM_construct_end())
        return try terminated.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    deinit {
        for buffer in allocations {
            OPENSSL_cleanse(buffer.baseAddress, buffer.count)
            buffer.deallocate()
        }
    }
}
