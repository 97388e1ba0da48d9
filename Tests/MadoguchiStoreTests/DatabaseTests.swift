// Database: keyed round trip, wrong key, blobs moved between rows/columns/tables,
// and every way a caller might try to store plaintext in an `_enc` column.

import CSQLite
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiTestSupport
import Testing

@testable import MadoguchiStore

/// Opens the database file with the plain sqlite3 API (no guard, no cipher), as an
/// attacker with write access to the file would.
private func withRawDatabase(_ path: String, _ body: (OpaquePointer) throws -> Void) throws {
    var db: OpaquePointer?
    guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK, let db else {
        sqlite3_close(db)
        throw StoreError(code: SQLITE_CANTOPEN, message: "open for tampering")
    }
    defer { sqlite3_close(db) }
    try body(db)
}

/// Runs SQL through the plain sqlite3 API.
private func tamper(_ path: String, _ sql: String) throws {
    try withRawDatabase(path) { db in
        let result = sqlite3_exec(db, sql, nil, nil, nil)
        guard result == SQLITE_OK else { throw StoreError(code: result, message: String(cString: sqlite3_errmsg(db))) }
    }
}

/// Rewrites one blob through the plain sqlite3 API.
private func tamperBlob(
    _ path: String, _ table: String, _ column: String, _ id: Int64, _ change: ([UInt8]) -> [UInt8]
) throws {
    try withRawDatabase(path) { db in
        var read: OpaquePointer?
        sqlite3_prepare_v2(db, "SELECT \(column) FROM \(table) WHERE id = \(id)", -1, &read, nil)
        defer { sqlite3_finalize(read) }
        guard sqlite3_step(read) == SQLITE_ROW, let pointer = sqlite3_column_blob(read, 0) else {
            throw StoreError(code: SQLITE_NOTFOUND, message: "no blob to tamper with")
        }
        let changed = change(Array(UnsafeRawBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(read, 0)))))
        var write: OpaquePointer?
        sqlite3_prepare_v2(db, "UPDATE \(table) SET \(column) = ? WHERE id = \(id)", -1, &write, nil)
        defer { sqlite3_finalize(write) }
        changed.withUnsafeBytes {
            _ = sqlite3_bind_blob(write, 1, $0.baseAddress, Int32($0.count), csqlite_transient())
        }
        guard sqlite3_step(write) == SQLITE_DONE else { throw StoreError(code: SQLITE_ERROR, message: "tamper write") }
    }
}

@Suite struct DatabaseTests {
    static let messageColumns = [
        "subject_enc", "from_name_enc", "from_addr_enc", "reply_to_enc", "text_body_enc", "html_body_enc",
        "raw_enc", "intake_id", "direction",
    ]

