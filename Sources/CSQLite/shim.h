/* CSQLite: the Debian libsqlite3 as a Swift module.
 * Wrappers exist only for what Swift cannot import: pointer-cast macros and
 * variadic functions. No logic beyond the wrapping. */
#ifndef CSQLITE_SHIM_H
#define CSQLITE_SHIM_H

#include <sqlite3.h>

/* SQLITE_TRANSIENT is a pointer cast; Swift cannot import it. */
static inline sqlite3_destructor_type csqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

/* sqlite3_db_config is variadic: one wrapper per call shape (int, int*). */
static inline int csqlite_db_config_int(sqlite3 *db, int op, int value, int *result) {
    return sqlite3_db_config(db, op, value, result);
}

/* sqlite3_config is variadic: one wrapper per call shape (int). */
static inline int csqlite_config_int(int op, int value) {
    return sqlite3_config(op, value);
}

#endif
