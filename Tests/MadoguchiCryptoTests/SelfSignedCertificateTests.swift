// The self-signed TLS certificate, parsed back with OpenSSL: key type, SAN,
// validity, extensions, key match, and the `openssl x509` command line reads it.

import COpenSSL
import Foundation
import MadoguchiCrypto
import MadoguchiTestSupport
import Testing

/// Owned OpenSSL objects parsed from PEM text, freed on release.
private final class Parsed {
    let x509: OpaquePointer
    let key: OpaquePointer

    init(_ certificate: SelfSignedCertificate) throws {
        x509 = try Parsed.read(certificate.certificatePEM) { PEM_read_bio_X509($0, nil, nil, nil) }
        key = try Parsed.read(certificate.privateKeyPEM) { PEM_read_bio_PrivateKey($0, nil, nil, nil) }
    }

    private static func read(_ pem: String, _ parse: (OpaquePointer) -> OpaquePointer?) throws -> OpaquePointer {
        let bytes = Array(pem.utf8)
        let bio = try #require(BIO_new_mem_buf(bytes, Int32(bytes.count)))
        defer { BIO_free(bio) }
        return try #require(parse(bio))
    }

    deinit {
        X509_free(x509)
        EVP_PKEY_free(key)
    }
}

@Suite struct SelfSignedCertificateTests {
    @Test("the certificate parses back with the promised key, names and extensions")
    func parseBack() throws {
        let certificate = try SelfSignedCertificate.generate(
            commonName: "helpdesk.example.local", dnsNames: ["helpdesk.example.local", "*.desk.example.local"],
            ipAddresses: ["10.0.0.5", "::1"])
        #expect(certificate.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        #expect(certificate.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let parsed = try Parsed(certificate)

        #expect(X509_get_version(parsed.x509) == 2)
        let publicKey = try #require(X509_get0_pubkey(parsed.x509))
        #expect(EVP_PKEY_get_base_id(publicKey) == EVP_PKEY_EC)
        var group = [CChar](repeating: 0, count: 64)
        var groupLength = 0
        #expect(EVP_PKEY_get_group_name(publicKey, &group, group.count, &groupLength) == 1)
        #expect(String(decoding: group.prefix(groupLength).map { UInt8($0) }, as: UTF8.self) == "prime256v1")
        #expect(X509_check_private_key(parsed.x509, parsed.key) == 1)
        #expect(X509_get_signature_nid(parsed.x509) == NID_ecdsa_with_SHA256)
        #expect(X509_verify(parsed.x509, publicKey) == 1)  // self-signed

        for host in ["localhost", "helpdesk.example.local", "a.desk.example.local"] {
            #expect(X509_check_host(parsed.x509, host, host.utf8.count, 0, nil) == 1, "SAN \(host)")
        }
        #expect(X509_check_host(parsed.x509, "evil.example", 12, 0, nil) == 0)
        for address in ["127.0.0.1", "10.0.0.5", "::1"] {
            #expect(X509_check_ip_asc(parsed.x509, address, 0) == 1, "SAN \(address)")
        }
        #expect(X509_check_ip_asc(parsed.x509, "10.0.0.6", 0) == 0)

        var days: Int32 = 0
        var seconds: Int32 = 0
        #expect(
            ASN1_TIME_diff(&days, &seconds, X509_get0_notBefore(parsed.x509), X509_get0_notAfter(parsed.x509)) == 1)
        #expect(days == 365 && seconds == 0)
        #expect(X509_cmp_current_time(X509_get0_notBefore(parsed.x509)) <= 0)
        #expect(X509_cmp_current_time(X509_get0_notAfter(parsed.x509)) > 0)

        #expect(X509_check_ca(parsed.x509) == 0)
        #expect(X509_check_purpose(parsed.x509, X509_PURPOSE_SSL_SERVER, 0) == 1)
        #expect(X509_check_purpose(parsed.x509, X509_PURPOSE_SSL_CLIENT, 0) == 0)
        let usage = X509_get_key_usage(parsed.x509)
        #expect(usage & UInt32(KU_DIGITAL_SIGNATURE) != 0 && usage & UInt32(KU_KEY_CERT_SIGN) == 0)
    }

    @Test("serial numbers are random and positive")
    func serials() throws {
        let first = try Parsed(try SelfSignedCertificate.generate(commonName: "a"))
        let second = try Parsed(try SelfSignedCertificate.generate(commonName: "a"))
        #expect(ASN1_INTEGER_cmp(X509_get0_serialNumber(first.x509), X509_get0_serialNumber(second.x509)) != 0)
        #expect(ASN1_STRING_length(X509_get0_serialNumber(first.x509)) == 16)
    }

    @Test(
        "bad names are refused",
        arguments: [
            ("", [String](), [String]()), ("a,b", [], []), ("ok", ["bad,DNS:evil"], []), ("ok", ["-x.example"], []),
            ("ok", ["a..b"], []), ("ok", [], ["10.0.0.256"]), ("ok", [], ["DNS:x"]),
        ])
    func badNames(commonName: String, dnsNames: [String], ipAddresses: [String]) {
        #expect(throws: CryptoError.self) {
            try SelfSignedCertificate.generate(commonName: commonName, dnsNames: dnsNames, ipAddresses: ipAddresses)
        }
    }

    @Test("the openssl command line reads the certificate and key", .blocksThreads)
    func opensslCLI() throws {
        let certificate = try SelfSignedCertificate.generate(commonName: "madoguchi", dnsNames: ["desk.local"])
        let dir = try TemporaryDirectory()
        try certificate.certificatePEM.write(toFile: dir.file("cert.pem"), atomically: false, encoding: .utf8)
        try certificate.privateKeyPEM.write(toFile: dir.file("key.pem"), atomically: false, encoding: .utf8)
        let text = try run(["x509", "-in", dir.file("cert.pem"), "-noout", "-text"])
        #expect(text.contains("Subject: CN = madoguchi"))
        #expect(text.contains("Issuer: CN = madoguchi"))
        #expect(text.contains("DNS:localhost, IP Address:127.0.0.1, DNS:desk.local"))
        #expect(text.contains("CA:FALSE"))
        #expect(text.contains("TLS Web Server Authentication"))
        #expect(text.contains("Digital Signature"))
        #expect(text.contains("ecdsa-with-SHA256"))
        #expect(text.contains("NIST CURVE: P-256"))
        let keyText = try run(["pkey", "-in", dir.file("key.pem"), "-noout", "-text_pub"])
        #expect(keyText.contains("ASN1 OID: prime256v1"))
    }

    private func run(_ arguments: [String]) throws -> String {
        let outcome = try ChildProcess.run("/usr/bin/openssl", arguments, errors: .separate)
        #expect(outcome.status == 0 && !outcome.killed, "\(outcome.errors)")
        return outcome.output
    }
}
