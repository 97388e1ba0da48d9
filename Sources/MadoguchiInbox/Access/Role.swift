// Role: a named set of permissions. This release has the two built-in roles with fixed
// sets; `users.role` holds the role's name. A name this release does not know permits
// nothing (a database written by a later release with custom roles fails closed).

/// A role and the permissions it grants.
public struct Role: Sendable, Hashable {
    /// The name stored in `users.role`.
    public let name: String
    /// What the role may do.
    public let permissions: Set<Permission>

    /// Creates a role.
    /// - Parameters:
    ///   - name: its stored name.
    ///   - permissions: what it grants.
    public init(name: String, permissions: Set<Permission>) {
        self.name = name
        self.permissions = permissions
    }

    /// Whether the role grants `permission`.
    public func permits(_ permission: Permission) -> Bool {
        permissions.contains(permission)
    }

    /// Every permission.
    public static let administrator = Role(name: "administrator", permissions: Set(Permission.allCases))

    /// Daily work on inquiries: read, reply, assign, change status, see addresses,
    /// download attachments and print.
    public static let `operator` = Role(
        name: "operator",
        permissions: [.readMail, .reply, .assign, .changeStatus, .viewAddresses, .downloadAttachments, .print])

    /// The built-in roles.
    public static let builtIn: [Role] = [.administrator, .operator]

    /// The role stored under `name`, or nil when this release has no such role.
    public static func named(_ name: String) -> Role? {
        builtIn.first { $0.name == name }
    }

    /// The role stored under `name`; an unknown name gives a role that permits nothing.
    public static func resolve(_ name: String) -> Role {
        named(name) ?? Role(name: name, permissions: [])
    }
}
