// InquiryEvents: the timeline appends in the caller's transaction, reads back oldest
// first with the user's names, canonical clear detail and the text sealed (never in
// the clear in the file); every kind is one the schema admits.

import Foundation
import MadoguchiInbox
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite struct InquiryEventsTests {
    @Test("events read back oldest first with names, detail and decrypted text")
    func roundTrip() throws {
        let fixture = try LoginFixture()
        let user = try fixture.addUser()
        let filed = try fixture.database.fileSample()
        let t = LoginFixture.start
        let ids = try fixture.database.write { tx in
            [
                try InquiryEvents.append(
                    .status, inquiry: filed.inquiryID, user: user.id, detail: ["to": "in_progress", "from": "new"],
                    now: t, in: tx),
                try InquiryEvents.append(
                    .note, inquiry: filed.inquiryID, user: user.id, text: "お客様へ電話済み。折り返し待ち", now: t + 5, in: tx),
                try InquiryEvents.append(.replySent, inquiry: filed.inquiryID, user: nil, now: t + 9, in: tx),
            ]
        }
        let events = try fixture.database.read { try InquiryEvents.list(inquiry: filed.inquiryID, in: $0) }
        #expect(events.map(\.id) == ids)
        #expect(events.map(\.kind) == [.status, .note, .replySent])
        #expect(events[0].detail == ["from": "new", "to": "in_progress"] && events[0].text == nil)
        #expect(events[0].userLogin == "yamada" && events[0].userName == "山田 太郎" && events[0].at == t)
        #expect(events[1].text == "お客様へ電話済み。折り返し待ち" && events[1].detail.isEmpty)
        #expect(events[2].userID == nil && events[2].userName == nil)
        let stored = try fixture.database.connection.rows("SELECT detail, text_enc FROM inquiry_events ORDER BY id")
        #expect(stored.map { $0.string("detail") } == [#"{"from":"new","to":"in_progress"}"#, nil, nil])
        let sealed = try #require(stored[1].blob("text_enc"))
        #expect(!String(decoding: sealed, as: UTF8.self).contains("折り返し"))
        #expect(try fixture.database.read { try InquiryEvents.list(inquiry: filed.inquiryID + 1, in: $0) }.isEmpty)
    }

    @Test("every kind is one the schema's CHECK admits", arguments: InquiryEventKind.allCases)
    func kindsMatchSchema(kind: InquiryEventKind) throws {
        let fixture = try LoginFixture()
        let filed = try fixture.database.fileSample()
        try fixture.database.write { tx in
            _ = try InquiryEvents.append(kind, inquiry: filed.inquiryID, user: nil, now: 1, in: tx)
        }
        #expect(
            try fixture.database.read { try InquiryEvents.list(inquiry: filed.inquiryID, in: $0) }.map(\.kind) == [kind]
        )
    }
}
