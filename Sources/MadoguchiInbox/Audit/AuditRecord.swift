// AuditRecord: one audit log entry and the hash-chain arithmetic of SECURITY.md §2
// (global chain and per-actor chain over a length-prefixed canonical encoding).
// SECURITY: entries hold ids, never passwords, tokens, bodies or customer addresses.

import MadoguchiCrypto

/// One audit log entry.
public struct AuditRecord: Sendable, Equatable {
    /// Position in the global chain (1, 2, 3, …).
    public var seq: Int64
    /// UTC time, RFC 3339 with milliseconds.
    public var timestamp: String
    /// Who did what to what, with which result.
    public var event: AuditEvent

    /// Creates an entry.
    public init(seq: Int64, timestamp: String, event: AuditEvent) {
        self.seq = seq
        self.timestamp = timestamp
        self.event = event
    }

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
        field(event.actor)
        field(event.sessionRef)
        field(event.sourceIP)
        field(event.action)
        field(event.target)
        field(event.result)
        field(event.detail)
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
