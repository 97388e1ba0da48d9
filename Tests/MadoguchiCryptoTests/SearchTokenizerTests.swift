// Search tokens: the exact formula of madoguchi-security(7) SEARCH INDEX, determinism, and
// separation between mailboxes and fields.

import MadoguchiCrypto
import Testing

@Suite struct SearchTokenizerTests {
    @Test("a token is hex of the first 8 bytes of HMAC(k, \"v1|field|bigram\")")
    func formula() throws {
        let key = try SecretKey.random()
        let tokenizer = try SearchTokenizer(key: key, field: "body")
        let token = try tokenizer.token("請求")
        #expect(token.count == 16)
        #expect(token == Hex.encode(try HMAC.sha256(key: key, text: "v1|body|請求").prefix(8)))
        // Repeated use of the one context stays correct.
        #expect(try tokenizer.token("請求") == token)
        #expect(try tokenizer.token("求書") != token)
    }

    @Test("index text is the space-separated tokens in order")
    func indexText() throws {
        let key = try SecretKey.random()
        let tokenizer = try SearchTokenizer(key: key, field: "subject")
        let bigrams = ["請求", "求書", "書の", "ab"]
        let text = try tokenizer.indexText(bigrams)
        #expect(text == (try bigrams.map { try tokenizer.token($0) }.joined(separator: " ")))
        #expect(try tokenizer.indexText([String]()) == "")
    }

    @Test("tokens do not correlate across mailboxes or fields")
    func separation() throws {
        let master = try MasterKey.generate()
        let ring = try KeyRing(
            wrappedKeys: [1: try KeyRing.newDataKey(id: 1, master: master)], currentKeyID: 1, master: master)
        let tokens = try [("1", "body"), ("2", "body"), ("1", "subject")].map {
            try ring.searchTokenizer(mailbox: $0.0, field: $0.1).token("請求")
        }
        #expect(Set(tokens).count == 3)
        #expect(try ring.searchTokenizer(mailbox: "1", field: "body").token("請求") == tokens[0])
    }
}
