// CryptoError: failures of OpenSSL calls. Authentication failures are deliberately
// generic: they never say which check failed and carry no plaintext.

import COpenSSL
import MadoguchiCore

/// A cryptographic failure.
public enum CryptoError: MadoguchiError, Equatable {
    /// A ciphertext, tag, blob or key did not verify. Deliberately generic.
    case authenticationFailed
    /// A blob or key file is not in a recognised format.
    case malformed(String)
    /// The key id named by a blob is not in the key ring.
    case unknownKey
    /// An OpenSSL call failed; `detail` is the drained error queue.
    case library(function: String, detail: String)

    public var description: String {
        switch self {
        case .authenticationFailed: "decryption failed"
        case .malformed(let what): "malformed \(what)"
        case .unknownKey: "decryption failed"
        case .library(let function, let detail): "\(function) failed\(detail.isEmpty ? "" : ": " + detail)"
        }
    }

    public var exitCode: SysExit {
        switch self {
        case .authenticationFailed, .malformed, .unknownKey: .dataError
        case .library: .software
        }
    }

    /// Builds a `.library` error from OpenSSL's error queue, draining it.
    public static func openssl(_ function: String) -> CryptoError {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            if messages.count < 4 {
                messages.append(
                    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
        }
        return .library(function: function, detail: messages.joined(separator: "; "))
    }
}
