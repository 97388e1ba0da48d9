// InspectMailCommand: `madoguchi inspect-mail [--json] file ...`: parses each file
// and prints one JSON object per line (exact key set, relied on by external checks)
// or a readable summary. Bad files get a per-file error and exit 65 at the end.
// SECURITY: the summary escapes control characters so mail cannot drive the terminal.

import Glibc
import MadoguchiCore
import MadoguchiCrypto

/// The `inspect-mail` subcommand.
public enum InspectMailCommand {
    /// The subcommand's usage line.
    public static let usage = "madoguchi [-nv] [--config file] inspect-mail [--json] file ..."

    /// Runs the subcommand.
    /// - Parameters:
    ///   - arguments: the words after `inspect-mail`.
    ///   - context: the tool context (configuration gives the parser limits; log for errors).
    ///   - output: file descriptor for results (standard output by default).
    /// - Returns: `.ok`, `.dataError` if any file could not be read, `.usage` for bad arguments.
    public static func run(arguments: [String], context: ToolContext, output: Int32 = 1) -> SysExit {
        let parsed: ParsedArguments
        do {
            parsed = try CommandLineParser.parse(arguments, options: [OptionSpec("--json")])
        } catch {
            context.log.fatal("\(error)")
            FileDescriptorWriter.writeAll(2, Array("usage: \(usage)\n".utf8))
            return .usage
        }
        if parsed.operands.isEmpty {
            context.log.fatal("inspect-mail: no file given")
            FileDescriptorWriter.writeAll(2, Array("usage: \(usage)\n".utf8))
            return .usage
        }
        let json = parsed.has("--json")
        let parser = MessageParser(limits: MailLimits(context.configuration))
        var buffer = [UInt8]()
        buffer.reserveCapacity(1 << 17)
        var failed = false
        for path in parsed.operands {
            let raw: [UInt8]
            do {
                raw = try readFile(path)
            } catch {
                FileDescriptorWriter.writeAll(output, buffer)
                buffer.removeAll(keepingCapacity: true)
                context.log.error("\(path): \(error)")
                failed = true
                continue
            }
            let message = parser.parse(raw)
            if case .malformed(let reason) = message.verdict {
                context.log.warning("\(path): malformed message: \(reason)")
            }
            if json {
                buffer += jsonLine(file: path, message)
            } else {
                buffer += Array(summary(file: path, message).utf8)
            }
            if buffer.count >= 1 << 16 {
                FileDescriptorWriter.writeAll(output, buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        FileDescriptorWriter.writeAll(output, buffer)
        return failed ? .dataError : .ok
    }

    /// The JSON object (one line, with the newline) for one parsed file.
    public static func jsonLine(file: String, _ message: ParsedMessage) -> [UInt8] {
        var out = JSONOutput()
        out.raw("{\"file\":")
        out.string(file)
        out.raw(",\"subject\":")
        out.string(message.subject)
        out.raw(",\"from_name\":")
        out.string(message.from.first?.name)
        out.raw(",\"from_addr\":")
        out.string(message.from.first?.address)
        out.raw(",\"to_addrs\":")
        out.strings(message.to.map(\.address))
        out.raw(",\"cc_addrs\":")
        out.strings(message.cc.map(\.address))
        out.raw(",\"date\":")
        out.string(message.date.map { MailDate.iso8601($0) })
        out.raw(",\"message_id\":")
        out.string(message.messageID)
        out.raw(",\"in_reply_to\":")
        out.string(message.inReplyTo)
        out.raw(",\"references\":")
        out.strings(message.references)
        out.raw(",\"text_body\":")
        out.string(message.textBody)
        out.raw(",\"has_html\":")
        out.bool(message.htmlBody != nil)
        out.raw(",\"attachments\":[")
        for (index, attachment) in message.attachments.enumerated() {
            if index > 0 { out.raw(",") }
            out.raw("{\"filename\":")
            out.string(attachment.filename)
            out.raw(",\"content_type\":")
            out.string(attachment.contentType)
            out.raw(",\"size\":")
            out.integer(attachment.data.count)
            out.raw(",\"sha256\":")
            out.string(Hex.encode(SHA256Hasher.hash(attachment.data)))
            out.raw("}")
        }
        out.raw("]}\n")
        return out.bytes
    }

    /// A readable multi-line summary for one parsed file (control characters escaped).
    public static func summary(file: String, _ message: ParsedMessage) -> String {
        func show(_ text: String?) -> String { text.map { Log.escape($0) } ?? "(none)" }
        func mailbox(_ address: MailAddress) -> String {
            address.name.map { "\(Log.escape($0)) <\(Log.escape(address.address))>" } ?? Log.escape(address.address)
        }
        var text = "\(Log.escape(file)):\n"
        text += "  Subject:     \(show(message.subject))\n"
        text += "  From:        \(message.from.map(mailbox).joined(separator: ", "))\n"
        text += "  To:          \(message.to.map(mailbox).joined(separator: ", "))\n"
        if !message.cc.isEmpty { text += "  Cc:          \(message.cc.map(mailbox).joined(separator: ", "))\n" }
        text += "  Date:        \(show(message.date.map { MailDate.iso8601($0) }))\n"
        text += "  Message-ID:  \(show(message.messageID))\n"
        if let reply = message.inReplyTo { text += "  In-Reply-To: \(Log.escape(reply))\n" }
        if let body = message.textBody {
            text += "  Text body:   \(body.count) characters\n"
        } else {
            text += "  Text body:   (none)\n"
        }
        text += "  HTML body:   \(message.htmlBody == nil ? "no" : "yes")\n"
        for attachment in message.attachments {
            text += "  Attachment:  \(show(attachment.filename)) (\(Log.escape(attachment.contentType)), "
            text += "\(attachment.data.count) bytes, sha256 \(Hex.encode(SHA256Hasher.hash(attachment.data))))\n"
        }
        switch message.verdict {
        case .ok: text += "  Verdict:     ok\n"
        case .malformed(let reason): text += "  Verdict:     malformed: \(Log.escape(reason))\n"
        }
        return text
    }

    /// Reads a whole regular file.
    /// - Throws: `SystemError` if it cannot be opened or read, or is not a regular file.
    static func readFile(_ path: String) throws -> [UInt8] {
        // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 { throw SystemError.current("open") }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) != 0 { throw SystemError.current("fstat") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw InspectMailError.notRegularFile }
        var result = [UInt8]()
        result.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError.current("read")
            }
            if n == 0 { break }
            result.append(contentsOf: chunk[0..<n])
        }
        return result
    }
}
