// madoguchi-bench: micro-benchmarks of the crypto paths the programs lean on
// (field encryption at 16 KiB, scrypt, search tokens, spool sealed box). Not shipped;
// run through Tests/Benchmarks/crypto.sh, which compares with `openssl speed`; the
// `search` mode (SearchBenchmark) through Tests/Benchmarks/search.sh, the `html` mode
// (HTMLBenchmark) through Tests/Benchmarks/html.sh, the `smtp` mode (SMTPBenchmark)
// through Tests/Benchmarks/smtp.sh, the `replies` and `replies-export` modes
// (RepliesBenchmark) through Tests/Benchmarks/send-replies.sh.
// Prints `name value unit` lines; rates use 1 MB = 10^6 bytes like openssl speed.

import MadoguchiCrypto

@main
struct MadoguchiBench {
    static func main() throws {
        // usage: madoguchi-bench [seconds] [field]   ("field" measures only FieldCipher)
        //        madoguchi-bench search directory [messages] [rounds]   (see SearchBenchmark)
        //        madoguchi-bench inbox directory [messages] [rounds]    (see InboxBenchmark)
        //        madoguchi-bench html [seconds]   (see HTMLBenchmark)
        //        madoguchi-bench smtp host port tls ca-file directory recipient   (see SMTPBenchmark)
        //        madoguchi-bench replies config count login | replies-export config directory   (see RepliesBenchmark)
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "smtp" {
            try SMTPBenchmark.run(Array(arguments.dropFirst()))
            return
        }
        if arguments.first == "replies" {
            try RepliesBenchmark.run(Array(arguments.dropFirst()))
            return
        }
        if arguments.first == "replies-export" {
            try RepliesBenchmark.export(Array(arguments.dropFirst()))
            return
        }
        if arguments.first == "html" {
            HTMLBenchmark.run(Array(arguments.dropFirst()))
            return
        }
        if arguments.first == "search" {
            try SearchBenchmark.run(Array(arguments.dropFirst()))
            return
        }
        if arguments.first == "inbox" {
            try InboxBenchmark.run(Array(arguments.dropFirst()))
            return
        }
        let seconds = arguments.first.flatMap { Double($0) } ?? 3
        let fieldOnly = arguments.dropFirst().first == "field"
        let clock = ContinuousClock()
        let budget = Duration.milliseconds(Int64(seconds * 1000))

        // Field encryption through FieldCipher (random nonce, AAD, blob header) at 16 KiB.
        let cipher = FieldCipher(keys: [1: try SecretKey.random()], currentKeyID: 1)
        let context = FieldContext(table: "messages", column: "body", row: 123_456)
        let block = try SecureRandom.bytes(16384)
        var sealedBlob: [UInt8] = []
        let sealRate = try rate(clock: clock, budget: budget) {
            sealedBlob = try cipher.seal(block, for: context)
            return block.count
        }
        print("field_seal_16k \(format(sealRate / 1e6)) MB/s")
        let openRate = try rate(clock: clock, budget: budget) {
            try cipher.open(sealedBlob, for: context).count
        }
        print("field_open_16k \(format(openRate / 1e6)) MB/s")
        if fieldOnly { return }

        // Search tokens: every bigram of a Japanese body with one key.
        let text = Array("お世話になっております。請求書の再発行をお願いしたく、ご連絡いたしました。宛名は株式会社窓口でお願いします。")
        let bigrams = (0..<(text.count - 1)).map { String(text[$0...$0 + 1]) }
        let tokenizer = try SearchTokenizer(key: try SecretKey.random(), field: "body")
        var output: [UInt8] = []
        output.reserveCapacity(bigrams.count * 17)
        let utf8Bigrams = bigrams.map { Array($0.utf8) }
        let tokenRate = try rate(clock: clock, budget: budget) {
            output.removeAll(keepingCapacity: true)
            for bigram in utf8Bigrams {
                try bigram.withUnsafeBytes { try tokenizer.appendToken(utf8: $0, to: &output) }
            }
            return utf8Bigrams.count
        }
        print("search_tokens \(format(tokenRate)) tokens/s")

        // Spool sealed box at 25 MB.
        let pair = try SpoolKeyPair.generate()
        let message = try SecureRandom.bytes(25 * 1024 * 1024)
        var box: [UInt8] = []
        let boxSeal = try rate(clock: clock, budget: budget) {
            box = try SealedBox.seal(message, to: pair.publicKey)
            return message.count
        }
        let boxOpen = try rate(clock: clock, budget: budget) {
            try SealedBox.open(box, with: pair).count
        }
        print("sealed_box_seal_25m \(format(boxSeal / 1e6)) MB/s")
        print("sealed_box_open_25m \(format(boxOpen / 1e6)) MB/s")

        // Password hashing at the production cost.
        let hasher = PasswordHasher(master: try MasterKey.generate())
        var record = ""
        let hashes = 5
        let start = clock.now
        for _ in 0..<hashes { record = try hasher.hash("correct horse battery staple") }
        let perHash = (clock.now - start) / hashes
        print("scrypt_n17_hash \(format(milliseconds(perHash))) ms/hash")
        guard try hasher.verify("correct horse battery staple", against: record) else {
            preconditionFailure("benchmark password did not verify")
        }
    }

    /// Runs `body` repeatedly for about `budget` and returns units per second.
    static func rate(clock: ContinuousClock, budget: Duration, _ body: () throws -> Int) throws -> Double {
        _ = try body()  // warm-up
        var units = 0
        let start = clock.now
        var elapsed = Duration.zero
        while elapsed < budget {
            units += try body()
            elapsed = clock.now - start
        }
        return Double(units) / seconds(elapsed)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func milliseconds(_ duration: Duration) -> Double { seconds(duration) * 1000 }

    static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return String(rounded)
    }
}
