/* CArchive: the Debian libarchive as a Swift module.
 * AE_IFREG/AE_IFDIR are casts to a macro type; Swift cannot import them. */
#ifndef CARCHIVE_SHIM_H
#define CARCHIVE_SHIM_H

#include <archive.h>
#include <archive_entry.h>

static inline unsigned int carchive_ifreg(void) { return (unsigned int)AE_IFREG; }
static inline unsigned int carchive_ifdir(void) { return (unsigned int)AE_IFDIR; }

#endif
