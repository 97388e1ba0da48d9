// AdminActor: who runs an admin command, for the audit log: `cli:` + the login name of
// the invoking Unix user.
// SECURITY: the name comes from the session's utmp login (getlogin_r, so `sudo` keeps
// the real admin) or else the password entry of the real uid — never from LOGNAME/USER,
// which the caller could set to anything.

import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore

/// The audit actor of a command-line administrator.
public enum AdminActor {
    /// `cli:<login>`, e.g. `cli:yamada`; `cli:uid<N>` when the uid has no name.
    public static func current() -> String {
        "cli:" + loginName()
    }

    /// The login name of the invoking user.
    public static func loginName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        if getlogin_r(&buffer, buffer.count) == 0, let name = name(buffer), !name.isEmpty {
            return name
        }
        let uid = getuid()
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var storage = [CChar](repeating: 0, count: 4096)
        if getpwuid_r(uid, &entry, &storage, storage.count, &result) == 0, result != nil, let pointer = entry.pw_name {
            let name = String(cString: pointer)
            if !name.isEmpty { return name }
        }
        return "uid\(uid)"
    }

    private static func name(_ buffer: [CChar]) -> String? {
        guard let end = buffer.firstIndex(of: 0) else { return nil }
        return String(decoding: buffer[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
