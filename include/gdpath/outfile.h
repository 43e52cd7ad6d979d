/* outfile.h — output files replaced atomically: everything is written to a temporary
 * file beside the target, which is renamed over it only when complete, so an interrupted
 * or failed run never leaves a partial CSV that looks finished. "-" or NULL is stdout. */
#ifndef GDPATH_OUTFILE_H
#define GDPATH_OUTFILE_H

#include <stdio.h>

struct outfile {
	FILE *f;       /* write here */
	char *path;    /* the target, or NULL for stdout */
	char *tmp;     /* the temporary file beside it */
};

/* Open path for writing (NULL or "-": stdout). -1 with *cause (naming the file) on failure. */
int outfile_open(struct outfile *o, const char *path, char **cause);
/* Flush, close and rename into place. -1 with *cause on a write error (the temporary file
 * is removed and the target left as it was). */
int outfile_commit(struct outfile *o, char **cause);
/* Give up: remove the temporary file. Safe after commit or on a zeroed struct. */
void outfile_abort(struct outfile *o);

#endif
