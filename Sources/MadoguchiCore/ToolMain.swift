// ToolMain: the skeleton every executable runs in (Postfix's single_server /
// trigger_server idea): parse options, load and check the configuration, take the
// program's lock, run the body, and map any error to one sysexits code.
// Cron jobs print nothing on success; a held lock exits 75 quietly.

import Glibc

/// The shared program skeleton.
public enum ToolMain {
    /// Runs a program and exits the process with its status.
    /// - Parameters:
    ///   - tool: the program's description.
    ///   - arguments: the command line without the program name.
    ///   - body: the program's work; returns the exit status.
    public static func run(
        _ tool: ToolDescription, arguments: [String] = Array(CommandLine.arguments.dropFirst()),
        body: (ToolContext) throws -> SysExit
    ) -> Never {
        signal(SIGPIPE, SIG_IGN)
        umask(0o027)
        exit(execute(tool, arguments: arguments, body: body).rawValue)
    }

    /// Runs a program and returns its status (testable form of `run`).
    public static func execute(
        _ tool: ToolDescription, arguments: [String], body: (ToolContext) throws -> SysExit
    ) -> SysExit {
        var log = Log(program: tool.name)
        let parsed: ParsedArguments
        do {
            parsed = try CommandLineParser.parse(
                arguments, options: ToolDescription.commonOptions + tool.options,
                stopAtFirstOperand: tool.stopAtFirstOperand)
        } catch {
            log.write(.fatal, "\(error)")
            FileDescriptorWriter.writeAll(2, Array(tool.usageText.utf8))
            return .usage
        }
        if parsed.has("-h") || parsed.has("--help") {
            FileDescriptorWriter.writeAll(1, Array(tool.usageText.utf8))
            return .ok
        }
        let verbose = parsed.has("-v")
        log = Log(program: tool.name, verbose: verbose)

        let configuration: Configuration
        do {
            configuration = try loadConfiguration(tool, explicit: parsed.value("--config"))
        } catch {
            log.fatal("\(error)")
            return exitCode(for: error)
        }
        let destination = LogDestination(rawValue: configuration[.logDestination]) ?? .stderr
        log = Log(program: tool.name, verbose: verbose, destination: destination)

        if parsed.has("-n") {
            var report = "\(tool.name): configuration \(configuration.path ?? "(built-in defaults)") OK\n"
            if verbose {
                for parameter in ConfigSchema.all {
                    report += "\(parameter.name) = \(configuration.text(parameter))\n"
                }
            }
            FileDescriptorWriter.writeAll(1, Array(report.utf8))
            return .ok
        }

        var lock: ProcessLock?
        if tool.solitary {
            do {
                lock = try ProcessLock(path: configuration[.lockDirectory] + "/\(tool.name).lock")
            } catch let error as LockError {
                if case .held = error {
                    log.debug("\(error); exiting")
                } else {
                    log.fatal("\(error)")
                }
                return error.effectiveExitCode
            } catch {
                log.fatal("\(error)")
                return .software
            }
        }
        defer { withExtendedLifetime(lock) {} }

        let context = ToolContext(tool: tool, configuration: configuration, arguments: parsed, log: log)
        do {
            return try body(context)
        } catch let error as UsageError {
            log.fatal("\(error)")
            FileDescriptorWriter.writeAll(2, Array(tool.usageText.utf8))
            return .usage
        } catch {
            log.fatal("\(error)")
            return exitCode(for: error)
        }
    }

    private static func loadConfiguration(_ tool: ToolDescription, explicit: String?) throws -> Configuration {
        let path = explicit ?? Configuration.defaultPath
        if explicit == nil, tool.configuration == .optional, access(path, F_OK) != 0 {
            return .defaults
        }
        return try Configuration.load(path: path)
    }
}
