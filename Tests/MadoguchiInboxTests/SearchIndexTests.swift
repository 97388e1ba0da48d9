// The encrypted search index: Japanese substring search through HMAC bigram tokens in
// the contentless FTS5 table, confirmation by decryption, mailbox isolation, the
// candidate cap, removal with the original tokens, and no plaintext in the table.

import Foundation
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite struct SearchIndexTests {
    final class Fixture {
        let directory: TemporaryDirectory
        let database: Database
        let index: SearchIndex
        let keys: KeyRing
        var count = 0

        init() throws {
            directory = try TemporaryDirectory()
            let master = try MasterKey.generate()
            let keys = try KeyRing(
                wrappedKeys: [1: try KeyRing.newDataKey(id: 1, master: master)], currentKeyID: 1, master: master)
            database = try Database.open(path: directory.file("search.db"), cipher: keys.fieldCipher)
            index = SearchIndex(keys: keys)
            self.keys = keys
        }

        @discardableResult
        func add(subject: String, text: String?, html: String? = nil, mailbox: String = "support") throws -> FiledSample
        {
            count += 1
            var sample = SampleMail()
            sample.mailboxName = mailbox
            sample.subject = subject
            sample.textBody = text ?? ""
            sample.htmlBody = html ?? ""
            let filed = try database.fileSample(sample, intakeID: "intake-\(count)")
            let body = SearchIndex.searchableBody(text: text, html: html)
            try database.write { tx in
                try index.add(
                    messageID: filed.messageID, mailboxID: filed.mailboxID, subject: subject, body: body, in: tx)
            }
            return filed
        }

        func search(_ query: String, mailboxes: [Int64]? = nil, limit: Int = 2_000) throws -> [Int64] {
            try database.read { try index.search(query, mailboxIDs: mailboxes, candidateLimit: limit, in: $0) }
                .messageIDs
        }
    }

    @Test("Japanese substrings, half-width kana and full-width ASCII are found in subjects and bodies")
    func japanese() throws {
        let fixture = try Fixture()
        let invoice = try fixture.add(subject: "請求書の再発行", text: "よろしくお願いします")
        let password = try fixture.add(subject: "ログインできません", text: "パスワードを忘れました")
        let address = try fixture.add(subject: "宛名の変更", text: "請求書の宛名を変更したい ABC 株式会社")

        #expect(try fixture.search("請求書") == [address.messageID, invoice.messageID])
        #expect(try fixture.search("ﾊﾟｽﾜｰﾄﾞ") == [password.messageID])
        #expect(try fixture.search("ＡＢＣ") == [address.messageID])
        #expect(try fixture.search("abc株式") == [address.messageID])
        #expect(try fixture.search("宛名") == [address.messageID])
        #expect(try fixture.search("再発行の請求書").isEmpty)
    }

    @Test("confirmation by decryption removes candidates whose bigrams match out of order")
    func confirmation() throws {
        let fixture = try Fixture()
        try fixture.add(subject: "abcab", text: nil)
        let outcome = try fixture.database.read { try fixture.index.search("bcab", candidateLimit: 10, in: $0) }
        #expect(outcome.messageIDs.count == 1)
        let swapped = try fixture.database.read { try fixture.index.search("cabc", candidateLimit: 10, in: $0) }
        #expect(swapped.candidates == 1)
        #expect(swapped.messageIDs.isEmpty)
    }

    @Test("an HTML-only body is searched through its text")
    func htmlBody() throws {
        let fixture = try Fixture()
        let filed = try fixture.add(subject: "件名", text: nil, html: "<p>お振込先の<b>口座</b>番号&amp;支店</p>")
        #expect(try fixture.search("口座番号") == [filed.messageID])
        #expect(try fixture.search("号&支").count == 1)
        #expect(try fixture.search("<b>").isEmpty)
    }

    @Test("digit-only queries and one-character queries fall back to a bounded scan")
    func digits() throws {
        let fixture = try Fixture()
        let order = try fixture.add(subject: "注文番号 20261129", text: nil)
        try fixture.add(subject: "その他", text: nil)
        #expect(try fixture.search("2026") == [order.messageID])
        #expect(try fixture.search("注") == [order.messageID])
        #expect(throws: SearchError.emptyQuery) { try fixture.search(" \t ") }
        // Digit-only bigrams are never indexed: the query "2026" has no token at all.
        #expect(SearchText.bigrams(of: "20261129").isEmpty)
    }

    @Test("tokens are per mailbox: a search limited to one mailbox never returns another's messages")
    func mailboxes() throws {
        let fixture = try Fixture()
        let first = try fixture.add(subject: "請求書A", text: nil, mailbox: "sales")
        let second = try fixture.add(subject: "請求書B", text: nil, mailbox: "support")
        #expect(try fixture.search("請求書", mailboxes: [first.mailboxID]) == [first.messageID])
        #expect(try fixture.search("請求書", mailboxes: [second.mailboxID]) == [second.messageID])
        #expect(try fixture.search("請求書") == [second.messageID, first.messageID])
    }

    @Test("the candidate cap is reported as truncation")
    func cap() throws {
        let fixture = try Fixture()
        for number in 0..<5 { try fixture.add(subject: "請求書 \(number)", text: nil) }
        let outcome = try fixture.database.read { try fixture.index.search("請求", candidateLimit: 3, in: $0) }
        #expect(outcome.truncated)
        #expect(outcome.messageIDs.count == 3)
    }

    @Test("a result limit returns the newest confirmed matches and reports unchecked candidates")
    func resultLimit() throws {
        let fixture = try Fixture()
        var matches: [Int64] = []
        for number in 0..<4 {
            matches.insert(try fixture.add(subject: "請求書 \(number)", text: nil).messageID, at: 0)
            // Has every bigram of 請求書 but not the substring: a candidate that confirmation drops.
            try fixture.add(subject: "求書と請求 \(number)", text: nil)
        }
        let limited = try fixture.database.read {
            try fixture.index.search("請求書", candidateLimit: 100, resultLimit: 3, in: $0)
        }
        #expect(limited.messageIDs == Array(matches.prefix(3)))
        #expect(limited.limited)
        #expect(!limited.truncated)
        #expect(limited.candidates == 6)  // newest first: a decoy, a match, … the third match
        let exact = try fixture.database.read {
            try fixture.index.search("請求書", candidateLimit: 100, resultLimit: 4, in: $0)
        }
        #expect(exact.messageIDs == matches)
        #expect(!exact.limited)
        let unlimited = try fixture.database.read { try fixture.index.search("請求書", candidateLimit: 100, in: $0) }
        #expect(unlimited.messageIDs == matches)
        #expect(unlimited.candidates == 8)
        #expect(!unlimited.limited)
    }

    @Test("removal with the original tokens takes a message out of the index")
    func removal() throws {
        let fixture = try Fixture()
        let keep = try fixture.add(subject: "請求書の再発行", text: "本文")
        let drop = try fixture.add(subject: "請求書の宛名", text: "別の本文")
        try fixture.database.write { tx in
            try fixture.index.remove(
                messageID: drop.messageID, mailboxID: drop.mailboxID, subject: "請求書の宛名", body: "別の本文", in: tx)
        }
        #expect(try fixture.search("請求書") == [keep.messageID])
        #expect(try fixture.search("宛名").isEmpty)
        // FTS5's own structural check throws on a corrupted index.
        try fixture.database.connection.execute(
            "INSERT INTO message_search (message_search) VALUES ('integrity-check')")
    }

    @Test("tokens made before the transaction, by another index on another thread, are the ones add and remove make")
    func precomputed() async throws {
        let fixture = try Fixture()
        var sample = SampleMail()
        sample.subject = "請求書の再発行 ABC"
        sample.textBody = "ﾊﾟｽﾜｰﾄﾞを忘れました"
        let filed = try fixture.database.fileSample(sample, intakeID: "precomputed")
        let (keys, subject, body, mailboxID) = (fixture.keys, sample.subject, sample.textBody, filed.mailboxID)
        let made = try await Task.detached {
            try SearchIndex(keys: keys).tokens(subject: subject, body: body, mailboxID: mailboxID)
        }.value
        #expect(made == (try fixture.index.tokens(subject: subject, body: body, mailboxID: mailboxID)))
        #expect(made != (try fixture.index.tokens(subject: subject, body: body, mailboxID: mailboxID + 1)))
        try fixture.database.write { try fixture.index.add(made, messageID: filed.messageID, in: $0) }
        #expect(try fixture.search("パスワード") == [filed.messageID])
        #expect(try fixture.search("abc") == [filed.messageID])
        // Removal by the original text re-supplies exactly these tokens.
        try fixture.database.write { tx in
            try fixture.index.remove(
                messageID: filed.messageID, mailboxID: mailboxID, subject: subject, body: body, in: tx)
        }
        #expect(try fixture.search("パスワード").isEmpty)
        try fixture.database.connection.execute(
            "INSERT INTO message_search (message_search) VALUES ('integrity-check')")
    }

    @Test("the index stores no content and no plaintext bigrams")
    func contentless() throws {
        let fixture = try Fixture()
        try fixture.add(subject: "請求書の再発行", text: "パスワードを忘れました")
        let rows = try fixture.database.connection.rows("SELECT subject, body FROM message_search")
        #expect(rows.count == 1)
        #expect(rows.allSatisfy { $0["subject"] == .null && $0["body"] == .null })
        try fixture.database.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        let bytes = try #require(FileManager.default.contents(atPath: fixture.directory.file("search.db")))
        for secret in ["請求書", "パスワード", "再発行"] {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) in clear")
        }
    }
}
