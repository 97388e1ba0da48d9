// SelfSignedCertificate: the TLS certificate `madoguchi init` creates for the web page
// when no internal CA is used: EC P-256 key, SHA-256 signature, 365 days, CA:FALSE,
// keyUsage digitalSignature, extendedKeyUsage serverAuth, SAN DNS:localhost, IP:127.0.0.1
// plus the given names. SECURITY: the key PEM is unencrypted PKCS#8; write it 0600.

import COpenSSL
import Glibc

/// A freshly generated self-signed server certificate and its key, as PEM.
public struct SelfSignedCertificate: Sendable {
    /// The certificate (`-----BEGIN CERTIFICATE-----`).
    public let certificatePEM: String
    /// The private key as PKCS#8 (`-----BEGIN PRIVATE KEY-----`).
    public let privateKeyPEM: String

    /// Generates a certificate.
    /// - Parameters:
    ///   - commonName: subject and issuer CN (1–64 printable ASCII characters).
    ///   - dnsNames: extra DNS subjectAltNames (letters, digits, `-`, `.`, optional leading `*.`).
    ///   - ipAddresses: extra IP subjectAltNames (IPv4 or IPv6 text).
    ///   - validityDays: lifetime in days (1–366; default 365).
    /// - Throws: `CryptoError.malformed` for a bad name, `.library` on an OpenSSL failure.
    public static func generate(
        commonName: String, dnsNames: [String] = [], ipAddresses: [String] = [], validityDays: Int = 365
    ) throws -> SelfSignedCertificate {
        guard (1...64).contains(commonName.utf8.count),
            commonName.utf8.allSatisfy({ (0x20...0x7E).contains($0) && $0 != UInt8(ascii: ",") })
        else { throw CryptoError.malformed("certificate common name") }
        guard (1...366).contains(validityDays) else { throw CryptoError.malformed("certificate validity") }
        var names = ["DNS:localhost", "IP:127.0.0.1"]
        for name in dnsNames {
            guard isDNSName(name) else { throw CryptoError.malformed("certificate DNS name") }
            names.append("DNS:" + name.lowercased())
        }
        for address in ipAddresses {
            guard isIPAddress(address) else { throw CryptoError.malformed("certificate IP address") }
            names.append("IP:" + address)
        }
        var unique: [String] = []
        for name in names where !unique.contains(name) { unique.append(name) }

        let key = try PrivateKeyHandle.generateEC(curve: "P-256")
        guard let x509 = X509_new() else { throw CryptoError.openssl("X509_new") }
        defer { X509_free(x509) }
        guard X509_set_version(x509, 2) == 1 else { throw CryptoError.openssl("X509_set_version") }
        try setRandomSerial(x509)
        guard X509_gmtime_adj(X509_getm_notBefore(x509), 0) != nil,
            X509_gmtime_adj(X509_getm_notAfter(x509), validityDays * 86400) != nil
        else { throw CryptoError.openssl("X509_gmtime_adj") }
        guard X509_set_pubkey(x509, key.pkey) == 1 else { throw CryptoError.openssl("X509_set_pubkey") }
        guard let subject = X509_get_subject_name(x509),
            X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC, commonName, -1, -1, 0) == 1,
            X509_set_issuer_name(x509, subject) == 1
        else { throw CryptoError.openssl("X509_NAME_add_entry_by_txt") }
        var v3 = X509V3_CTX()
        X509V3_set_ctx(&v3, x509, x509, nil, nil, 0)
        let extensions: [(Int32, String)] = [
            (NID_basic_constraints, "critical,CA:FALSE"),
            (NID_key_usage, "critical,digitalSignature"),
            (NID_ext_key_usage, "serverAuth"),
            (NID_subject_key_identifier, "hash"),
            (NID_subject_alt_name, unique.joined(separator: ",")),
        ]
        for (nid, value) in extensions {
            guard let ext = X509V3_EXT_conf_nid(nil, &v3, nid, value) else {
                throw CryptoError.openssl("X509V3_EXT_conf_nid(\(nid))")
            }
            defer { X509_EXTENSION_free(ext) }
            guard X509_add_ext(x509, ext, -1) == 1 else { throw CryptoError.openssl("X509_add_ext") }
        }
        guard X509_sign(x509, key.pkey, EVP_sha256()) > 0 else { throw CryptoError.openssl("X509_sign") }
        let certificate = try pem { PEM_write_bio_X509($0, x509) }
        let privateKey = try pem { PEM_write_bio_PrivateKey($0, key.pkey, nil, nil, 0, nil, nil) }
        return SelfSignedCertificate(certificatePEM: certificate, privateKeyPEM: privateKey)
    }

    private static func setRandomSerial(_ x509: OpaquePointer) throws {
        var bytes = try SecureRandom.bytes(16)
        bytes[0] &= 0x7F  // positive
        bytes[0] |= 0x40  // and a full 127 bits, never zero
        guard let bn = BN_bin2bn(bytes, Int32(bytes.count), nil) else { throw CryptoError.openssl("BN_bin2bn") }
        defer { BN_free(bn) }
        guard BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x509)) != nil else {
            throw CryptoError.openssl("BN_to_ASN1_INTEGER")
        }
    }

    private static func pem(_ write: (OpaquePointer) -> Int32) throws -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw CryptoError.openssl("BIO_new") }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { throw CryptoError.openssl("PEM_write_bio") }
        var data: UnsafeMutablePointer<CChar>?
        let length = copenssl_bio_get_mem_data(bio, &data)
        guard length > 0, let data else { throw CryptoError.openssl("BIO_get_mem_data") }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    }

    private static func isDNSName(_ name: String) -> Bool {
        var rest = Substring(name)
        if rest.hasPrefix("*.") { rest = rest.dropFirst(2) }
        guard (1...253).contains(rest.utf8.count) else { return false }
        return rest.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
                && label.utf8.allSatisfy {
                    (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0)
                        || $0 == UInt8(ascii: "-")
                }
        }
    }

    private static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}
