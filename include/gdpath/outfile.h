/* outfile.h — output files replaced atomically (temporary file, fsync, rename; "-" or
 * NULL is standard output). The implementation lives with the other file helpers in
 * util.c; this header is kept for the modules that only write output. */
#ifndef GDPATH_OUTFILE_H
#define GDPATH_OUTFILE_H

#include "gdpath/util.h"

#endif
