// DecimalText: the decimal digits of an integer appended to a byte buffer, as
// `String(value)` writes them but without making a String: for the hot paths that
// build bytes (a field's associated data, the page's HTML).

/// Decimal digits into byte buffers.
public enum DecimalText {
    /// Appends the digits of `value` (a leading `-` when negative).
    /// - Parameters:
    ///   - value: the number.
    ///   - bytes: the buffer.
    public static func append(_ value: Int64, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(0x2D) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 19 digits at most, the last first
        withUnsafeMutableBytes(of: &digits) { raw in
            var count = 0
            repeat {
                raw[count] = UInt8(truncatingIfNeeded: 0x30 + magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(raw[index]) }
        }
    }
}
