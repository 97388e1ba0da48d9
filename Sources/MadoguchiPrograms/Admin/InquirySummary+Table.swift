// InquirySummary+Table: the text table `madoguchi list` and `madoguchi search` print.
// SECURITY: subjects and mailbox names are customer- or admin-controlled; every cell
// goes through AdminOutput.terminalSafe.

import MadoguchiInbox

extension InquirySummary {
    /// The text table of `summaries` (header line first), every cell terminal-safe.
    public static func table(_ summaries: [InquirySummary]) -> String {
        let rows = summaries.map { summary in
            [
                String(summary.id), summary.status, summary.received, String(summary.messages),
                AdminOutput.terminalSafe(summary.customer ?? "-"), AdminOutput.terminalSafe(summary.mailbox),
                AdminOutput.terminalSafe(summary.subject ?? ""),
            ]
        }
        return AdminOutput.table(
            header: ["ID", "STATUS", "RECEIVED", "MSGS", "CUSTOMER", "MAILBOX", "SUBJECT"], rows: rows,
            rightAligned: [0, 3])
    }
}
