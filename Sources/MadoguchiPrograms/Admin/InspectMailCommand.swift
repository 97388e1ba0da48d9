// InspectMailCommand: `madoguchi inspect-mail [--json] file ...`: parses each file
// and prints one JSON object per line (exact key set, relied on by external checks)
// or a readable summary. Bad files get a per-file error and exit 65 at the end.
// SECURITY: the summary escapes control characters so mail cannot drive the terminal.

import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore

/// The `inspect-mail` subcommand.
public enum InspectMailCommand: AdminCommand {
    /// The command word.
    public static let name = "inspect-mail"

    /// The subcommand's usage lines.
    public static let usage = ["madoguchi [-nv] [--config file] inspect-mail [--json] file ..."]

    /// Runs the subcommand.
    /// - Parameter invocation: the files and `--json`; the configuration gives the parser limits.
    /// - Returns: `.ok`, `.dataError` if any file could not be read, `.usage` for bad arguments.
    public static func run(_ invocation: AdminInvocation) -> SysExit {
        let arguments = invocation.arguments
        let context = invocation.context
        let output = invocation.output
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
                buffer += message.inspectionJSON(file: path)
            } else {
                buffer += Array(message.inspectionSummary(file: path).utf8)
            }
            if buffer.count >= 1 << 16 {
                FileDescriptorWriter.writeAll(output, buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        FileDescriptorWriter.writeAll(output, buffer)
        return failed ? .dataError : .ok
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
        return try DurableFile.readAll(fd, expected: Int(info.st_size), context: "read")
    }
}
