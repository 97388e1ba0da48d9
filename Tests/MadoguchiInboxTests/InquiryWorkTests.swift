// InquiryWork: assignment, status and internal notes — each change one event and one
// audit entry in the same transaction (a failing audit write rolls the change back), the
// same value a no-op, a stale page refused with who changed it and when, and every
// permission checked.

import Foundation
import MadoguchiInbox
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite struct InquiryWorkTests {
    static let t = LoginFixture.start + 600

    @Test("assign to a colleague, take, unassign: one event and one entry each; the same value writes nothing")
    func assign() throws {
        let f = try AnsweringFixture()
        let yamada = f.actor(f.yamada)
        let seq = try f.lastSeq()
        #expect(try f.write { try InquiryWork.assign(f.inquiry, to: f.sato.id, by: yamada, now: Self.t, in: $0) })
        #expect(try f.state().assignee == f.sato.id)
        #expect(
            try f.write {
                try InquiryWork.assign(
                    f.inquiry, to: f.sato.id, expected: .user(f.sato.id), by: yamada, now: Self.t, in: $0)
            } == false)
        #expect(try f.write { try InquiryWork.assign(f.inquiry, to: f.yamada.id, by: yamada, now: Self.t + 1, in: $0) })
        #expect(try f.write { try InquiryWork.assign(f.inquiry, to: nil, by: yamada, now: Self.t + 2, in: $0) })
        #expect(try f.state().assignee == nil)
        #expect(
            try f.timeline() == [
                "assigned yamada to=\(f.sato.id)", "assigned yamada from=\(f.sato.id) to=\(f.yamada.id)",
                "assigned yamada from=\(f.yamada.id)",
            ])
        #expect(
            try f.audit(after: seq) == [
                #"yamada inquiry-assign inquiry:\#(f.inquiry) {"to":"\#(f.sato.id)"}"#,
                #"yamada inquiry-assign inquiry:\#(f.inquiry) {"from":"\#(f.sato.id)","to":"\#(f.yamada.id)"}"#,
                #"yamada inquiry-assign inquiry:\#(f.inquiry) {"from":"\#(f.yamada.id)"}"#,
            ])
        #expect(try f.access.firstBrokenEntry() == nil)
    }

    @Test("an assignee must exist and not be locked; the inquiry must exist")
    func assigneeChecks() throws {
        let f = try AnsweringFixture()
        let yamada = f.actor(f.yamada)
        #expect(throws: AnsweringError.unknownAssignee(999)) {
            try f.write { try InquiryWork.assign(f.inquiry, to: 999, by: yamada, now: Self.t, in: $0) }
        }
        try f.access.users().lock(login: "sato", by: LoginFixture.admin, now: Self.t)
        #expect(throws: AnsweringError.assigneeDisabled(login: "sato")) {
            try f.write { try InquiryWork.assign(f.inquiry, to: f.sato.id, by: yamada, now: Self.t, in: $0) }
        }
        #expect(throws: InquiryError.notFound("inquiry 999")) {
            try f.write { try InquiryWork.assign(999, to: f.yamada.id, by: yamada, now: Self.t, in: $0) }
        }
        #expect(try f.events().isEmpty && f.state().assignee == nil)
    }

    @Test("a stale page does not overwrite a colleague's change: refused with who and when")
    func staleAssignee() throws {
        let f = try AnsweringFixture()
        try f.write { try InquiryWork.assign(f.inquiry, to: f.sato.id, by: f.actor(f.sato), now: Self.t, in: $0) }
        // 山田's page still shows the inquiry unassigned.
        let error = try #require(throws: AnsweringError.self) {
            try f.write {
                try InquiryWork.assign(
                    f.inquiry, to: f.yamada.id, expected: .nobody, by: f.actor(f.yamada), now: Self.t + 60, in: $0)
            }
        }
        #expect(
            error
                == .changedMeanwhile(
                    .init(field: "assignee", current: "佐藤 花子", byName: "佐藤 花子", byLogin: "sato", at: Self.t)))
        #expect(error.description.contains("by 佐藤 花子 at 2026-11-29T09:10:00Z"))
        #expect(try f.state().assignee == f.sato.id && f.events().count == 1)
    }

    @Test("status changes with from/to; the same status is a no-op; awaiting_approval only by the approval flow")
    func status() throws {
        let f = try AnsweringFixture()
        let sato = f.actor(f.sato)
        let seq = try f.lastSeq()
        #expect(
            try f.write {
                try InquiryWork.setStatus(f.inquiry, to: "in_progress", expected: "new", by: sato, now: Self.t, in: $0)
            })
        #expect(
            try f.write { try InquiryWork.setStatus(f.inquiry, to: "in_progress", by: sato, now: Self.t, in: $0) }
                == false)
        #expect(throws: AnsweringError.statusSetByApproval) {
            try f.write { try InquiryWork.setStatus(f.inquiry, to: "awaiting_approval", by: sato, now: Self.t, in: $0) }
        }
        #expect(throws: InquiryError.unknownStatus("closed")) {
            try f.write { try InquiryWork.setStatus(f.inquiry, to: "closed", by: sato, now: Self.t, in: $0) }
        }
        #expect(try f.write { try InquiryWork.setStatus(f.inquiry, to: "done", by: sato, now: Self.t + 120, in: $0) })
        // 山田's page still says 未対応.
        let error = try #require(throws: AnsweringError.self) {
            try f.write {
                try InquiryWork.setStatus(
                    f.inquiry, to: "trash", expected: "new", by: f.actor(f.yamada), now: Self.t + 180, in: $0)
            }
        }
        #expect(
            error
                == .changedMeanwhile(
                    .init(field: "status", current: "done", byName: "佐藤 花子", byLogin: "sato", at: Self.t + 120)))
        #expect(try f.state().status == "done")
        #expect(try f.timeline() == ["status sato from=new to=in_progress", "status sato from=in_progress to=done"])
        #expect(
            try f.audit(after: seq) == [
                #"sato inquiry-status inquiry:\#(f.inquiry) {"from":"new","to":"in_progress"}"#,
                #"sato inquiry-status inquiry:\#(f.inquiry) {"from":"in_progress","to":"done"}"#,
            ])
        // The sidebar counts follow (migration 6's triggers).
        let counts = try f.database.read { try Inbox.counts(in: $0) }
        #expect(counts.byStatus["done"] == 1 && counts.byStatus["new"] == 0)
    }

    @Test("notes are trimmed, sealed, on the timeline with their text; the entry counts characters only")
    func notes() throws {
        let f = try AnsweringFixture()
        let yamada = f.actor(f.yamada)
        let seq = try f.lastSeq()
        let id = try f.write {
            try InquiryWork.addNote(f.inquiry, text: "  お客様に電話しました。\r\n明日折り返し。 \n", by: yamada, now: Self.t, in: $0)
        }
        let note = try #require(try f.events().first)
        #expect(note.id == id && note.kind == .note && note.text == "お客様に電話しました。\n明日折り返し。")
        #expect(note.userName == "山田 太郎" && note.at == Self.t)
        #expect(
            try f.audit(after: seq) == [#"yamada inquiry-note inquiry:\#(f.inquiry) {"characters":19,"event":\#(id)}"#])
        let stored = try #require(
            try f.database.connection.rows("SELECT text_enc FROM inquiry_events").first?.blob("text_enc"))
        #expect(!String(decoding: stored, as: UTF8.self).contains("電話"))

        for (text, error) in [
            (" \n\t ", AnsweringError.emptyText),
            (String(repeating: "あ", count: InquiryWork.maximumNoteLength + 1), .textTooLong(maximum: 20_000)),
            ("bell\u{07}", .controlCharacters), ("c1\u{85}end", .controlCharacters),
        ] {
            #expect(throws: error) {
                try f.write { try InquiryWork.addNote(f.inquiry, text: text, by: yamada, now: Self.t, in: $0) }
            }
        }
        let longest = String(repeating: "あ", count: InquiryWork.maximumNoteLength)
        try f.write { try InquiryWork.addNote(f.inquiry, text: longest, by: yamada, now: Self.t, in: $0) }
        #expect(try f.events().count == 2)
    }

    @Test("each change needs its permission; a refusal writes nothing")
    func permissions() throws {
        let f = try AnsweringFixture()
        let reader = f.actor(f.yamada, role: Role(name: "reader", permissions: [.readMail]))
        let seq = try f.lastSeq()
        #expect(throws: AnsweringError.notPermitted(.assign)) {
            try f.write { try InquiryWork.assign(f.inquiry, to: f.yamada.id, by: reader, now: Self.t, in: $0) }
        }
        #expect(throws: AnsweringError.notPermitted(.changeStatus)) {
            try f.write { try InquiryWork.setStatus(f.inquiry, to: "done", by: reader, now: Self.t, in: $0) }
        }
        #expect(throws: AnsweringError.notPermitted(.reply)) {
            try f.write { try InquiryWork.addNote(f.inquiry, text: "memo", by: reader, now: Self.t, in: $0) }
        }
        #expect(try f.events().isEmpty && f.state() == ("new", nil) && f.lastSeq() == seq)
    }

    @Test("a failing audit write rolls the change and its event back")
    func auditFailureRollsBack() throws {
        let f = try AnsweringFixture()
        // The audit table's CHECK refuses an actor over 128 characters: the entry fails
        // after the inquiry row and the event were written.
        let broken = f.actor(f.yamada, auditActor: String(repeating: "x", count: 129))
        let seq = try f.lastSeq()
        #expect(throws: StoreError.self) {
            try f.write { try InquiryWork.assign(f.inquiry, to: f.yamada.id, by: broken, now: Self.t, in: $0) }
        }
        #expect(throws: StoreError.self) {
            try f.write { try InquiryWork.setStatus(f.inquiry, to: "done", by: broken, now: Self.t, in: $0) }
        }
        #expect(throws: StoreError.self) {
            try f.write { try InquiryWork.addNote(f.inquiry, text: "memo", by: broken, now: Self.t, in: $0) }
        }
        #expect(try f.state() == ("new", nil) && f.events().isEmpty && f.lastSeq() == seq)
    }
}
