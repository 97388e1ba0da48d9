// TestCertificates: a throw-away test CA and server certificates made with the
// openssl CLI at test time (valid for localhost + 127.0.0.1, wrong host name,
// expired, untrusted self-signed), for Dovecot and the TLS refusal tests.

import Foundation
import Glibc

/// A private CA with a set of server certificates, all in one temporary directory.
public final class TestCertificates {
    /// Where everything lives (mode 0755 so Dovecot's unprivileged processes can read it).
    public let directory: TemporaryDirectory
    /// The test CA certificate (PEM): the only trust anchor the clients get.
    public let caFile: String
    /// Signed by the CA for `localhost` and `127.0.0.1`.
    public let server: CertificatePair
    /// Signed by the CA for `wrong.example` only.
    public let wrongHost: CertificatePair
    /// Signed by the CA for `localhost`, valid only in January 2020.
    public let expired: CertificatePair
    /// Self-signed for `localhost` (not issued by the CA).
    public let untrusted: CertificatePair

    /// Generates the CA and all certificates (EC P-256, a few hundred ms in total).
    /// - Throws: `TestToolError` when openssl fails.
    public init() throws {
        directory = try TemporaryDirectory(prefix: "madoguchi-certs")
        let dir = directory.path
        chmod(dir, 0o755)
        try FileManager.default.createDirectory(atPath: dir + "/newcerts", withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: dir + "/index.txt"))
        try Data("1000\n".utf8).write(to: URL(fileURLWithPath: dir + "/serial"))
        let config = """
            [ ca ]
            default_ca = test_ca
            [ test_ca ]
            database = \(dir)/index.txt
            new_certs_dir = \(dir)/newcerts
            serial = \(dir)/serial
            default_md = sha256
            policy = any_name
            unique_subject = no
            [ any_name ]
            commonName = supplied
            [ localhost ]
            basicConstraints = critical,CA:FALSE
            extendedKeyUsage = serverAuth
            subjectAltName = DNS:localhost,IP:127.0.0.1
            [ wrong ]
            basicConstraints = critical,CA:FALSE
            extendedKeyUsage = serverAuth
            subjectAltName = DNS:wrong.example

            """
        let configFile = dir + "/ca.cnf"
        try Data(config.utf8).write(to: URL(fileURLWithPath: configFile))
        let ca = dir + "/ca.pem"
        caFile = ca
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        try Self.openssl(
            ["req", "-x509"] + ec + [
                "-keyout", dir + "/ca.key", "-out", ca,
                "-subj", "/CN=Madoguchi Test CA", "-days", "30",
            ])

        func issue(_ name: String, cn: String, section: String, dates: [String]) throws -> CertificatePair {
            let pair = CertificatePair(certificate: "\(dir)/\(name).pem", key: "\(dir)/\(name).key")
            try Self.openssl(
                ["req", "-new"] + ec + [
                    "-keyout", pair.key, "-out", "\(dir)/\(name).csr",
                    "-subj", "/CN=\(cn)",
                ])
            try Self.openssl(
                [
                    "ca", "-config", configFile, "-batch", "-notext", "-cert", ca,
                    "-keyfile", dir + "/ca.key", "-in", "\(dir)/\(name).csr", "-out", pair.certificate,
                    "-extfile", configFile, "-extensions", section,
                ] + dates)
            return pair
        }
        server = try issue("server", cn: "localhost", section: "localhost", dates: ["-days", "30"])
        wrongHost = try issue("wrong", cn: "wrong.example", section: "wrong", dates: ["-days", "30"])
        expired = try issue(
            "expired", cn: "localhost", section: "localhost",
            dates: ["-startdate", "20200101000000Z", "-enddate", "20200201000000Z"])
        untrusted = CertificatePair(certificate: dir + "/untrusted.pem", key: dir + "/untrusted.key")
        try Self.openssl(
            ["req", "-x509"] + ec + [
                "-keyout", untrusted.key, "-out", untrusted.certificate,
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-days", "30",
            ])
        for file in [dir + "/server.key", dir + "/wrong.key", dir + "/expired.key", dir + "/untrusted.key"] {
            chmod(file, 0o644)
        }
    }

    /// Runs `openssl` with arguments and waits.
    /// - Throws: `TestToolError` with its output when it exits non-zero.
    static func openssl(_ arguments: [String]) throws {
        let outcome = try ChildProcess.run("/usr/bin/openssl", arguments)
        guard outcome.status == 0 && !outcome.killed else {
            throw TestToolError(
                "openssl \(arguments.prefix(2).joined(separator: " ")) failed: " + String(outcome.output.suffix(2000)))
        }
    }
}
