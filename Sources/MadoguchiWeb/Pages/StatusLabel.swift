// StatusLabel: an inquiry status as the page shows it — a coloured dot with its word,
// never colour alone.

import MadoguchiInbox

/// Status words and classes.
public enum StatusLabel {
    /// The word for a stored status.
    public static func word(_ status: String) -> Word {
        switch status {
        case "new": .statusNew
        case "in_progress": .statusInProgress
        case "awaiting_approval": .statusAwaitingApproval
        case "done": .statusDone
        default: .statusTrash
        }
    }

    /// The dot and the word.
    public static func badge(_ status: String, _ language: Language) -> HTML {
        let css = InquirySummary.statuses.contains(status) ? status : "trash"
        return
            "<span class=\"status s-\(css)\"><span class=\"dot\" aria-hidden=\"true\"></span>\(word(status).text(language))</span>"
    }

    /// A customer as the page names them: the name with 様 when revealed, else the address
    /// when revealed, else the pseudonym (顧客-7K3Q9X / customer-7K3Q9X).
    public static func customer(name: String?, address: String?, pseudonym: String?, _ language: Language) -> String {
        if let name, !name.isEmpty { return name + Word.honorific.text(language) }
        if let address, !address.isEmpty { return address }
        guard let pseudonym else { return "—" }
        let code = pseudonym.hasPrefix("C-") ? String(pseudonym.dropFirst(2)) : pseudonym
        return (language == .ja ? "顧客-" : "customer-") + code
    }
}
