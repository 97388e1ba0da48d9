// AdminOutput: how the admin commands (list, search, quarantine) print: writes that end
// quietly on a closed pipe, and aligned text columns that count East Asian wide
// characters as two (JSON lines come from JSONOutput).
// SECURITY: text columns hold customer-controlled strings; control characters and bidi
// overrides are escaped so a subject cannot move the cursor or reorder the terminal line.

import Foundation
import Glibc
import MadoguchiCore
import MadoguchiCrypto
import MadoguchiInbox
import MadoguchiMail
import MadoguchiStore

/// Output helpers shared by the admin commands.
public enum AdminOutput {
    /// Writes all of `bytes` to `fd`. A reader that went away (`| head`: EPIPE, SIGPIPE is
    /// ignored) ends the output quietly, as for other filters.
    /// - Throws: `SystemError` for any other write failure (a full disk behind a redirect).
    public static func write(_ bytes: [UInt8], to fd: Int32) throws {
        do {
            try FileDescriptorWriter.writeAllOrThrow(fd, bytes, context: "write")
        } catch let error as SystemError where error.code == EPIPE {
            return
        }
    }

    /// Runs a domain operation and turns its argument errors (an empty query, an unknown
    /// mailbox or status) into `UsageError`s with the same text, so the command prints its
    /// usage and exits 64 as for any other bad argument.
    /// - Throws: `UsageError`, or whatever else `body` throws.
    public static func usageErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as InquiryError {
            throw UsageError(error.description)
        } catch let error as SearchError {
            throw UsageError(error.description)
        }
    }

    /// `text` safe to show on a terminal: C0/C1 controls escaped (`Log.escape`), and bidi
    /// and other format controls shown as `\u{XXXX}`.
    public static func terminalSafe(_ text: String) -> String {
        let escaped = Log.escape(text)
        guard escaped.unicodeScalars.contains(where: { $0.properties.generalCategory == .format }) else {
            return escaped
        }
        var out = ""
        for scalar in escaped.unicodeScalars {
            if scalar.properties.generalCategory == .format {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Columns of a terminal a string takes: East Asian wide and full-width characters
    /// count two, combining marks zero.
    public static func displayWidth(_ text: String) -> Int {
        var width = 0
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .format: continue
            default: width += isWide(scalar.value) ? 2 : 1
            }
        }
        return width
    }

    /// Renders rows under a header with every column but the last padded to its widest
    /// cell (two spaces between columns). Cells must already be terminal-safe.
    /// - Parameter rightAligned: indexes of numeric columns.
    public static func table(header: [String], rows: [[String]], rightAligned: Set<Int> = []) -> String {
        var widths = header.map(displayWidth)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], displayWidth(cell))
            }
        }
        var text = ""
        for row in [header] + rows {
            var line = ""
            for (index, cell) in row.enumerated() {
                let isLast = index == row.count - 1
                let padding = String(repeating: " ", count: max(0, widths[index] - displayWidth(cell)))
                if rightAligned.contains(index) {
                    line += padding + cell
                } else {
                    line += cell + (isLast ? "" : padding)
                }
                if !isLast { line += "  " }
            }
            text += line + "\n"
        }
        return text
    }

    private static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
            0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
