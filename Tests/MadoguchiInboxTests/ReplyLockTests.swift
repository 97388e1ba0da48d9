// ReplyLock (二重対応防止): starting a reply locks the inquiry to that operator, assigns it
// and moves 未対応 to 対応中; a colleague is refused with who and since when; of two
// sessions racing only one wins; the lock goes on cancel, logout, session expiry, a
// password change and an account lock (an unlock event and entry each, before the
// session row); taking over needs take_over and is recorded.

import Foundation
import MadoguchiInbox
import MadoguchiStore
import MadoguchiTestSupport
import Testing

@Suite(.blocksThreads) struct ReplyLockTests {
    static let t = LoginFixture.start + 60

    @Test(
        "acquiring locks, assigns and starts work; a colleague sees who holds it; the holder re-acquires idempotently")
    func acquire() throws {
        let f = try AnsweringFixture()
        let (yamada, _) = try f.session(f.yamada)
        let (sato, _) = try f.session(f.sato, peer: "192.0.2.11")
        let seq = try f.lastSeq()
        let lock = try f.write { try ReplyLock.acquire(inquiry: f.inquiry, by: yamada, now: Self.t, in: $0) }
        #expect(lock.userID == f.yamada.id && lock.sessionID == yamada.sessionID && lock.since == Self.t)
        #expect(try f.state() == ("in_progress", f.yamada.id))
        #expect(
            try f.timeline() == [
                "lock yamada", "assigned yamada to=\(f.yamada.id)", "status yamada from=new to=in_progress",
            ])
        #expect(
            try f.audit(after: seq).map { $0.split(separator: " ").prefix(2).joined(separator: " ") } == [
                "yamada reply-lock", "yamada inquiry-assign", "yamada inquiry-status",
            ])
        let refused = try #require(throws: AnsweringError.self) {
            try f.write { try ReplyLock.acquire(inquiry: f.inquiry, by: sato, now: Self.t + 5, in: $0) }
        }
        #expect(refused == .locked(lock))
        #expect(refused.description == "山田 太郎 (yamada) is replying since 2026-11-29T09:01:00Z")
        let again = try f.write { try ReplyLock.acquire(inquiry: f.inquiry, by: yamada, now: Self.t + 9, in: $0) }
        #expect(try again == lock && f.events().count == 3 && f.audit(after: seq).count == 3)
    }

    @Test("the same user from a new login re-acquires: the lock moves to that session; its old logout keeps it")
    func sameUserOtherSession() throws {
        let f = try AnsweringFixture()
        let (first, firstToken) = try f.session(f.yamada)
        let (second, _) = try f.session(f.yamada, peer: "192.0.2.20", at: Self.t)
        try f.write { try ReplyLock.acquire(inquiry: f.inquiry, by: first, now: Self.t, in: $0) }
        let moved = try f.write { try ReplyLock.acquire(inquiry: f.inquiry, by: second, now: Self.t + 1, in: $0) }
        #expect(moved.sessionID == second.sessionID && moved.since == Self.t)
        #expect(try f.access.sessions().logout(token: firstToken, sourceIP: "192.0.2.10", now: Self.t + 2))
        #expect(try f.holder()?.sessionID == second.sessionID)
        #expect(try f.events().filter { $0.kind == .unlock }.isEmpty)
    }

    @Test("two sessions race for one lock: exactly one wins, the other is told who has it", .timeLimit(.minutes(1)))
    func race() throws {
        let f = try AnsweringFixture()
        let actors = [try f.session(f.yamada).actor, try f.session(f.sato, peer: "192.0.2.11").actor]
        // One connection per thread (a Database is used from one thread).
        nonisolated(unsafe) let connections = [try f.access.connection(), try f.access.connection()]
        let guard_ = NSLock()
        for round in 0..<10 {
            let inquiry = try f.database.fileSample(intakeID: "race-\(round)", now: Self.t).inquiryID
            nonisolated(unsafe) var outcomes: [String] = []
            DispatchQueue.concurrentPerform(iterations: 2) { index in
                do {
                    let lock = try connections[index].write {
                        try ReplyLock.acquire(inquiry: inquiry, by: actors[index], now: Self.t, in: $0)
                    }
                    guard_.withLock { outcomes.append("won \(lock.userID)") }
                } catch AnsweringError.locked(let holder) {
                    guard_.withLock { outcomes.append("locked \(holder.userID)") }
                } catch {
                    guard_.withLock { outcomes.append("error \(error)") }
                }
            }
            let results = outcomes.sorted()
            #expect(results.count == 2 && results.filter { $0.hasPrefix("won") }.count == 1, "\(results)")
            // The loser is told the winner's name.
            let winner = results.first { $0.hasPrefix("won ") }?.dropFirst(4)
            #expect(results.contains { $0.hasPrefix("locked ") && $0.dropFirst(7) == winner })
            let events = try f.database.read { try InquiryEvents.list(inquiry: inquiry, in: $0) }
            #expect(events.filter { $0.kind == .lock }.count == 1)
        }
    }

    @Test("logout releases the session's locks with an unlock event and entry before the logout entry")
    func logoutReleases() throws {
        let f = try AnsweringFixture()
        let (yamada, token) = try f.session(f.yamada)
        try f.write { try ReplyLock.acquire(inquiry: f.inquiry, by: yamada, now: Self.t, in: $0) }
        let seq = try f.lastSeq()
        #expect(try f.access.sessions().logout(token: token, sourceIP: "192.0.2.10", now: Self.t + 30))
        #expect(try f.holder() == nil)
        #expect(try f.timeline().last == "unlock yamada reason=logout")
        #expect(
            try f.audit(after: seq) == [
                #"yamada reply-unlock inquiry:\#(f.inquiry) {"holder":"\#(f.yamada.id)","reason":"logout"}"#,
                "yamada logout user:\(f.yamada.id) -",
            ])
        #expect(try f.access.firstBrokenEntry() == nil)
    }

    @Test("expire-sessions and an expired lookup release the locks of the sessions they end")
    func expiryReleases() throws {
        let f = try AnsweringFixture()
        let (yamada, _) = try f.session(f.yamada)
        let (sato, satoToken) = try f.session(f.sato, peer: "192.0.2.11")
        let other = try f.database.fileSample(intakeID: "second", now: Self.t).inquiryID
        try f.write { try ReplyLock.acquire(inquiry: f.inquiry, by: yamada, now: Self.t, in: $0) }
        try f.write { try ReplyLock.acquire(inquiry: other, by: sato, now: Self.t, in: $0) }
        // 佐藤's next request comes after the idle timeout: the page ends the session.
        #expect(try f.access.sessions().lookup(token: satoToken, now: LoginFixture.start + 900) == .expired)
        #expect(try f.database.read { try ReplyLock.holder(of: other, in: $0) } == nil)
        #expect(try f.holder()?.userID == f.yamada.id)
        let seq = try f.lastSeq()
        #expect(try f.access.sessions().expire(now: LoginFixture.start + 901, by: "expire-sessions") == 1)
        #expect(try f.holder() == nil)
        #expect(try f.timeline().last == "unlock yamada reason=expired")
        #expect(
            try f.audit(after: seq) == [
                #"yamada reply-unlock inquiry:\#(f.inquiry) {"holder":"\#(f.yamada.id)","reason":"expired"}"#,
                #"yamada auto-logout user:\#(f.yamada.id) {"by":"expire-sessions","reason":"idle"}"#,
            ])
    }

    @Test("a lock whose session expired unnoticed is released when a colleague asks; a live one stays")
    func expiredHolderEnded() throws {
        let f = try AnsweringFixture()
        let (yamada, _) = try f.session(f.yamada)
        try f.write { try ReplyLock.acquire(inquiry: f.inquiry, by: yamada, now: Self.t, in: $0) }
        let session = try #require(try f.holder()?.sessionID)
        // Within the idle timeout the session lives and keeps its lock.
        #expect(
            try f.write { try f.access.sessions().endIfExpired(session: session, now: Self.t + 60, by: "page", in: $0) }
                == false)
        #expect(try f.holder()?.userID == f.yamada.id)
        // Past it (expire-sessions has not run): ended, with the lock, as expire-sessions would.
        let seq = try f.lastSeq()
        #expect(
            try f.write {
                try f.access.sessions().endIfExpired(
                    session: session, now: LoginFixture.start + 901, by: "page", in: $0)
            })
        #expect(try f.holder() == nil)
        #expect(try f.timeline().last == "unlock yamada reason=expired")
        #expect(
            try f.audit(after: seq) == [
                #"yamada reply-unlock inquiry:\#(f.inquiry) {"holder":"\#(f.yamada.id)","reason":"expired"}"#,
                #"yamada auto-logout user:\#(f.yamada.id) {"by":"page","reason":"idle"}"#,
            ])
        // A session already gone: nothing to do.
        #expect(
            try f.write {
                try f.access.sessions().endIfExpired(
                    session: session, now: LoginFixture.start + 902, by: "page", in: $0)
            } == false)
    }

    @Test("a password change and an account lock release the user's locks")
    func accountChangesRelease() throws {
        let f = try AnsweringFixture()
        let (yamada, _) = try f.session(f.yamada)
        let (sato, _) = try f.session(f.sato, peer: "192.0.2.11")
        let other = try f.database.fileSample(intakeID: "second", now: Self.t).inquiryID
        try f.write { try ReplyLock.acquire(inquiry: f.inquiry, by: yamada, now: Self.t, in: $0) }
        try f.write { try ReplyLock.acquire(inquiry: other, by: sato, now: Self.t, in: $0) }
        try f.access.users().changePassword(
            login: "yamada", password: "another long passphrase", by: LoginFixture.admin, now: Self.t + 10)
        try f.access.users().lock(login: "sato", by: LoginFixture.admin, now: Self.t + 20)
        #expect(try f.holder() == nil && f.database.read { try ReplyLock.holder(of: other, in: $0) } == nil)
        #expect(try f.timeline().last == "unlock yamada reason=password-changed")
        let entries = try f.audit().filter { $0.contains("reply-unlock") }
        #expect(entries.count == 2 && entries.allSatisfy { $0.hasPrefix("cli:tester ") })
        #expect(entries.last?.hasSuffix(#""reason":"account-locked"}"#) == true)
    }

    @Test("cancel releases the holder's lock; someone else's release finds nothing")
    func cancel() throws {
        let f = try AnsweringFixture()
        let (yamada, _) = try f.session(f.yamada)
        let (sato, _) = try f.session(f.sato, peer: "192.0.2.11")
        try f.write { try ReplyLock.acquire(inquiry: f.inquiry, by: yamada, now: Self.t, in: $0) }
        #expect(
            try f.write { try ReplyLock.release(inquiry: f.inquiry, reason: .cancelled, by: sato, now: Self.t, in: $0) }
                == false)
        #expect(
            try f.write {
                try ReplyLock.release(inquiry: f.inquiry, reason: .cancelled, by: yamada, now: Self.t, in: $0)
            })
        #expect(try f.holder() == nil && f.timeline().last == "unlock yamada reason=cancelled")
        // A program (send-replies) releases whoever holds it.
        try f.write { try ReplyLock.acquire(inquiry: f.inquiry, by: sato, now: Self.t + 1, in: $0) }
        #expect(
            try f.write {
                try ReplyLock.release(
                    inquiry: f.inquiry, reason: .sent, heldBy: nil, actor: AccessActor(actor: "system:send-replies"),
                    now: Self.t + 2, in: $0)
            })
        #expect(try f.timeline().last == "unlock sato reason=sent")
        #expect(try f.audit().last?.hasPrefix("system:send-replies reply-unlock") == true)
    }

    @Test("taking over needs take_over; with it the lock moves, recorded, and the old holder's release does nothing")
    func takeOver() throws {
        let f = try AnsweringFixture()
        let (yamada, _) = try f.session(f.yamada)
        let (sato, _) = try f.session(f.sato, peer: "192.0.2.11")
        let (admin, _) = try f.session(f.admin, peer: "192.0.2.12")
        try f.write { try ReplyLock.acquire(inquiry: f.inquiry, by: yamada, now: Self.t, in: $0) }
        let seq = try f.lastSeq()
        #expect(throws: AnsweringError.notPermitted(.takeOver)) {
            try f.write { try ReplyLock.takeOver(inquiry: f.inquiry, by: sato, now: Self.t + 5, in: $0) }
        }
        #expect(try f.holder()?.userID == f.yamada.id && f.lastSeq() == seq)
        let (lock, previous) = try f.write {
            try ReplyLock.takeOver(inquiry: f.inquiry, by: admin, now: Self.t + 10, in: $0)
        }
        #expect(lock.userID == f.admin.id && lock.since == Self.t + 10 && previous?.userID == f.yamada.id)
        #expect(try f.state() == ("in_progress", f.admin.id))
        #expect(
            try f.timeline().suffix(2) == [
                "take-over kanri from=\(f.yamada.id)", "assigned kanri from=\(f.yamada.id) to=\(f.admin.id)",
            ])
        #expect(
            try f.audit(after: seq).first
                == #"kanri reply-take-over inquiry:\#(f.inquiry) {"from":"\#(f.yamada.id)"}"#)
        // 山田's page now shows 管理者 as the holder; his cancel releases nothing.
        #expect(
            try f.write {
                try ReplyLock.release(inquiry: f.inquiry, reason: .cancelled, by: yamada, now: Self.t + 20, in: $0)
            } == false)
        #expect(try f.holder()?.userID == f.admin.id)
        #expect(throws: AnsweringError.locked(lock)) {
            try f.write { try ReplyLock.acquire(inquiry: f.inquiry, by: yamada, now: Self.t + 30, in: $0) }
        }
    }

    @Test("without a session there is no lock; without reply no lock either")
    func needsSessionAndReply() throws {
        let f = try AnsweringFixture()
        #expect(throws: AnsweringError.sessionRequired) {
            try f.write { try ReplyLock.acquire(inquiry: f.inquiry, by: f.actor(f.yamada), now: Self.t, in: $0) }
        }
        var reader = try f.session(f.yamada).actor
        reader.role = Role(name: "reader", permissions: [.readMail])
        #expect(throws: AnsweringError.notPermitted(.reply)) {
            try f.write { try ReplyLock.acquire(inquiry: f.inquiry, by: reader, now: Self.t, in: $0) }
        }
        #expect(try f.holder() == nil && f.events().isEmpty)
    }

    @Test("the inquiry page's thread carries the timeline and the lock holder")
    func threadTimeline() throws {
        let f = try AnsweringFixture()
        let (yamada, _) = try f.session(f.yamada)
        try f.write { try InquiryWork.addNote(f.inquiry, text: "社内メモ", by: yamada, now: Self.t, in: $0) }
        try f.write { try ReplyLock.acquire(inquiry: f.inquiry, by: yamada, now: Self.t + 1, in: $0) }
        let thread = try InquiryView.thread(f.inquiry, revealCustomers: false, actor: yamada.audit, in: f.database)
        #expect(thread.events.map(\.kind) == [.note, .lock, .assigned, .status])
        #expect(thread.events.first?.text == "社内メモ" && thread.events.first?.userName == "山田 太郎")
        #expect(thread.lock?.displayName == "山田 太郎" && thread.lock?.since == Self.t + 1)
        #expect(thread.inquiry.status == "in_progress" && thread.inquiry.assignee == "山田 太郎")
    }
}
