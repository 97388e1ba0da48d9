// IconvDecoder: glibc iconv to UTF-8 with manual skipping, so one bad byte costs
// one U+FFFD instead of the whole text. Only called with fixed or checked charset
// names (no "//" suffixes reach iconv_open).

import Glibc

/// Lenient iconv conversion to UTF-8.
enum IconvDecoder {
    /// Whether iconv knows the charset `name`.
    static func isSupported(_ name: String) -> Bool {
        IconvCache.current.withDescriptor(name) { _ in true } ?? false
    }

    /// Appends the UTF-8 conversion of `bytes` from charset `name` to `out`.
    /// - Returns: the number of invalid or incomplete sequences replaced by U+FFFD
    ///   (`Int.max` if the charset is unknown, with the bytes appended as repaired UTF-8).
    @discardableResult
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, from name: String, into out: inout [UInt8]) -> Int {
        guard bytes.count > 0 else { return 0 }
        let result = IconvCache.current.withDescriptor(name) { convert(bytes, with: $0, into: &out) }
        guard let result else {
            UTF8Validation.appendRepairing(bytes, into: &out)
            return Int.max
        }
        return result
    }

    private static func convert(_ bytes: UnsafeBufferPointer<UInt8>, with cd: iconv_t, into out: inout [UInt8]) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let capacity = max(256, bytes.count * 3)
        let scratch = UnsafeMutablePointer<CChar>.allocate(capacity: capacity)
        defer { scratch.deallocate() }
        var input: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: base).assumingMemoryBound(
            to: CChar.self)
        var inputLeft = bytes.count
        var errors = 0
        func flush(_ produced: Int) {
            scratch.withMemoryRebound(to: UInt8.self, capacity: produced) {
                out.append(contentsOf: UnsafeBufferPointer(start: $0, count: produced))
            }
        }
        while inputLeft > 0 {
            var output: UnsafeMutablePointer<CChar>? = scratch
            var outputLeft = capacity
            let result = iconv(cd, &input, &inputLeft, &output, &outputLeft)
            let failure = result == -1 ? errno : 0
            flush(capacity - outputLeft)
            if result != -1 { break }
            switch failure {
            case E2BIG:
                continue
            case EILSEQ:
                out.append(contentsOf: UTF8Validation.replacement)
                errors += 1
                input = input.map { $0 + 1 }
                inputLeft -= 1
                // Reset shift state after an error so the rest can still decode.
                iconv(cd, nil, nil, nil, nil)
            default:
                // EINVAL: an incomplete sequence at the end.
                out.append(contentsOf: UTF8Validation.replacement)
                errors += 1
                inputLeft = 0
            }
        }
        var output: UnsafeMutablePointer<CChar>? = scratch
        var outputLeft = capacity
        if iconv(cd, nil, nil, &output, &outputLeft) != -1 { flush(capacity - outputLeft) }
        return errors
    }
}
