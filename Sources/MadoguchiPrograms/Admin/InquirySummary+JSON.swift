// InquirySummary+JSON: the JSON line `madoguchi list --json` and `search --json` print
// per inquiry: keys sorted, every key present (an absent customer or subject is null).
// SECURITY: the subject is customer text; JSONOutput escapes every control character
// and U+2028/U+2029, so one object is always one line.

import MadoguchiCore
import MadoguchiInbox

extension InquirySummary {
    /// `{"customer":…,"id":…,"mailbox":…,"messages":…,"received":…,"status":…,"subject":…}`
    /// and a newline.
    public var jsonLine: [UInt8] {
        var json = JSONOutput()
        json.raw("{\"customer\":")
        json.string(customer)
        json.raw(",\"id\":")
        json.integer(Int(id))
        json.raw(",\"mailbox\":")
        json.string(mailbox)
        json.raw(",\"messages\":")
        json.integer(messages)
        json.raw(",\"received\":")
        json.string(received)
        json.raw(",\"status\":")
        json.string(status)
        json.raw(",\"subject\":")
        json.string(subject)
        json.raw("}\n")
        return json.bytes
    }
}
