// StoreError maps SQLite codes to exit statuses; busy is transient.

import CSQLite
import MadoguchiCore
import MadoguchiStore
import Testing

@Suite struct StoreErrorTests {
    @Test("busy is transient and exits 75")
    func busy() {
        #expect(StoreError(code: SQLITE_BUSY, message: "database is locked").effectiveExitCode == .tempFail)
        #expect(StoreError(code: SQLITE_CORRUPT, message: "x").effectiveExitCode == .dataError)
    }
}
