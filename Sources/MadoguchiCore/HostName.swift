// HostName: this machine's name as gethostname(2) reports it — for the certificate
// `init` makes and the name send-replies greets the relay with.

import Glibc

/// The machine's host name.
public enum HostName {
    /// gethostname(2), or "" when it fails.
    public static func current() -> String {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "" }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
