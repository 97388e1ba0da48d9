// MailboxReplySettings: how replies from one mailbox leave — whether they need approval,
// the body charset, the From address and name, the signature — as `madoguchi mailbox
// set` stores them in `mailboxes` (migration 9) and the reply editor and send-replies read them.
// SECURITY: the signature is sealed (`signature_enc`); the From address is checked here
// only as one plain ASCII `local@domain` — the composer's OutgoingAddress is the strict
// RFC 5322 parser every sent header goes through.

import MadoguchiMail

/// The reply settings of a mailbox.
public struct MailboxReplySettings: Sendable, Equatable {
    /// The body charset of replies.
    public enum Charset: String, Sendable, CaseIterable {
        /// UTF-8 (the default).
        case utf8 = "utf-8"
        /// ISO-2022-JP (with the CP50221 extensions), for customers whose mail clients need it.
        case iso2022jp = "iso-2022-jp"

        /// The composer's charset.
        public var outgoing: OutgoingCharset { self == .utf8 ? .utf8 : .iso2022JP }
    }

    /// A change of the settings: nil fields stay as they are.
    public struct Change: Sendable, Equatable {
        /// Whether replies need approval.
        public var approvalRequired: Bool?
        /// The body charset.
        public var charset: Charset?
        /// The From address (one ASCII `local@domain`).
        public var fromAddress: String?
        /// The From display name (1 to 100 characters, no control characters).
        public var fromName: String?
        /// The signature: `.some(text)` sets it, `.some(nil)` removes it.
        public var signature: String??

        /// Creates a change.
        public init(
            approvalRequired: Bool? = nil, charset: Charset? = nil, fromAddress: String? = nil,
            fromName: String? = nil, signature: String?? = nil
        ) {
            self.approvalRequired = approvalRequired
            self.charset = charset
            self.fromAddress = fromAddress
            self.fromName = fromName
            self.signature = signature
        }

        /// Whether the change changes nothing.
        public var isEmpty: Bool {
            approvalRequired == nil && charset == nil && fromAddress == nil && fromName == nil && signature == nil
        }
    }

    /// The longest signature, in characters.
    public static let maximumSignatureLength = 4_000

    /// Replies wait in 承認待ち for a user with `approve`.
    public var approvalRequired: Bool
    /// The body charset.
    public var charset: Charset
    /// The From address, or nil when none is set.
    public var fromAddress: String?
    /// The From display name, or nil.
    public var fromName: String?
    /// The signature appended to replies, decrypted, or nil.
    public var signature: String?

    /// Creates a value.
    public init(
        approvalRequired: Bool = false, charset: Charset = .utf8, fromAddress: String? = nil, fromName: String? = nil,
        signature: String? = nil
    ) {
        self.approvalRequired = approvalRequired
        self.charset = charset
        self.fromAddress = fromAddress
        self.fromName = fromName
        self.signature = signature
    }

    /// Whether `address` is one plain ASCII `local@domain`: a dot-atom local part of
    /// RFC 5322 atext (1 to 64 characters) and a domain of letter-digit-hyphen labels,
    /// 254 characters at most. Basic on purpose: OutgoingAddress (MadoguchiMail) parses
    /// what is sent.
    public static func isPlainAddress(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, address.utf8.count <= 254, let local = parts.first, let domain = parts.last,
            (1...64).contains(local.utf8.count), (1...253).contains(domain.utf8.count)
        else { return false }
        let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~".utf8)
        let atoms = local.split(separator: ".", omittingEmptySubsequences: false)
        guard atoms.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(atext.contains) }) else { return false }
        let ldh = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-".utf8)
        return domain.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            (1...63).contains(label.utf8.count) && label.utf8.allSatisfy(ldh.contains) && label.first != "-"
                && label.last != "-"
        }
    }
}
