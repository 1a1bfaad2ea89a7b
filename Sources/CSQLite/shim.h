#include <sqlite3.h>

// SQLite spells "copy the bound text now" as a cast of -1 to a destructor pointer, a macro
// Swift cannot import.
static const sqlite3_destructor_type understudy_SQLITE_TRANSIENT = (sqlite3_destructor_type)-1;
