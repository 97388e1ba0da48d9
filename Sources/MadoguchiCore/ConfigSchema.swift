// ConfigSchema: every parameter madoguchi.conf may contain. Each one is declared once,
// as a ConfigKey constant with its default, in the `ConfigSchema+Prefix.swift` file of
// its name prefix; `all` lists those constants. All programs share one file, so each
// accepts every declared name and rejects anything else with the line number.

/// The declared parameters of madoguchi.conf.
public enum ConfigSchema {
    /// Every declared parameter, in the order `-n -v` prints them: that of madoguchi.conf(5),
    /// except that `password_hash_cost` comes before the `fetch_*` session limits.
    public static let all: [ConfigParameter] = [
        ConfigKey.databaseFile.parameter,
        ConfigKey.keyDirectory.parameter,
        ConfigKey.spoolDirectory.parameter,
        ConfigKey.lockDirectory.parameter,
        ConfigKey.tlsCertificateFile.parameter,
        ConfigKey.tlsKeyFile.parameter,
        ConfigKey.databaseBusyTimeout.parameter,
        ConfigKey.logDestination.parameter,
        ConfigKey.mailMaxMessageSize.parameter,
        ConfigKey.mailMaxMIMEDepth.parameter,
        ConfigKey.mailMaxMIMEParts.parameter,
        ConfigKey.mailMaxHeaderFields.parameter,
        ConfigKey.mailMaxHeaderSize.parameter,
        ConfigKey.fetchAccountsFile.parameter,
        ConfigKey.fetchStateDirectory.parameter,
        ConfigKey.internalDomains.parameter,
        ConfigKey.intakeSenderLimit.parameter,
        ConfigKey.quarantineDays.parameter,
        ConfigKey.searchCandidateLimit.parameter,
        ConfigKey.passwordHashCost.parameter,
        ConfigKey.sessionIdleTimeout.parameter,
        ConfigKey.sessionMaxAge.parameter,
        ConfigKey.loginMaxFailures.parameter,
        ConfigKey.loginLockout.parameter,
        ConfigKey.fetchConnectTimeout.parameter,
        ConfigKey.fetchReadTimeout.parameter,
        ConfigKey.fetchSessionTimeout.parameter,
        ConfigKey.fetchMaxLineLength.parameter,
        ConfigKey.fetchMaxMessages.parameter,
        ConfigKey.clamdAddress.parameter,
        ConfigKey.clamdTimeout.parameter,
        ConfigKey.clamdMaxStreamSize.parameter,
        ConfigKey.clamdConcurrency.parameter,
        ConfigKey.webListen.parameter,
        ConfigKey.webRedirectListen.parameter,
        ConfigKey.webBaseURL.parameter,
        ConfigKey.webMaxConnections.parameter,
        ConfigKey.webMaxConnectionsPerPeer.parameter,
        ConfigKey.webTimeZone.parameter,
        ConfigKey.webElapsedWarning.parameter,
        ConfigKey.webElapsedAlert.parameter,
        ConfigKey.ipAllow.parameter,
        ConfigKey.smtpRelay.parameter,
        ConfigKey.smtpTLS.parameter,
        ConfigKey.smtpCredentialsFile.parameter,
        ConfigKey.smtpCAFile.parameter,
        ConfigKey.smtpHeloName.parameter,
        ConfigKey.smtpTimeout.parameter,
        ConfigKey.sendDelay.parameter,
        ConfigKey.sendQueueLifetime.parameter,
        ConfigKey.replyAttachmentMax.parameter,
        ConfigKey.replyAttachmentTotalMax.parameter,
    ]

    /// Looks a parameter up by name, as the parser does for each line of the file.
    /// - Parameter name: a snake_case parameter name.
    /// - Returns: the declared parameter, or nil when no parameter has that name.
    public static func parameter(named name: String) -> ConfigParameter? {
        byName[name]
    }

    private static let byName: [String: ConfigParameter] = Dictionary(
        all.map { ($0.name, $0) },
        uniquingKeysWith: { first, _ in preconditionFailure("duplicate parameter \(first.name)") }
    )
}
