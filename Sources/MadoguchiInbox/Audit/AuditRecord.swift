// AuditRecord: one audit log entry and the hash-chain arithmetic of madoguchi-security(7)
// AUDIT LOG (global chain and per-actor chain over a length-prefixed canonical encoding).
// SECURITY: entries hold ids, never passwords, tokens, bodies or customer addresses.

import MadoguchiCore
import MadoguchiCrypto

/// One audit log entry, as stored: every field is the text of its column, so a row
/// whose action or result a later release added still reads and verifies.
public struct AuditRecord: Sendable, Equatable {
    /// Position in the global chain (1, 2, 3, …).
    public var seq: Int64
    /// UTC time, RFC 3339 with milliseconds.
    public var timestamp: String
    /// Operator login, or `system:<program>`.
    public var actor: String
    /// SHA-256 prefix of the session token, if any.
    public var sessionRef: String?
    /// Source address, if any.
    public var sourceIP: String?
    /// What was done: an `AuditAction` raw value, or an action of a later release.
    public var action: String
    /// What it was done to, e.g. `quarantine:12`.
    public var target: String?
    /// How it ended: an `AuditResult` raw value (the table's CHECK constraint admits only
    /// those; a later release would widen it by a migration).
    public var result: String
    /// Canonical JSON details without customer data.
    public var detail: String?

    /// Creates an entry from the stored column values.
    public init(
        seq: Int64, timestamp: String, actor: String, sessionRef: String? = nil, sourceIP: String? = nil,
        action: String, target: String? = nil, result: String, detail: String? = nil
    ) {
        self.seq = seq
        self.timestamp = timestamp
        self.actor = actor
        self.sessionRef = sessionRef
        self.sourceIP = sourceIP
        self.action = action
        self.target = target
        self.result = result
        self.detail = detail
    }

    /// The entry that records `event`, with control characters in every free-text field
    /// escaped (`Log.escape`), so the entry is always one clean line; the action and
    /// result raw values hold none (AuditLogTests "stableBytes").
    public init(seq: Int64, timestamp: String, event: AuditEvent) {
        self.init(
            seq: seq, timestamp: timestamp, actor: Log.escape(event.actor),
            sessionRef: event.sessionRef.map(Log.escape),
            sourceIP: event.sourceIP.map(Log.escape), action: event.action.rawValue,
            target: event.target.map(Log.escape), result: event.result.rawValue,
            detail: event.detail.map(Log.escape))
    }

    /// The action, or nil for one this release does not know.
    public var knownAction: AuditAction? { AuditAction(rawValue: action) }

    /// The result, or nil for one this release does not know.
    public var knownResult: AuditResult? { AuditResult(rawValue: result) }

    /// The canonical encoding: every field length-prefixed (absent fields marked), so
    /// no two different entries encode alike.
    public var canonical: [UInt8] {
        var out: [UInt8] = []
        func field(_ text: String?) {
            guard let text else {
                out.append(0)
                return
            }
            out.append(1)
            let bytes = Array(text.utf8)
            withUnsafeBytes(of: UInt32(bytes.count).bigEndian) { out.append(contentsOf: $0) }
            out.append(contentsOf: bytes)
        }
        field(String(seq))
        field(timestamp)
        field(actor)
        field(sessionRef)
        field(sourceIP)
        field(action)
        field(target)
        field(result)
        field(detail)
        return out
    }

    /// The hash before the first entry of the global chain.
    public static let genesis: [UInt8] = SHA256Hasher.hash(Array("audit-v1-genesis".utf8))

    /// The hash before an actor's first entry.
    public static func actorGenesis(_ actor: String) -> [UInt8] {
        SHA256Hasher.hash(Array("actor-genesis".utf8) + Array(actor.utf8))
    }

    /// `SHA-256(0x00 ‖ previous ‖ canonical)`.
    public func chainHash(previous: [UInt8]) -> [UInt8] {
        SHA256Hasher.hash([0x00] + previous + canonical)
    }

    /// `SHA-256(0x01 ‖ previous actor hash ‖ canonical)`.
    public func actorHash(previous: [UInt8]) -> [UInt8] {
        SHA256Hasher.hash([0x01] + previous + canonical)
    }
}
