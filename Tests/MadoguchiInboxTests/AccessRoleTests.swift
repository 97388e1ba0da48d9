// Roles and permissions: the two built-in roles with their fixed sets, and a role name
// this release does not know permits nothing.

import MadoguchiInbox
import Testing

@Suite struct AccessRoleTests {
    @Test("the administrator has every permission")
    func administrator() {
        #expect(Permission.allCases.allSatisfy { Role.administrator.permits($0) })
        #expect(Permission.allCases.count == 16)
    }

    @Test("the operator has exactly the daily-work permissions")
    func operatorRole() {
        let granted = Set(Permission.allCases.filter { Role.operator.permits($0) }.map(\.rawValue))
        #expect(
            granted == [
                "read_mail", "reply", "assign", "change_status", "view_addresses", "download_attachments", "print",
            ])
    }

    @Test("roles are found by their stored name; an unknown one permits nothing")
    func lookup() {
        #expect(Role.named("administrator") == .administrator && Role.named("operator") == .operator)
        #expect(Role.named("root") == nil)
        #expect(Permission.allCases.allSatisfy { !Role.resolve("root").permits($0) })
    }
}
