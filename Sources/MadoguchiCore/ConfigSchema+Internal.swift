// ConfigSchema+Internal: the internal_* parameters: the company's own mail domains, so
// that mail claiming to come from them is flagged (madoguchi-security(7) A26).

extension ConfigKey<[String]> {
    /// `internal_domains`: domain names, empty by default.
    public static let internalDomains = domainList(
        "internal_domains", default: "",
        "The company's own mail domains (commas or blanks between them): mail whose From is in one of them "
            + "or a subdomain is flagged, since a From is not authenticated.")
}
