/* outfile.c — atomic replacement of output files (outfile.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gdpath/outfile.h"
#include "gdpath/util.h"

int outfile_open(struct outfile *o, const char *path, char **cause)
{
	memset(o, 0, sizeof *o);
	if (path == NULL || strcmp(path, "-") == 0) {
		o->f = stdout;
		return 0;
	}
	o->path = xstrdup(path);
	o->tmp = xasprintf("%s.tmpXXXXXX", path);
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		*cause = xasprintf("%s: cannot create a file beside it: %s", path, strerror(errno));
		free(o->path);
		free(o->tmp);
		memset(o, 0, sizeof *o);
		return -1;
	}
	/* mkstemp makes it 0600; give it the mode a plain fopen would */
	mode_t um = umask(0);
	umask(um);
	fchmod(fd, 0666 & ~um);
	o->f = fdopen(fd, "w");
	if (o->f == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		close(fd);
		unlink(o->tmp);
		free(o->path);
		free(o->tmp);
		memset(o, 0, sizeof *o);
		return -1;
	}
	return 0;
}

int outfile_commit(struct outfile *o, char **cause)
{
	if (o->f == NULL)
		return 0;
	const char *name = o->path ? o->path : "stdout";
	int bad = fflush(o->f) != 0 || ferror(o->f);
	int err = errno;
	if (o->path == NULL) {
		o->f = NULL;
		if (bad) {
			*cause = xasprintf("%s: %s", name, strerror(err));
			return -1;
		}
		return 0;
	}
	if (fclose(o->f) != 0 && !bad) {
		bad = 1;
		err = errno;
	}
	o->f = NULL;
	if (!bad && rename(o->tmp, o->path) != 0) {
		bad = 1;
		err = errno;
	}
	if (bad) {
		*cause = xasprintf("%s: %s", name, strerror(err));
		unlink(o->tmp);
	}
	free(o->tmp);
	free(o->path);
	o->tmp = o->path = NULL;
	return bad ? -1 : 0;
}

void outfile_abort(struct outfile *o)
{
	if (o->f && o->path) {
		fclose(o->f);
		unlink(o->tmp);
	} else if (o->f) {
		fflush(o->f);
	}
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof *o);
}
