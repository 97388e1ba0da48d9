// AttachmentName: the file-name rule downloads (A17, A18) and outgoing replies (C5)
// share: the last path part, no controls or bidi controls, trimmed, an ASCII
// fallback of safe characters only.

import Testing

@testable import MadoguchiMail

@Suite struct AttachmentNameTests {
    static let cases: [(String?, String, String)] = [
        ("..\\x.exe", "x.exe", "x.exe"),
        ("../../etc/passwd", "passwd", "passwd"),
        ("C:\\Users\\x\\見積書.pdf", "見積書.pdf", "___.pdf"),
        ("a.pdf\0.exe", "a.pdf.exe", "a.pdf.exe"),
        ("請求書\u{202E}fdp.exe", "請求書fdp.exe", "___fdp.exe"),
        ("\u{2066}x\u{2069}\u{200F}.txt", "x.txt", "x.txt"),
        ("a\"b;c\r\nd.txt", "a\"b;cd.txt", "a_b_cd.txt"),
        ("  ..hidden. ", "hidden", "hidden"),
        ("..", "attachment.bin", "attachment.bin"),
        ("/", "attachment.bin", "attachment.bin"),
        (nil, "attachment.bin", "attachment.bin"),
        ("日本語", "日本語", "attachment.bin"),
        (String(repeating: "a", count: 300), String(repeating: "a", count: 200), String(repeating: "a", count: 200)),
    ]

    @Test("names are cut to their last path part, cleaned and given an ASCII fallback", arguments: cases)
    func sanitized(_ testCase: (String?, String, String)) {
        let name = AttachmentName.sanitized(testCase.0)
        #expect(name == testCase.1)
        #expect(AttachmentName.ascii(name) == testCase.2)
    }
}
