// Threading+Tokens: the threading tokens Madoguchi issues and verifies (A25 in
// madoguchi-security(7)): the subject tag `[#123-K7Q2MX]` and the Message-ID of an
// outgoing reply `<madoguchi.123.<code>.<random>@host>`, each carrying a truncated
// HMAC under the `thread|<k>` sub-key, so a reply attaches by proof, not by its From.
// SECURITY: codes are compared in constant time, under every data key version.

import MadoguchiCrypto

extension Threading {
    /// Characters of token codes and random parts: 32 (5 bits each), without the
    /// look-alikes 0/O and 1/I.
    static let codeAlphabet = Array("23456789ABCDEFGHJKLMNPQRSTUVWXYZ".utf8)
    /// Characters of the code in a subject tag: 30 bits, short enough to read aloud;
    /// a forger who cannot see whether a guess worked needs about 5×10^8 mails per hit.
    public static let tagCodeLength = 6
    /// Characters of the code in an outgoing Message-ID: 80 bits (nobody types these).
    public static let messageIDCodeLength = 16
    /// Characters of the random part of an outgoing Message-ID: 80 bits.
    static let messageIDRandomLength = 16
    /// The first dot-separated part of the local part of an outgoing Message-ID.
    static let messageIDPrefix = "madoguchi"

    /// A `[#123]` or `[#123-K7Q2MX]` tag found in a subject.
    public struct SubjectTag: Sendable, Equatable {
        /// The inquiry the tag names.
        public let inquiryID: Int64
        /// The code after the dash, upper-cased; nil for a bare tag.
        public let code: String?

        /// Creates a tag value.
        public init(inquiryID: Int64, code: String? = nil) {
            self.inquiryID = inquiryID
            self.code = code
        }
    }

    /// What a Message-ID in the format of our outgoing replies says.
    public enum OutgoingReference: Sendable, Equatable {
        /// Its code verifies: we issued it for this inquiry.
        case verified(inquiryID: Int64)
        /// It has our format and names this inquiry, but its code does not verify.
        case forged(inquiryID: Int64)
    }

    /// The verified subject tag of an inquiry, `[#123-K7Q2MX]`, for the reply editor to
    /// put in the subject of every reply (see also `taggedSubject`).
    /// - Parameters:
    ///   - inquiryID: the inquiry (positive).
    ///   - keys: the instance key ring; the current data key makes the code.
    /// - Throws: `CryptoError`.
    public static func subjectTag(inquiryID: Int64, keys: KeyRing) throws -> String {
        precondition(inquiryID > 0, "inquiry ids are positive")
        let code = try tagCode(inquiryID, keys: keys, keyID: nil)
        return "[#\(inquiryID)-" + String(decoding: code, as: UTF8.self) + "]"
    }

    /// `subject` with the verified tag of `inquiryID` appended after a blank, unless it
    /// already carries that tag with a valid code.
    /// - Throws: `CryptoError`.
    public static func taggedSubject(_ subject: String, inquiryID: Int64, keys: KeyRing) throws -> String {
        for tag in subjectTags(subject) where tag.inquiryID == inquiryID {
            if try isVerified(tag, keys: keys) { return subject }
        }
        let tag = try subjectTag(inquiryID: inquiryID, keys: keys)
        return subject.isEmpty ? tag : subject + " " + tag
    }

    /// Whether a subject tag carries the code we issued for its inquiry (under any data
    /// key version of the ring, so tags survive a key rotation).
    /// - Throws: `CryptoError`.
    public static func isVerified(_ tag: SubjectTag, keys: KeyRing) throws -> Bool {
        guard let code = tag.code.map({ Array($0.utf8) }), code.count == tagCodeLength else { return false }
        return try keys.keyIDs.contains { keyID in
            ConstantTime.equals(code, try tagCode(tag.inquiryID, keys: keys, keyID: keyID))
        }
    }

