/* util.c — checked allocation, error strings, locale-proof number parsing, norms. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_cblas.h>

#include "gdpath/util.h"

void *xcalloc(size_t n, size_t size)
{
	if (n == 0 || size == 0)
		return calloc(1, 1);
	if (n > SIZE_MAX / size)
		return NULL;
	return calloc(n, size);
}

void *xmallocarray(size_t n, size_t size)
{
	if (n == 0 || size == 0)
		return malloc(1);
	if (n > SIZE_MAX / size)
		return NULL;
	return malloc(n * size);
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		abort();
	char *s = malloc((size_t)len + 1);
	if (s == NULL)
		abort();
	va_start(ap, fmt);
	vsnprintf(s, (size_t)len + 1, fmt, ap);
	va_end(ap);
	return s;
}

char *xstrdup(const char *s)
{
	return xasprintf("%s", s);
}

/* The program keeps LC_NUMERIC at "C" (main.c), so strtod reads '.' whatever the user's
 * locale; we still reject anything that is not entirely a finite number. */
int parse_double(const char *s, double *out)
{
	if (s == NULL || *s == '\0' || strpbrk(s, "xX") != NULL) /* no hex floats */
		return -1;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	while (*end == ' ' || *end == '\t')
		end++;
	if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

int parse_long(const char *s, long *out)
{
	if (s == NULL || *s == '\0')
		return -1;
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || errno == ERANGE)
		return -1;
	*out = v;
	return 0;
}

int parse_size(const char *s, size_t *out)
{
	long v;
	if (parse_long(s, &v) != 0 || v < 0)
		return -1;
	*out = (size_t)v;
	return 0;
}

double vec_norm(const double *x, size_t n)
{
	return n ? cblas_dnrm2((int)n, x, 1) : 0.0;
}

double vec_dist(const double *x, const double *y, size_t n)
{
	double s = 0;
	for (size_t i = 0; i < n; i++) {
		double d = x[i] - y[i];
		s += d * d;
	}
	return sqrt(s);
}

double mem_physical(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
	if (pages <= 0 || psz <= 0)
		return 0;
	return (double)pages * (double)psz;
}

