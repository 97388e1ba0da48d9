// FieldContext: where an encrypted database field lives (table, column, row). FieldCipher
// binds it into the AEAD as associated data, so a blob copied to another row, column or
// table fails to decrypt.

import MadoguchiCore

/// Where an encrypted value lives; bound into the AEAD as associated data.
public struct FieldContext: Sendable, Hashable {
    /// Table name.
    public let table: String
    /// Column name.
    public let column: String
    /// Row id.
    public let row: Int64

    /// Creates a context.
    public init(table: String, column: String, row: Int64) {
        self.table = table
        self.column = column
        self.row = row
    }

    /// `v1|table|column|row|keyid` as UTF-8, appended piece by piece: string
    /// interpolation cost more than the AES-GCM of a short field (search decrypts
    /// thousands of fields per query).
    func associatedData(keyID: UInt32) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(table.utf8.count + column.utf8.count + 36)
        appendAssociatedData(keyID: keyID, to: &bytes)
        return bytes
    }

    /// Appends `associatedData(keyID:)` to `bytes` (a reused buffer).
    func appendAssociatedData(keyID: UInt32, to bytes: inout [UInt8]) {
        bytes.append(0x76)  // "v1|", byte by byte: an array literal here was a malloc per field
        bytes.append(0x31)
        bytes.append(0x7C)
        bytes.append(contentsOf: table.utf8)
        bytes.append(0x7C)
        bytes.append(contentsOf: column.utf8)
        bytes.append(0x7C)
        DecimalText.append(row, to: &bytes)
        bytes.append(0x7C)
        DecimalText.append(Int64(keyID), to: &bytes)
    }
}
