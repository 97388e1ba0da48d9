// CustomerDirectory: finds the customer of a sender address by its blind index, or
// creates one with a random pseudonym (`C-7K3Q9X`) operators may see instead of it.
// SECURITY: address and name are sealed; the pseudonym is random, not derived from them.

import MadoguchiCrypto
import MadoguchiStore

/// Customer lookup and creation inside a filing transaction.
enum CustomerDirectory {
    /// Pseudonym characters: digits and capitals without look-alikes (0/O, 1/I/L, U/V).
    static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTWXYZ".utf8)
    /// Characters after `C-`.
    static let pseudonymLength = 6

    /// The id of the customer with this address, created (with `name`) if new.
    /// - Parameters:
    ///   - address: the sender address as parsed.
    ///   - name: the display name, stored only when the customer is created.
    /// - Returns: the customer id, or nil when the address normalises to nothing.
    /// - Throws: `StoreError`, `CryptoError`.
    static func customer(
        address: String, name: String?, keys: KeyRing, in tx: DatabaseTransaction, now: Int64
    ) throws -> Int64? {
        guard let normal = CustomerAddress.normalize(address) else { return nil }
        let index = try keys.blindIndex(normal)
        if let id = try tx.rows("SELECT id FROM customers WHERE address_index = ?", [.blob(index)]).first?.int64("id") {
            return id
        }
        var values = RowValues()
        values.set("address_index", .blob(index))
        values.seal("address_enc", normal)
        values.seal("name_enc", name.flatMap { $0.isEmpty ? nil : $0 })
        values.set("pseudonym", .text(try newPseudonym(in: tx)))
        values.set("created_at", .integer(now))
        return try tx.insert(into: "customers", values)
    }

    /// A random pseudonym not yet used (29^6 ≈ 6×10^8 values; retried on a collision).
    static func newPseudonym(in tx: DatabaseTransaction) throws -> String {
        while true {
            var characters: [UInt8] = []
            while characters.count < pseudonymLength {
                for byte in try SecureRandom.bytes(16) where characters.count < pseudonymLength {
                    // Rejection sampling: 232 = 8 × 29 keeps every character equally likely.
                    if byte < 232 { characters.append(alphabet[Int(byte) % alphabet.count]) }
                }
            }
            let pseudonym = "C-" + String(decoding: characters, as: UTF8.self)
            if try tx.rows("SELECT 1 FROM customers WHERE pseudonym = ?", [.text(pseudonym)]).isEmpty {
                return pseudonym
            }
        }
    }
}
