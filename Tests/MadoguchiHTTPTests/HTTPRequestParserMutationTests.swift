// HTTPRequestParserMutationTests: mutated requests (bytes flipped, CR, LF, NUL,
// blanks and colons inserted, cut short) must give the same answer whether they
// arrive at once or in random small pieces, and never crash: the incremental scan
// and the limits do not depend on where the reads split the bytes.

import MadoguchiHTTP
import Testing

@Suite struct HTTPRequestParserMutationTests {
    /// Knuth's MMIX linear congruential generator, high bits only: a fixed seed makes
    /// every run test the same inputs, which is all the mutations need.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 32 | (state & 0xFFFF_FFFF_0000_0000)
        }
    }

    static let rounds = 3000

    static let corpus = [
        "GET /inquiries?status=new&q=%E7%AA%93 HTTP/1.1\r\nHost: h\r\nCookie: a=1; b=2\r\n\r\n",
        "POST /login HTTP/1.1\r\nHost: h\r\nContent-Length: 7\r\nContent-Type: x\r\n\r\nlogin=a",
        "HEAD /static/app.css HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "\r\nGET / HTTP/1.1\r\nHost: h\r\nX-A: b\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n",
    ]

    /// The results of parsing `bytes` fed in pieces of the given sizes, until the first
    /// error or the end.
    static func results(_ bytes: [UInt8], pieces: [Int], limits: HTTPRequestParser.Limits) -> [String] {
        let parser = HTTPRequestParser(limits: limits)
        var rest = bytes[...]
        var found: [String] = []
        var index = 0
        while !rest.isEmpty {
            let taken = parser.append(rest.prefix(pieces[index % pieces.count]))
            index += 1
            rest = rest.dropFirst(taken)
            while true {
                switch parser.next() {
                case .needMore:
                    break
                case .request(let request):
                    found.append("\(request.method) \(request.path) \(request.query.count) \(request.body)")
                    continue
                case .error(let error):
                    found.append("error \(error.status.code)")
                    return found
                }
                break
            }
        }
        return found
    }

    @Test(
        "mutated requests: the same results at once and in random pieces, no crash",
        arguments: [0x4D61_646F_6775_6368, 1, 2] as [UInt64])
    func mutations(seed: UInt64) {
        var random = Generator(state: seed)
        var limits = HTTPRequestParser.Limits()
        limits.maxRequestLine = 64
        limits.maxFieldSize = 48
        limits.maxHeaderFields = 6
        limits.maxHeaderBlock = 160
        limits.maxBodySize = 16
        let inserts: [UInt8] = [0x0D, 0x0A, 0x00, 0x20, 0x09, 0x3A, 0x25, 0x2F, 0x2E, 0xC0, 0x7F]
        for round in 0..<Self.rounds {
            var bytes = Array(Self.corpus[round % Self.corpus.count].utf8)
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let position = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: bytes[position] = UInt8.random(in: 0...255, using: &random)
                case 1: bytes.insert(inserts.randomElement(using: &random)!, at: position)
                case 2: bytes.remove(at: position)
                default:
                    bytes.insert(contentsOf: repeatElement(UInt8(ascii: "a"), count: 40), at: position)
                }
                if bytes.isEmpty { bytes = [0x0A] }
            }
            let whole = Self.results(bytes, pieces: [bytes.count], limits: limits)
            let pieces = (0..<8).map { _ in Int.random(in: 1...7, using: &random) }
            let split = Self.results(bytes, pieces: pieces, limits: limits)
            #expect(whole == split, "round \(round): \(String(decoding: bytes, as: UTF8.self).debugDescription)")
        }
    }
}
