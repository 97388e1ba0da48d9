// Choice: one entry of a page's menu that names a row by its id — an assignee, a
// template's mailbox.

/// A named row to choose.
public struct Choice: Sendable, Equatable {
    /// The row's id.
    public var id: Int64
    /// The name shown.
    public var name: String

    /// Creates a value.
    public init(id: Int64, name: String) {
        self.id = id
        self.name = name
    }
}