    /// A new Message-ID for an outgoing reply of an inquiry, to be sent (and stored with
    /// `messageIDIndex`) by the program that sends replies:
    /// `<madoguchi.<inquiry>.<code>.<random>@<host>>`, where `random` is 80 random bits
    /// and `code` the first 80 bits of HMAC(k_thread, `message-id|<inquiry>|<random>`),
    /// both in `codeAlphabet`. An answer naming it in `In-Reply-To` or `References`
    /// joins the inquiry whoever sends it.
    /// - Parameters:
    ///   - inquiryID: the inquiry the reply belongs to (positive).
    ///   - host: the domain after `@` (letters, digits, `-` and `.`; lower-cased).
    ///   - keys: the instance key ring; the current data key makes the code.
    /// - Returns: the Message-ID with its angle brackets (RFC 5322, section 3.6.4).
    /// - Throws: `ThreadingError.invalidHost`, `CryptoError`.
    public static func outgoingMessageID(inquiryID: Int64, host: String, keys: KeyRing) throws -> String {
        precondition(inquiryID > 0, "inquiry ids are positive")
        let domain = host.lowercased()
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...253).contains(domain.utf8.count),
            labels.allSatisfy({ label in
                !label.isEmpty
                    && label.utf8.allSatisfy { $0 == 0x2D || (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) }
            })
        else { throw ThreadingError.invalidHost(host) }
        let random = String(decoding: code(try SecureRandom.bytes(10), count: messageIDRandomLength), as: UTF8.self)
        let mac = try messageIDCode(inquiryID, random: random, keys: keys, keyID: nil)
        return "<\(messageIDPrefix).\(inquiryID)." + String(decoding: mac, as: UTF8.self) + ".\(random)@\(domain)>"
    }

    /// Reads a Message-ID (from `In-Reply-To`, `References` or `Message-ID`) as one of
    /// our outgoing Message-IDs. The domain is not checked: only the code proves it.
    /// - Returns: nil when it does not have our format (`madoguchi.<digits>.….…@…`).
    /// - Throws: `CryptoError`.
    public static func outgoingReference(_ messageID: String, keys: KeyRing) throws -> OutgoingReference? {
        guard let normal = normalizeMessageID(messageID), let at = normal.lastIndex(of: "@") else { return nil }
        let parts = normal[..<at].split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0].lowercased() == messageIDPrefix, let inquiryID = inquiryNumber(parts[1])
        else { return nil }
        let presented = Array(parts[2].uppercased().utf8)
        let random = parts[3].uppercased()
        guard presented.count == messageIDCodeLength, random.utf8.count == messageIDRandomLength,
            random.utf8.allSatisfy(codeAlphabet.contains)
        else { return .forged(inquiryID: inquiryID) }
        for keyID in keys.keyIDs {
            let expected = try messageIDCode(inquiryID, random: random, keys: keys, keyID: keyID)
            if ConstantTime.equals(presented, expected) { return .verified(inquiryID: inquiryID) }
        }
        return .forged(inquiryID: inquiryID)
    }

    /// The tags in a subject, in order, after NFKC (so full-width `［＃１２３－Ｋ７Ｑ２ＭＸ］`
    /// counts): `[#` 1 to 18 digits (not 0), then `]`, or `-`, 1 to 32 letters or
    /// digits and `]`. Anything else is not a tag.
    public static func subjectTags(_ subject: String) -> [SubjectTag] {
        let text = Array(NFKC.normalize(subject).utf8)
        var tags: [SubjectTag] = []
        var index = 0
        while index + 3 < text.count {
            guard text[index] == 0x5B, text[index + 1] == 0x23 else {
                index += 1
                continue
            }
            var end = index + 2
            var value: Int64 = 0
            while end < text.count, (0x30...0x39).contains(text[end]), end - index < 20 {
                value = value * 10 + Int64(text[end] - 0x30)
                end += 1
            }
            guard end > index + 2, value > 0, end < text.count else {
                index = end
                continue
            }
            if text[end] == 0x5D {
                tags.append(SubjectTag(inquiryID: value))
            } else if text[end] == 0x2D {
                var codeEnd = end + 1
                while codeEnd < text.count, codeEnd - end <= 32, isAlphanumeric(text[codeEnd]) { codeEnd += 1 }
                if codeEnd > end + 1, codeEnd < text.count, text[codeEnd] == 0x5D {
                    let code = String(decoding: text[(end + 1)..<codeEnd], as: UTF8.self).uppercased()
                    tags.append(SubjectTag(inquiryID: value, code: code))
                    end = codeEnd
                }
            }
            index = end
        }
        return tags
    }

    /// The code of a subject tag: HMAC(k_thread, `subject-tag|<inquiry>`), first 30 bits.
    static func tagCode(_ inquiryID: Int64, keys: KeyRing, keyID: UInt32?) throws -> [UInt8] {
        code(try keys.threadTokenMAC("subject-tag|\(inquiryID)", keyID: keyID), count: tagCodeLength)
    }

    /// The code of an outgoing Message-ID: HMAC(k_thread, `message-id|<inquiry>|<random>`),
    /// first 80 bits.
    static func messageIDCode(_ inquiryID: Int64, random: String, keys: KeyRing, keyID: UInt32?) throws -> [UInt8] {
        code(try keys.threadTokenMAC("message-id|\(inquiryID)|\(random)", keyID: keyID), count: messageIDCodeLength)
    }

    /// The first `5 × count` bits of `bytes` as `count` characters of `codeAlphabet`.
    static func code(_ bytes: [UInt8], count: Int) -> [UInt8] {
        precondition(count * 5 <= bytes.count * 8, "not enough bits")
        var out: [UInt8] = []
        out.reserveCapacity(count)
        var buffer: UInt32 = 0
        var bits = 0
        var index = 0
        while out.count < count {
            if bits < 5 {
                buffer = (buffer << 8) | UInt32(bytes[index])
                index += 1
                bits += 8
            }
            out.append(codeAlphabet[Int((buffer >> UInt32(bits - 5)) & 31)])
            bits -= 5
        }
        return out
    }

    /// A positive decimal inquiry id of 1 to 18 ASCII digits, else nil.
    static func inquiryNumber(_ text: Substring) -> Int64? {
        guard (1...18).contains(text.utf8.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let value = Int64(text), value > 0
        else { return nil }
        return value
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }
}
