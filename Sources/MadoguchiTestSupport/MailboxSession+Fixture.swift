// MailboxSession+Fixture: collects a fetched message into memory for assertions.

import MadoguchiMail

extension MailboxSession {
    /// Fetches a message and returns its bytes, checking the returned count.
    /// - Throws: whatever `fetch` throws, or `TestToolError` when the count is wrong.
    public func fetchBytes(_ message: RemoteMessage) throws -> [UInt8] {
        var data: [UInt8] = []
        let count = try fetch(message) { data.append(contentsOf: $0) }
        guard count == data.count else { throw TestToolError("fetch returned \(count) but delivered \(data.count)") }
        return data
    }
}