    @Test("sharingReads: reads share one snapshot until a write, which ends it; a write inside a read is refused")
    func sharedReads() throws {
        let temp = try TemporaryDatabase()
        let database = try temp.open()
        let other = try temp.open()
        // The list stamp is a clear counter: each write below moves it by one.
        let start = try database.read { try $0.rows("SELECT n FROM list_stamp").first?.int64("n") ?? -1 }
        func bump(_ tx: DatabaseTransaction) throws { try tx.run("UPDATE list_stamp SET n = n + 1") }
        try database.write(bump)
        func count(_ tx: DatabaseTransaction) throws -> Int64 {
            (try tx.rows("SELECT n FROM list_stamp").first?.int64("n") ?? -1) - start
        }
        try database.sharingReads {
            #expect(try database.read(count) == 1)
            #expect(database.connection.isInTransaction)
            // Another connection commits: the shared snapshot does not see it.
            try other.write(bump)
            #expect(try database.read(count) == 1)
            // A write inside a read body is refused, as nested transactions always were.
            #expect(throws: StoreError.self) {
                try database.read { _ in try database.write(bump) }
            }
            // A write ends the snapshot; the next read is a new one and sees both.
            try database.write(bump)
            #expect(try database.read(count) == 3)
            try other.write(bump)
            #expect(try database.read(count) == 3)
        }
        #expect(!database.connection.isInTransaction)
        #expect(try database.read(count) == 4)
        // A throwing body ends the transaction too.
        struct Failure: Error {}
        #expect(throws: Failure.self) {
            try database.sharingReads {
                _ = try database.read(count)
                throw Failure()
            }
        }
        #expect(!database.connection.isInTransaction)
    }

    @Test("a keyed round trip returns every sealed field, and the file holds only ciphertext")
    func roundTrip() throws {
        let temp = try TemporaryDatabase()
        let database = try temp.open()
        let sample = SampleMail()
        let filed = try database.fileSample(sample)

        let message = try #require(
            try database.read { tx in try tx.fetch("messages", id: filed.messageID, columns: Self.messageColumns) })
        #expect(message.string("subject_enc") == sample.subject)
        #expect(message.string("from_name_enc") == sample.fromName)
        #expect(message.string("from_addr_enc") == sample.fromAddress)
        #expect(message.string("reply_to_enc") == sample.fromAddress)
        #expect(message.string("text_body_enc") == sample.textBody)
        #expect(message.string("html_body_enc") == sample.htmlBody)
        #expect(message.blob("raw_enc") == sample.rawMessage)
        #expect(message.string("intake_id") == "intake-0001")
        #expect(message.string("direction") == "in")

        try database.read { tx in
            let customer = try #require(
                try tx.fetch("customers", id: filed.customerID, columns: ["address_enc", "name_enc", "pseudonym"]))
            #expect(customer.string("address_enc") == sample.fromAddress)
            #expect(customer.string("name_enc") == sample.fromName)
            #expect(customer.string("pseudonym")?.hasPrefix("C-") == true)
            let attachment = try #require(
                try tx.fetch(
                    "attachments", id: filed.attachmentID, columns: ["filename_enc", "data_enc", "sha256_enc"]))
            #expect(attachment.string("filename_enc") == sample.attachmentName)
            #expect(attachment.blob("data_enc") == sample.attachmentData)
            #expect(attachment.blob("sha256_enc") == SHA256Hasher.hash(sample.attachmentData))

            // A custom list query gets ciphertext and opens it with the row's context.
            let row = try #require(try tx.rows("SELECT id, subject_enc FROM inquiries").first)
            let blob = try #require(row.blob("subject_enc"))
            #expect(FieldCipher.keyID(of: blob) == 1)
            #expect(blob.count == Array(sample.subject.utf8).count + FieldCipher.overhead)
            #expect(
                try tx.openString(row["subject_enc"], table: "inquiries", column: "subject_enc", row: filed.inquiryID)
                    == sample.subject)
            #expect(try tx.fetch("messages", id: 999, columns: ["subject_enc"]) == nil)
        }
    }

    @Test("a column decrypted in place reads as the copied value does; NULL is nil; moved or clear values fail")
    func openStringInPlace() throws {
        let temp = try TemporaryDatabase()
        let database = try temp.open()
        let filed = try database.fileSample()
        let sample = SampleMail()
        try database.read { tx in
            let statement = try tx.statement(
                "SELECT subject_enc, NULL, 'clear', x'00', id FROM inquiries WHERE id = ?")
            try statement.bind([.integer(filed.inquiryID)])
            #expect(try statement.step())
            let id = statement.int64(at: 4)
            #expect(
                try tx.openString(statement, at: 0, table: "inquiries", column: "subject_enc", row: id)
                    == sample.subject)
            #expect(
                try tx.openString(statement, at: 0, table: "inquiries", column: "subject_enc", row: id)
                    == tx.openString(statement.value(at: 0), table: "inquiries", column: "subject_enc", row: id))
            #expect(try tx.openString(statement, at: 1, table: "inquiries", column: "subject_enc", row: id) == nil)
            for (index, row) in [(0, id + 1), (2, id), (3, id)] {
                #expect(throws: CryptoError.authenticationFailed) {
                    try tx.openString(statement, at: index, table: "inquiries", column: "subject_enc", row: row)
                }
            }
            statement.reset()
        }
    }

    @Test("the same file opened with another key fails with a generic decryption error")
    func wrongKeyFails() throws {
        let temp = try TemporaryDatabase()
        let filed = try temp.open().fileSample()
        let stranger = try temp.open(cipher: TemporaryDatabase.randomCipher())
        let otherKeyID = try temp.open(cipher: TemporaryDatabase.randomCipher(keyID: 2))
        for database in [stranger, otherKeyID] {
            let error = try #require(throws: CryptoError.self) {
                try database.read { tx in try tx.fetch("messages", id: filed.messageID, columns: ["subject_enc"]) }
            }
            #expect(error == .authenticationFailed)
            #expect(error.description == "decryption failed")
            // Clear metadata stays readable without the key.
            #expect(
                try database.read { tx in try tx.fetch("messages", id: filed.messageID, columns: ["direction"]) }?
                    .string("direction") == "in")
        }
    }

    enum Tampering: String, CaseIterable, Sendable {
        case swapBetweenRows, copyToOtherColumn, copyToOtherTable, flipOneBit, truncate, storeAsText
    }

    @Test("a blob moved or altered with the sqlite3 API does not decrypt", arguments: Tampering.allCases)
    func tamperedBlobFails(tampering: Tampering) throws {
        let temp = try TemporaryDatabase()
        let database = try temp.open()
        var second = SampleMail()
        second.fromAddress = "suzuki.hanako@example.jp"
        let first = try database.fileSample()
        let other = try database.fileSample(second, intakeID: "intake-0002")
        let (table, column, row): (String, String, Int64)
        switch tampering {
        case .swapBetweenRows:
            try tamper(
                temp.path,
                """
                UPDATE customers SET address_enc = CASE id
                    WHEN \(first.customerID) THEN (SELECT address_enc FROM customers WHERE id = \(other.customerID))
                    ELSE (SELECT address_enc FROM customers WHERE id = \(first.customerID)) END
                WHERE id IN (\(first.customerID), \(other.customerID));
                """)
            (table, column, row) = ("customers", "address_enc", first.customerID)
        case .copyToOtherColumn:
            try tamper(temp.path, "UPDATE messages SET text_body_enc = subject_enc WHERE id = \(first.messageID);")
            (table, column, row) = ("messages", "text_body_enc", first.messageID)
        case .copyToOtherTable:
            try tamper(
                temp.path,
                """
                UPDATE inquiries SET subject_enc = (SELECT subject_enc FROM messages WHERE id = \(first.messageID))
                WHERE id = \(first.inquiryID);
                """)
            (table, column, row) = ("inquiries", "subject_enc", first.inquiryID)
        case .flipOneBit:
            try tamperBlob(temp.path, "messages", "from_addr_enc", first.messageID) { blob in
                var flipped = blob
                flipped[30] ^= 0x01
                return flipped
            }
            (table, column, row) = ("messages", "from_addr_enc", first.messageID)
        case .truncate:
            try tamperBlob(temp.path, "messages", "raw_enc", first.messageID) { Array($0.dropLast()) }
            (table, column, row) = ("messages", "raw_enc", first.messageID)
        case .storeAsText:
            try tamper(temp.path, "UPDATE messages SET cc_enc = 'plain text' WHERE id = \(first.messageID);")
            (table, column, row) = ("messages", "cc_enc", first.messageID)
        }
        #expect(throws: CryptoError.authenticationFailed) {
            try database.read { tx in try tx.fetch(table, id: row, columns: [column]) }
        }
        // The untouched row of the other sample still opens (for the swap, it was also moved).
        if tampering != .swapBetweenRows {
            #expect(
                try database.read { tx in
                    try tx.fetch(
                        table,
                        id: tampering == .copyToOtherTable
                            ? other.inquiryID : other.messageID, columns: [column])
                } != nil)
        }
    }

    enum PlaintextAttempt: String, CaseIterable, Sendable {
        case builderClearText, builderClearBlob, rawInsert, rawInsertSelect, rawUpdate, rawUpdateScript,
            namedEncryptedParameter, sealIntoClearColumn, builderInReadTransaction, builderSetsID, builderSQLText
    }

    @Test("plaintext cannot be written to an _enc column by any route", arguments: PlaintextAttempt.allCases)
    func plaintextRefused(attempt: PlaintextAttempt) throws {
        let temp = try TemporaryDatabase()
        let database = try temp.open()
        let filed = try database.fileSample()
        let secret = "秘密の件名 secret subject"
        let before = try database.connection.rows("SELECT id, subject_enc FROM inquiries")

        let error = try #require(throws: StoreError.self) {
            switch attempt {
            case .builderClearText, .builderClearBlob:
                try database.write { tx in
                    var values = RowValues()
                    values.set("mailbox_id", .integer(filed.mailboxID))
                    values.set(
                        "subject_enc", attempt == .builderClearText ? .text(secret) : .blob(Array(secret.utf8)))
                    values.set("created_at", 1)
                    values.set("updated_at", 1)
                    values.set("last_message_at", 1)
                    try tx.insert(into: "inquiries", values)
                }
            case .rawInsert:
                try database.write { tx in
                    try tx.run(
                        "INSERT INTO inquiries (mailbox_id, subject_enc, created_at, updated_at, last_message_at) "
                            + "VALUES (?, ?, 1, 1, 1)", [.integer(filed.mailboxID), .text(secret)])
                }
            case .rawInsertSelect:
                try database.write { tx in
                    try tx.run(
                        "INSERT INTO inquiries (mailbox_id, created_at, updated_at, last_message_at) "
                            + "SELECT mailbox_id, 1, 1, 1 FROM inquiries")
                }
            case .rawUpdate:
                try database.write { tx in
                    try tx.run(
                        "UPDATE inquiries SET subject_enc = ? WHERE id = ?", [.text(secret), .integer(filed.inquiryID)])
                }
            case .rawUpdateScript:
                // (Literal SQL text appears in errors, so the script writes a non-secret value.)
                try database.connection.execute("UPDATE inquiries SET subject_enc = zeroblob(40)")
            case .namedEncryptedParameter:
                try database.read { tx in
                    _ = try tx.rows("SELECT id FROM inquiries WHERE subject_enc = :subject_enc", [.text(secret)])
                }
            case .sealIntoClearColumn:
                try database.write { tx in
                    var values = RowValues()
                    values.seal("status", "done")
                    try tx.update("inquiries", id: filed.inquiryID, values)
                }
            case .builderInReadTransaction:
                try database.read { tx in
                    var values = RowValues()
                    values.seal("subject_enc", secret)
                    try tx.update("inquiries", id: filed.inquiryID, values)
                }
            case .builderSQLText:
                // Raw SQL with exactly the text the builder just used must not reuse its statement.
                try database.write { tx in
                    var values = RowValues()
                    values.seal("subject_enc", "sealed")
                    try tx.update("inquiries", id: filed.inquiryID, values)
                }
                try database.write { tx in
                    try tx.run(
                        "UPDATE inquiries SET subject_enc = ? WHERE id = ?", [.text(secret), .integer(filed.inquiryID)])
                }
            case .builderSetsID:
                try database.write { tx in
                    var values = RowValues()
                    values.set("id", 42)
                    values.seal("subject_enc", secret)
                    try tx.update("inquiries", id: filed.inquiryID, values)
                }
            }
        }
        switch attempt {
        case .rawInsert, .rawInsertSelect, .rawUpdate, .rawUpdateScript, .builderSQLText:
            #expect(error.code == SQLITE_AUTH)
        default:
            #expect(error.code == SQLITE_MISUSE)
        }
        #expect(!error.description.contains(secret))
        if attempt != .builderSQLText {
            #expect(try database.connection.rows("SELECT id, subject_enc FROM inquiries") == before)
        }
        let subject = try database.read { tx in try tx.fetch("inquiries", id: filed.inquiryID, columns: ["subject_enc"])
        }
        #expect(subject?.string("subject_enc") != secret)
        #expect(!database.connection.isInTransaction)
    }

    @Test("clear columns of encrypted tables can still be updated and rows deleted with SQL")
    func clearColumnUpdates() throws {
        let temp = try TemporaryDatabase()
        let database = try temp.open()
        let filed = try database.fileSample()
        let changed = try database.write { tx in
            [
                try tx.run("UPDATE inquiries SET status = 'done' WHERE id = ?", [.integer(filed.inquiryID)]),
                try tx.run("DELETE FROM attachments WHERE id = ?", [.integer(filed.attachmentID)]),
            ]
        }
        #expect(changed == [1, 1])
        #expect(try database.connection.scalar("SELECT status FROM inquiries") == .text("done"))
    }

    @Test("update re-seals a field for the same row")
    func updateReseals() throws {
        let temp = try TemporaryDatabase()
        let database = try temp.open()
        let filed = try database.fileSample()
        let original = try database.connection.scalar("SELECT subject_enc FROM inquiries")
        try database.write { tx in
            var values = RowValues()
            values.seal("subject_enc", "件名を変更しました")
            values.set("updated_at", 1_780_000_100)
            try tx.update("inquiries", id: filed.inquiryID, values)
        }
        #expect(try database.connection.scalar("SELECT subject_enc FROM inquiries") != original)
        let subject = try database.read { tx in
            try tx.fetch("inquiries", id: filed.inquiryID, columns: ["subject_enc", "updated_at"])
        }
        #expect(subject?.string("subject_enc") == "件名を変更しました")
        #expect(subject?.int64("updated_at") == 1_780_000_100)
        let missing = try #require(throws: StoreError.self) {
            try database.write { tx in
                var values = RowValues()
                values.seal("subject_enc", "x")
                try tx.update("inquiries", id: 999, values)
            }
        }
        #expect(missing.code == SQLITE_NOTFOUND)
    }

    @Test("row ids of encrypted tables are never reused after a delete")
    func idsNotReused() throws {
        let temp = try TemporaryDatabase()
        let database = try temp.open()
        let first = try database.fileSample()
        try database.write { tx in
            try tx.run("DELETE FROM attachments")
            try tx.run("DELETE FROM messages")
        }
        let second = try database.fileSample(intakeID: "intake-0002")
        #expect(second.messageID == first.messageID + 1)
        #expect(second.attachmentID == first.attachmentID + 1)
    }

    @Test("schema constraints and foreign keys are enforced for sealed inserts")
    func constraints() throws {
        let temp = try TemporaryDatabase()
        let database = try temp.open()
        let filed = try database.fileSample()
        var badStatus = RowValues()
        badStatus.set("mailbox_id", .integer(filed.mailboxID))
        badStatus.set("status", "bogus")
        badStatus.seal("subject_enc", "x")
        for column in ["created_at", "updated_at", "last_message_at"] { badStatus.set(column, 1) }
        var badForeignKey = badStatus
        badForeignKey.set("customer_id", 999)
        var fixed = RowValues()
        fixed.set("mailbox_id", .integer(filed.mailboxID))
        fixed.set("customer_id", 999)
        for column in ["created_at", "updated_at", "last_message_at"] { fixed.set(column, 1) }
        for values in [badStatus, fixed] {
            let error = try #require(throws: StoreError.self) {
                try database.write { tx in try tx.insert(into: "inquiries", values) }
            }
            #expect(error.code == SQLITE_CONSTRAINT)
        }
        // The same intake id twice is refused (idempotent filing relies on it).
        let duplicate = try #require(throws: StoreError.self) { try database.fileSample() }
        #expect(duplicate.code == SQLITE_CONSTRAINT)
        #expect(try database.connection.scalar("SELECT count(*) FROM messages") == .integer(1))
    }

    @Test("a transaction object cannot be used after its block ended")
    func transactionExpires() throws {
        let temp = try TemporaryDatabase()
        let database = try temp.open()
        let escaped = try database.read { tx in tx }
        let error = try #require(throws: StoreError.self) { try escaped.rows("SELECT 1") }
        #expect(error.code == SQLITE_MISUSE)
    }

    @Test("row values never describe their contents")
    func redactedDescription() {
        var values = RowValues()
        values.seal("subject_enc", "請求書")
        values.set("status", "new")
        #expect(String(describing: values) == "RowValues(subject_enc, status; values redacted)")
        #expect(!String(reflecting: values).contains("請求書"))
    }
}
