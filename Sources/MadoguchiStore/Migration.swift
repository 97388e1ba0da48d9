// Migration: one numbered schema change, embedded in the program (installed
// binaries have no resource bundle). Applied in order, each in its own
// BEGIN IMMEDIATE transaction, and recorded in `schema_migrations`.

/// A numbered schema migration.
public struct Migration: Sendable, Hashable {
    /// The version this migration brings the schema to (1, 2, 3 … without gaps).
    public let number: Int
    /// A short snake_case name, recorded with the version and checked on every open.
    public let name: String
    /// The SQL script (DDL and data changes).
    public let sql: String

    /// Declares a migration.
    public init(number: Int, name: String, sql: String) {
        self.number = number
        self.name = name
        self.sql = sql
    }

    /// Every migration this program knows, in order. The last number is the schema
    /// version this program writes.
    public static let all: [Migration] = [
        Migration0001Core.migration, Migration0002AuditSearch.migration, Migration0003ThreadClaimsSenderRate.migration,
        Migration0004InquiryStatus.migration,
        Migration0005SessionsLogins.migration,
        Migration0006InquiryCounts.migration,
        Migration0007AttachmentContentID.migration,
        Migration0008InquiryViews.migration,
        Migration0009Answering.migration,
        Migration0010ListStamp.migration,
        Migration0011TimelineStamp.migration,
    ]
}
