// ISO2022JPDecoder: ISO-2022-JP read as CP50220/CP50221. glibc's ISO-2022-JP
// rejects the NEC row 13 (① ㈱ Ⅲ) and NEC-selected IBM rows 89–92 real mailers
// send, so JIS X 0208 pairs are mapped arithmetically to CP932 and decoded with
// iconv CP932; ESC ( I and SO/SI half-width kana map to CP932 single bytes.

/// ISO-2022-JP (with the Microsoft extensions) to UTF-8.
enum ISO2022JPDecoder {
    private enum Mode {
        case ascii
        case kana
        case jis0208
        case jis0212
    }

    /// Appends the UTF-8 text of `bytes` to `out`.
    /// - Returns: the number of invalid sequences replaced by U+FFFD (8-bit bytes,
    ///   unknown escapes, odd trailing bytes); 0 for clean input.
    @discardableResult
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Int {
        var pending = [UInt8]()  // CP932 bytes awaiting conversion
        var errors = 0
        var mode = Mode.ascii
        var shifted = false  // SO active (CP50222 kana)
        var index = 0
        let count = bytes.count
        func flushPending() {
            if pending.isEmpty { return }
            pending.withUnsafeBufferPointer { errors += IconvDecoder.decode($0, from: "CP932", into: &out) }
            pending.removeAll(keepingCapacity: true)
        }
        func invalid() {
            // 0xFF is never valid CP932: iconv turns it into U+FFFD (and counts it)
            // without a flush, so hostile input cannot force one iconv_open per byte.
            pending.append(0xFF)
        }
        while index < count {
            let byte = bytes[index]
            if byte == 0x1B {
                if let (newMode, length) = escape(bytes, at: index) {
                    mode = newMode
                    index += length
                } else {
                    invalid()
                    index += 1
                }
                continue
            }
            if byte == 0x0E {
                shifted = true
                index += 1
                continue
            }
            if byte == 0x0F {
                shifted = false
                index += 1
                continue
            }
            if byte >= 0x80 {
                invalid()
                index += 1
                continue
            }
            if byte == 0x0A || byte == 0x0D {
                // Lenient: a line end ends any double-byte run.
                mode = .ascii
                shifted = false
                pending.append(byte)
                index += 1
                continue
            }
            if shifted && byte >= 0x21 && byte <= 0x5F {
                pending.append(byte | 0x80)
                index += 1
                continue
            }
            switch mode {
            case .ascii:
                pending.append(byte)
                index += 1
            case .kana:
                if byte >= 0x21 && byte <= 0x5F { pending.append(byte | 0x80) } else { pending.append(byte) }
                index += 1
            case .jis0208, .jis0212:
                if byte < 0x21 || byte > 0x7E {
                    pending.append(byte)
                    index += 1
                    continue
                }
                guard index + 1 < count, bytes[index + 1] >= 0x21, bytes[index + 1] <= 0x7E else {
                    invalid()
                    index += 1
                    continue
                }
                if mode == .jis0212 {
                    invalid()
                } else {
                    let (lead, trail) = shiftJIS(bytes[index], bytes[index + 1])
                    pending.append(lead)
                    pending.append(trail)
                }
                index += 2
            }
        }
        flushPending()
        return errors
    }

    /// The JIS X 0208 row/cell pair `j1 j2` as CP932 bytes.
    static func shiftJIS(_ j1: UInt8, _ j2: UInt8) -> (UInt8, UInt8) {
        var lead = (j1 - 0x21) >> 1 + 0x81
        if lead > 0x9F { lead += 0x40 }
        var trail: UInt8
        if j1 & 1 == 1 {
            trail = j2 + 0x1F
            if trail >= 0x7F { trail += 1 }
        } else {
            trail = j2 + 0x7E
        }
        return (lead, trail)
    }

    /// Recognises the escape sequence at `index`: its mode and length.
    private static func escape(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (Mode, Int)? {
        let count = bytes.count
        func at(_ offset: Int) -> UInt8 { index + offset < count ? bytes[index + offset] : 0 }
        switch (at(1), at(2)) {
        case (0x28, 0x42), (0x28, 0x4A), (0x28, 0x48): return (.ascii, 3)  // ESC ( B, ( J, ( H
        case (0x28, 0x49): return (.kana, 3)  // ESC ( I
        case (0x24, 0x40), (0x24, 0x42): return (.jis0208, 3)  // ESC $ @, ESC $ B
        case (0x26, 0x40):  // ESC & @ ESC $ B (JIS X 0208-1990)
            if at(3) == 0x1B && at(4) == 0x24 && at(5) == 0x42 { return (.jis0208, 6) }
            return nil
        case (0x24, 0x28):
            switch at(3) {
            case 0x42, 0x40, 0x51, 0x4F: return (.jis0208, 4)  // ESC $ ( B/@/Q/O
            case 0x44: return (.jis0212, 4)  // ESC $ ( D
            default: return nil
            }
        default: return nil
        }
    }
}
