// AuditDetail: the `detail` text of an audit entry — canonical JSON (keys sorted, no
// spaces) written with JSONOutput, so equal facts always give equal bytes in the chain.

import MadoguchiCore

/// Builders for audit details.
public enum AuditDetail {
    /// `{"key":n,…}` with the keys sorted, e.g. `{"results":3}`.
    public static func counts(_ values: [String: Int]) -> String {
        object(values.keys) { json, key in json.integer(values[key] ?? 0) }
    }

    /// `{"key":"text",…}` with the keys sorted, e.g. `{"reason":"idle"}`; values are
    /// fixed words and ids, never customer data or secrets.
    public static func words(_ values: [String: String]) -> String {
        object(values.keys) { json, key in json.string(values[key]) }
    }

    /// A JSON object of `keys`, sorted, each value written by `value`.
    private static func object(
        _ keys: Dictionary<String, some Any>.Keys, value: (inout JSONOutput, String) -> Void
    ) -> String {
        var json = JSONOutput()
        json.raw("{")
        for (index, key) in keys.sorted().enumerated() {
            if index > 0 { json.raw(",") }
            json.string(key)
            json.raw(":")
            value(&json, key)
        }
        json.raw("}")
        return String(decoding: json.bytes, as: UTF8.self)
    }
}
