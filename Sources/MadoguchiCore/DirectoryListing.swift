// DirectoryListing: the names in one directory, read with opendir/readdir (no
// Foundation enumeration), without "." and "..". The spool's listings share it.

import Glibc

/// Lists directories.
public enum DirectoryListing {
    /// The names of the entries in `path`, in readdir order, without `.` and `..`.
    /// - Throws: `SystemError` when the directory cannot be opened.
    public static func names(in path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw SystemError.current("opendir \(path)") }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
