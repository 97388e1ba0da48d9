// FileDescriptorWriter: write(2) loops that retry EINTR and short writes.
// Used for stdout/stderr output and for durable files.

import Glibc

/// Helpers to write whole buffers to a file descriptor.
public enum FileDescriptorWriter {
    /// Writes all bytes, retrying EINTR and short writes. Errors are ignored for
    /// stdout/stderr use; see `writeAllOrThrow` for files.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        _ = try? writeAllOrThrow(fd, bytes, context: "write")
    }

    /// Writes all bytes, retrying EINTR and short writes.
    /// - Throws: `SystemError` on a failed write.
    public static func writeAllOrThrow(_ fd: Int32, _ bytes: [UInt8], context: String) throws {
        try bytes.withUnsafeBytes { raw in
            try writeAllOrThrow(fd, raw, context: context)
        }
    }

    /// Writes all bytes of a raw buffer, retrying EINTR and short writes.
    /// - Throws: `SystemError` on a failed write.
    public static func writeAllOrThrow(_ fd: Int32, _ raw: UnsafeRawBufferPointer, context: String) throws {
        guard var base = raw.baseAddress else { return }
        var left = raw.count
        while left > 0 {
            let n = Glibc.write(fd, base, left)
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError.current(context)
            }
            left -= n
            base += n
        }
    }
}