const char *fmt_bytes(double b, char *buf, size_t len)
{
	const char *unit[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
	int u = 0;
	while (b >= 1024 && u < 6) {
		b /= 1024;
		u++;
	}
	if (b >= 1e6)
		snprintf(buf, len, "%.3g %s", b, unit[u]);
	else
		snprintf(buf, len, u ? "%.1f %s" : "%.0f %s", b, unit[u]);
	return buf;
}

/* --- reading ---------------------------------------------------------------------------- */

FILE *fopen_regular(const char *path, char **cause)
{
	/* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		char *q = str_escape(path, strlen(path), 0, 0);
		*cause = xasprintf("%s: %s", q, strerror(e));
		free(q);
		return NULL;
	}
	struct stat sb;
	const char *why = NULL;
	if (fstat(fd, &sb) != 0)
		why = strerror(errno);
	else if (S_ISDIR(sb.st_mode))
		why = "is a directory, not a file";
	else if (!S_ISREG(sb.st_mode))
		why = S_ISFIFO(sb.st_mode)   ? "not a regular file (a FIFO or pipe)"
		      : S_ISCHR(sb.st_mode) ? "not a regular file (a device)"
					    : "not a regular file";
	if (why == NULL) {
		int fl = fcntl(fd, F_GETFL);
		if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0)
			why = strerror(errno);
	}
	FILE *f = why == NULL ? fdopen(fd, "r") : NULL;
	if (f == NULL) {
		if (why == NULL)
			why = strerror(errno);
		char *q = str_escape(path, strlen(path), 0, 0);
		*cause = xasprintf("%s: %s", q, why);
		free(q);
		close(fd);
	}
	return f;
}

int line_read(FILE *f, char *buf, size_t cap, size_t *len)
{
	size_t n = 0;
	int c, rc = LINE_OK;
	errno = 0;
	while ((c = getc_unlocked(f)) != EOF) {
		if (c == '\n')
			break;
		if (c == '\r') {
			int d = getc_unlocked(f);
			if (d != '\n' && d != EOF)
				ungetc(d, f);
			break;
		}
		if (c == '\0') {
			rc = LINE_NUL;
			break;
		}
		if (n + 1 >= cap) {
			rc = LINE_LONG;
			break;
		}
		buf[n++] = (char)c;
	}
	if (cap > 0)
		buf[n < cap ? n : cap - 1] = '\0';
	*len = n;
	if (rc != LINE_OK)
		return rc;
	if (c == EOF) {
		if (ferror(f))
			return LINE_ERR;
		if (n == 0)
			return LINE_EOF;
	}
	return LINE_OK;
}

/* --- echoing ---------------------------------------------------------------------------- */

/* The length of the well-formed UTF-8 sequence at s (at most n bytes), or 0. C1 controls
 * (U+0080..U+009F) count as not printable: 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t k;
	unsigned cp;
	if (s[0] < 0xC2 || s[0] > 0xF4)
		return 0;
	k = s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : 4;
	if (n < k)
		return 0;
	cp = s[0] & (0x7F >> k);
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF) || cp < 0xA0)
		return 0;
	return k;
}

char *str_escape(const char *s, size_t len, size_t max, int quoted)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t show = max && len > max ? max : len;
	/* each byte at most 4 characters, plus quotes, "...", NUL */
	char *out = malloc(4 * show + 8);
	if (out == NULL)
		abort();
	size_t o = 0;
	if (quoted)
		out[o++] = '\'';
	for (size_t i = 0; i < show;) {
		unsigned c = u[i];
		size_t k;
		if (c >= 0x80 && (k = utf8_len(u + i, show - i)) > 0) {
			memcpy(out + o, u + i, k);
			o += k;
			i += k;
			continue;
		}
		i++;
		if (c == '\\' || (quoted && c == '\'')) {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c >= 0x20 && c < 0x7F) {
			out[o++] = (char)c;
		} else if (c == '\n' || c == '\r' || c == '\t' || c == 0x1B) {
			out[o++] = '\\';
			out[o++] = c == '\n' ? 'n' : c == '\r' ? 'r' : c == '\t' ? 't' : 'e';
		} else {
			o += (size_t)sprintf(out + o, "\\x%02X", c);
		}
	}
	if (show < len) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	if (quoted)
		out[o++] = '\'';
	out[o] = '\0';
	return out;
}

void print_cause(const char *cause)
{
	const unsigned char *u = (const unsigned char *)(cause ? cause : "?");
	size_t len = strlen((const char *)u), shown = len > CAUSE_MAX ? CAUSE_MAX : len;
	char *out = malloc(4 * shown + 16);
	if (out == NULL)
		abort();
	size_t o = 0;
	for (size_t i = 0; i < shown;) {
		size_t k;
		if (u[i] >= 0x80 && (k = utf8_len(u + i, shown - i)) > 0) {
			memcpy(out + o, u + i, k);
			o += k;
			i += k;
		} else if ((u[i] >= 0x20 && u[i] < 0x7F) || u[i] == '\n' || u[i] == '\t') {
			out[o++] = (char)u[i++];
		} else {
			o += (size_t)sprintf(out + o, "\\x%02X", u[i++]);
		}
	}
	if (shown < len) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	fprintf(stderr, "gdpath: %s\n", out);
	free(out);
}

char *str_quote(const char *s)
{
	return str_escape(s, strlen(s), QUOTE_MAX, 1);
}

/* --- writing ---------------------------------------------------------------------------- */

/* The temporary file being written, for outfile_abort_signal. */
static char sig_tmp[PATH_MAX];
static volatile sig_atomic_t sig_tmp_set;

static double mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static char *io_cause(const char *path, int e)
{
	char *q = str_escape(path, strlen(path), 0, 0);
	char *c = xasprintf("%s: %s", q, strerror(e));
	free(q);
	return c;
}

int outfile_open(struct outfile *o, const char *path, char **cause)
{
	memset(o, 0, sizeof *o);
	if (path == NULL || strcmp(path, "-") == 0) {
		/* standard output: nothing to replace, written directly */
		o->f = stdout;
		o->last_flush = mono_now();
		return 0;
	}
	struct stat sb;
	int exists = stat(path, &sb) == 0;
	if (exists && S_ISDIR(sb.st_mode)) {
		*cause = io_cause(path, EISDIR);
		return -1;
	}
	if (exists && !S_ISREG(sb.st_mode)) {
		/* a device, FIFO or socket: there is nothing to replace; write to it */
		FILE *f = fopen(path, "w");
		if (f == NULL) {
			*cause = io_cause(path, errno);
			return -1;
		}
		o->f = f;
		o->path = xstrdup(path);
		o->last_flush = mono_now();
		return 0;
	}
	/* A file the user may not write stays so, as with fopen (rename would not ask). */
	if (exists && access(path, W_OK) != 0) {
		*cause = io_cause(path, errno);
		return -1;
	}
	/* A symbolic link: replace what it points to, and keep the link. */
	struct stat lsb;
	char *real = NULL;
	if (exists && lstat(path, &lsb) == 0 && S_ISLNK(lsb.st_mode))
		real = realpath(path, NULL);
	const char *target = real ? real : path;
	/* .NAME.gdpath-XXXXXX in the same directory, so rename() is atomic */
	char *dcopy = xstrdup(target), *bcopy = xstrdup(target);
	const char *dir = dirname(dcopy), *base = basename(bcopy);
	char *tmp = xasprintf("%s/.%s.gdpath-XXXXXX", dir, base);
	free(dcopy);
	free(bcopy);
	if (strlen(tmp) >= sizeof sig_tmp) {
		*cause = io_cause(path, ENAMETOOLONG);
		free(tmp);
		free(real);
		return -1;
	}
	int fd = mkstemp(tmp);
	if (fd < 0) {
		*cause = io_cause(path, errno);
		free(tmp);
		free(real);
		return -1;
	}
	memcpy(sig_tmp, tmp, strlen(tmp) + 1);
	sig_tmp_set = 1;
	/* the mode a new file would get, or the old file's */
	mode_t um = umask(0);
	umask(um);
	mode_t mode = exists ? sb.st_mode & 07777 : 0666 & ~um;
	FILE *f = NULL;
	if (fchmod(fd, mode) != 0 || (f = fdopen(fd, "w")) == NULL) {
		*cause = io_cause(path, errno);
		sig_tmp_set = 0;
		close(fd);
		unlink(tmp);
		free(tmp);
		free(real);
		return -1;
	}
	o->f = f;
	o->path = xstrdup(path);
	o->target = real ? real : xstrdup(path);
	o->tmp = tmp;
	o->last_flush = mono_now();
	return 0;
}

int outfile_check(struct outfile *o, char **cause)
{
	if (!ferror(o->f)) {
		double now = mono_now();
		if (now - o->last_flush < 0.1)
			return 0;
		o->last_flush = now;
		if (fflush(o->f) == 0)
			return 0;
	}
	*cause = io_cause(o->path ? o->path : "stdout", errno ? errno : EIO);
	return -1;
}

int outfile_flush(struct outfile *o, char **cause)
{
	o->last_flush = mono_now() - 1.0;
	return outfile_check(o, cause);
}

static void outfile_release(struct outfile *o)
{
	sig_tmp_set = 0;
	free(o->path);
	free(o->target);
	free(o->tmp);
	o->path = o->tmp = o->target = NULL;
	o->f = NULL;
}

void outfile_abort(struct outfile *o)
{
	if (o->f == NULL)
		return;
	if (o->f != stdout)
		fclose(o->f);
	if (o->tmp)
		unlink(o->tmp);
	outfile_release(o);
}

void outfile_abort_signal(void)
{
	if (sig_tmp_set) {
		sig_tmp_set = 0;
		unlink(sig_tmp);
	}
}

int outfile_commit(struct outfile *o, char **cause)
{
	int e = 0;
	errno = 0;
	if (fflush(o->f) != 0 || ferror(o->f))
		e = errno ? errno : EIO;
	/* on disk before it replaces the old file (a crash then leaves one or the other) */
	if (e == 0 && o->tmp && fsync(fileno(o->f)) != 0)
		e = errno;
	if (o->f != stdout && fclose(o->f) != 0 && e == 0)
		e = errno;
	o->f = NULL;
	if (e == 0 && o->tmp && rename(o->tmp, o->target) != 0)
		e = errno;
	if (e != 0) {
		if (o->tmp)
			unlink(o->tmp);
		*cause = io_cause(o->path ? o->path : "stdout", e);
		outfile_release(o);
		return -1;
	}
	if (o->tmp) {
		/* and the rename itself */
		char *dcopy = xstrdup(o->target);
		int dfd = open(dirname(dcopy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
		free(dcopy);
	}
	outfile_release(o);
	return 0;
}

int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	if (a == NULL || b == NULL || stat(a, &sa) != 0 || stat(b, &sb) != 0)
		return 0;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}
