// ConfigSchema+Intake: the intake_* parameters: how much one sender may file before
// its further new inquiries are collected into one (madoguchi-security(7) A27).

extension ConfigKey<Int64> {
    /// `intake_sender_limit`: a count of messages per sender per hour.
    public static let intakeSenderLimit = integer(
        "intake_sender_limit", default: "30",
        "Messages one sender may send in any hour before its further new inquiries go into one flagged "
            + "overflow inquiry instead (0: no limit).")
}
