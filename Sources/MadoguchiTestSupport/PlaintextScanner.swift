// PlaintextScanner: finds known plaintext in raw file bytes in UTF-8, UTF-16, ISO-2022-JP,
// Shift_JIS/CP932 and EUC-JP (glibc iconv), and in the base64 (all alignments) and
// quoted-printable forms of each — proof that databases, WALs and backups hold ciphertext.

import Foundation
import Glibc

/// Searches bytes for encodings of known strings.
public enum PlaintextScanner {
    /// One byte pattern to look for, with a label saying which string and encoding.
    public struct Needle: Sendable, Hashable {
        /// E.g. `subject/ISO-2022-JP/base64+1`.
        public let label: String
        /// The bytes searched for.
        public let bytes: [UInt8]
    }

    /// The iconv charsets tried for every string.
    public static let charsets = [
        "UTF-8", "UTF-16LE", "UTF-16BE", "ISO-2022-JP", "SHIFT_JIS", "CP932", "EUC-JP", "EUC-JP-MS",
    ]

    /// Shortest needle searched, so random ciphertext cannot match by chance.
    public static let minimumLength = 6

    /// Converts UTF-8 text to another charset with glibc iconv.
    /// - Returns: the bytes, or nil if the charset is unknown or cannot represent the text.
    public static func encode(_ text: String, charset: String) -> [UInt8]? {
        let descriptor = iconv_open(charset, "UTF-8")
        guard let descriptor, Int(bitPattern: descriptor) != -1 else { return nil }
        defer { iconv_close(descriptor) }
        var input = Array(text.utf8).map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: input.count * 4 + 16)
        var inputLeft = input.count
        var outputLeft = output.count
        let result = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer = inBuffer.baseAddress
                var outPointer = outBuffer.baseAddress
                var status = iconv(descriptor, &inPointer, &inputLeft, &outPointer, &outputLeft)
                if status != -1 {
                    // Flush the shift state (ISO-2022-JP returns to ASCII with ESC ( B).
                    status = iconv(descriptor, nil, nil, &outPointer, &outputLeft)
                }
                return status
            }
        }
        guard result != -1, inputLeft == 0 else { return nil }
        return output.prefix(output.count - outputLeft).map { UInt8(bitPattern: $0) }
    }

    /// Every needle for `text`: each charset's bytes (plus, for ISO-2022-JP, the runs
    /// between escape sequences), and the base64 and quoted-printable forms of each.
    /// - Parameter label: names the string in findings (never the string itself).
    public static func needles(for text: String, label: String) -> [Needle] {
        var forms: [(String, [UInt8])] = []
        for charset in charsets {
            guard let bytes = encode(text, charset: charset) else { continue }
            forms.append((charset, bytes))
            if charset == "ISO-2022-JP" {
                for (index, run) in escapeFreeRuns(bytes).enumerated() {
                    forms.append(("\(charset)/run\(index)", run))
                }
            }
        }
        var result: [Needle] = []
        var seen: Set<[UInt8]> = []
        func add(_ name: String, _ bytes: [UInt8]) {
            guard bytes.count >= minimumLength, seen.insert(bytes).inserted else { return }
            result.append(Needle(label: "\(label)/\(name)", bytes: bytes))
        }
        for (name, bytes) in forms {
            add(name, bytes)
            for shift in 0..<3 { add("\(name)/base64+\(shift)", base64Core(bytes, shift: shift)) }
            add("\(name)/qp", quotedPrintable(bytes, uppercase: true))
            add("\(name)/qp-lower", quotedPrintable(bytes, uppercase: false))
        }
        return result
    }

    /// The labels of the needles found in `data`.
    public static func findings(in data: [UInt8], needles: [Needle]) -> [String] {
        needles.filter { contains(data, $0.bytes) }.map(\.label)
    }

    /// Base64 of `bytes` as it appears when preceded by `shift` other bytes, without
    /// the characters that depend on the neighbouring bytes.
    static func base64Core(_ bytes: [UInt8], shift: Int) -> [UInt8] {
        let padded = [UInt8](repeating: 0, count: shift) + bytes
        let encoded = Array(Data(padded).base64EncodedString().utf8)
        let dropFront = shift == 0 ? 0 : 4
        let dropBack = 4
        guard encoded.count > dropFront + dropBack else { return [] }
        return Array(encoded[dropFront..<(encoded.count - dropBack)])
    }

    /// Quoted-printable (RFC 2045) without soft line breaks.
    static func quotedPrintable(_ bytes: [UInt8], uppercase: Bool) -> [UInt8] {
        let digits = Array((uppercase ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
        var out: [UInt8] = []
        for byte in bytes {
            if (0x21...0x7E).contains(byte) && byte != 0x3D || byte == 0x20 {
                out.append(byte)
            } else {
                out += [0x3D, digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
            }
        }
        return out
    }

    /// The byte runs of an ISO-2022-JP string between its escape sequences.
    static func escapeFreeRuns(_ bytes: [UInt8]) -> [[UInt8]] {
        var runs: [[UInt8]] = []
        var current: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x1B {
                if !current.isEmpty { runs.append(current) }
                current = []
                index += 3
            } else {
                current.append(bytes[index])
                index += 1
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    /// True if `needle` occurs in `haystack`.
    public static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        return haystack.withUnsafeBytes { hay in
            needle.withUnsafeBytes { pattern in
                // memchr for the first byte, memcmp for the rest (memmem is a GNU extension).
                guard let start = hay.baseAddress, let target = pattern.baseAddress else { return false }
                let first = Int32(pattern[0])
                var offset = 0
                let last = hay.count - pattern.count
                while offset <= last {
                    guard let hit = memchr(start + offset, first, last - offset + 1) else { return false }
                    let position = start.distance(to: UnsafeRawPointer(hit))
                    if memcmp(start + position, target, pattern.count) == 0 { return true }
                    offset = position + 1
                }
                return false
            }
        }
    }
}

extension PlaintextScanner {
    /// Quoted-printable (upper-case hex) of `bytes`, for scanner self-tests.
    public static func quotedPrintableForTesting(_ bytes: [UInt8]) -> [UInt8] {
        quotedPrintable(bytes, uppercase: true)
    }
}
