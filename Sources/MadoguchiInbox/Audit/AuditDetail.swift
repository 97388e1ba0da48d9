// AuditDetail: the `detail` text of an audit entry — canonical JSON (keys sorted, no
// spaces) written with JSONOutput, so equal facts always give equal bytes in the chain.

import MadoguchiCore

/// Builders for audit details.
public enum AuditDetail {
    /// `{"key":n,…}` with the keys sorted, e.g. `{"results":3}`.
    public static func counts(_ values: [String: Int]) -> String {
        var json = JSONOutput()
        json.raw("{")
        for (index, key) in values.keys.sorted().enumerated() {
            if index > 0 { json.raw(",") }
            json.string(key)
            json.raw(":")
            json.integer(values[key] ?? 0)
        }
        json.raw("}")
        return String(decoding: json.bytes, as: UTF8.self)
    }
}
