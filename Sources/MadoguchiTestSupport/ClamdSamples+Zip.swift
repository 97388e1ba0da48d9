// ClamdSamples+Zip: in-memory deflated (optionally encrypted) ZIP archives built
// with libarchive, so a scanner only finds EICAR inside one by decompressing it.

import CArchive

extension ClamdSamples {
    /// A deflate-compressed ZIP archive holding `entries` (name, bytes) as regular files.
    /// - Parameters:
    ///   - entries: file names and contents, in order.
    ///   - password: when set, entries are encrypted with traditional PKWARE encryption.
    /// - Throws: `ClamdHarnessError` when libarchive fails.
    public static func zip(_ entries: [(name: String, data: [UInt8])], password: String? = nil) throws -> [UInt8] {
        guard let archive = archive_write_new() else { throw ClamdHarnessError("archive_write_new failed") }
        defer { archive_write_free(archive) }
        func check(_ rc: Int32, _ what: String) throws {
            guard rc == ARCHIVE_OK else {
                let message = archive_error_string(archive).map { String(cString: $0) } ?? "code \(rc)"
                throw ClamdHarnessError("libarchive \(what): \(message)")
            }
        }
        try check(archive_write_set_format_zip(archive), "set format zip")
        try check(archive_write_zip_set_compression_deflate(archive), "set deflate")
        if let password {
            try check(archive_write_set_options(archive, "zip:encryption=traditional"), "set encryption")
            try check(archive_write_set_passphrase(archive, password), "set passphrase")
        }
        let capacity = entries.reduce(64 * 1024) { $0 + $1.data.count + 1024 }
        var buffer = [UInt8](repeating: 0, count: capacity)
        var used = 0
        try buffer.withUnsafeMutableBytes { raw in
            try check(archive_write_open_memory(archive, raw.baseAddress, raw.count, &used), "open memory")
            for (name, data) in entries {
                guard let entry = archive_entry_new() else { throw ClamdHarnessError("archive_entry_new failed") }
                defer { archive_entry_free(entry) }
                archive_entry_set_pathname(entry, name)
                archive_entry_set_filetype(entry, carchive_ifreg())
                archive_entry_set_perm(entry, 0o644)
                archive_entry_set_size(entry, la_int64_t(data.count))
                archive_entry_set_mtime(entry, 1_795_000_000, 0)
                try check(archive_write_header(archive, entry), "write header \(name)")
                let written = data.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
                guard written == data.count else {
                    throw ClamdHarnessError("libarchive wrote \(written) of \(data.count)")
                }
            }
            try check(archive_write_close(archive), "close")
        }
        return Array(buffer[..<used])
    }
}
