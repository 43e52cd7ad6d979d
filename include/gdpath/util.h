/* util.h — small shared helpers: checked allocation, error strings, strict number
 * parsing that ignores the user's locale, and vector norms through CBLAS. */
#ifndef GDPATH_UTIL_H
#define GDPATH_UTIL_H

#include <stddef.h>
#include <stdio.h>

/* malloc/calloc returning NULL on overflow of n*size too. */
void *xcalloc(size_t n, size_t size);
void *xmallocarray(size_t n, size_t size);
/* A heap-allocated printf-formatted string (never NULL: aborts on OOM). */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xstrdup(const char *s);

/* Parse the whole of s as a finite double / non-negative integer. 0 on success, -1 if s is
 * not entirely a number (or out of range). Decimal point is '.' whatever the locale. */
int parse_double(const char *s, double *out);
int parse_size(const char *s, size_t *out);
int parse_long(const char *s, long *out);

/* Euclidean norm and distance (CBLAS dnrm2). */
double vec_norm(const double *x, size_t n);
double vec_dist(const double *x, const double *y, size_t n);

/* Physical memory in bytes (0 if unknown). */
double mem_physical(void);
/* "12.3 GiB" style, into buf. */
const char *fmt_bytes(double bytes, char *buf, size_t len);

/* --- reading input files: regular files only, never blocking, bounded ---------------- */

/* Open path for reading if it is a regular file. Opens without blocking (a FIFO named
 * like a theme does not hang the program) and refuses FIFOs, devices and directories
 * ("PATH: not a regular file"). NULL and *cause ("PATH: why", the name escaped) on failure. */
FILE *fopen_regular(const char *path, char **cause);

/* One line of at most cap - 1 bytes into buf, NUL-terminated, without its end. A line
 * ends at LF, CR or CRLF, or at the end of the file. Returns LINE_OK, LINE_EOF (nothing
 * left), LINE_LONG (longer than cap - 1: the rest is not read), LINE_NUL (a NUL byte in
 * the line) or LINE_ERR (a read error, errno set). *len is the length read so far. */
enum { LINE_OK = 0, LINE_EOF = -1, LINE_LONG = -2, LINE_NUL = -3, LINE_ERR = -4 };
int line_read(FILE *f, char *buf, size_t cap, size_t *len);

/* --- echoing what came from outside ------------------------------------------------- */

/* s (len bytes) made safe to print: control bytes, DEL, C1 controls and bytes that are
 * not UTF-8 become \n \r \t \e or \xNN, a backslash \\; at most max bytes of s are
 * shown, then "..." (max 0: all). quoted adds '...' around it (and escapes '). Heap
 * string, never NULL. */
char *str_escape(const char *s, size_t len, size_t max, int quoted);
/* The usual case: a NUL-terminated string, quoted, at most QUOTE_MAX bytes. */
#define QUOTE_MAX 40
char *str_quote(const char *s);

/* "gdpath: CAUSE" and a newline on stderr, with whatever control characters or non-UTF-8
 * bytes the cause still holds escaped (\xNN; lines stay lines) and at most CAUSE_MAX
 * bytes of it: the last guard between input bytes and the user's terminal. */
#define CAUSE_MAX 8192
void print_cause(const char *cause);

/* --- writing output files: all or nothing --------------------------------------------- */

/* An output file written to a temporary file beside it and renamed over it on commit,
 * so the old file stays whole until the new one is complete (and on disk: fsync) — kill
 * -9 or a full disk never leave a mix. Outputs that are not regular files (/dev/null,
 * /dev/full, a FIFO, a terminal) are written directly. */
struct outfile {
	FILE *f;
	char *path;   /* the name asked for */
	char *target; /* the file replaced: path, or where a symbolic link points */
	char *tmp;  /* the temporary file, or NULL when writing directly */
	double last_flush;
};
int outfile_open(struct outfile *o, const char *path, char **cause);
/* Push what is buffered out now and then (at most every 0.1 s) and report a write error at
 * once: 0, or -1 with *cause. For long runs, after each record. */
int outfile_check(struct outfile *o, char **cause);
/* The same, flushing now whatever the time since the last flush. */
int outfile_flush(struct outfile *o, char **cause);
/* Flush, fsync, close and rename into place. 0, or -1 with *cause (the old file is then
 * untouched and the temporary file removed). */
int outfile_commit(struct outfile *o, char **cause);
/* Close and remove the temporary file; the old file stays as it was. */
void outfile_abort(struct outfile *o);
/* For a signal handler: remove the temporary file of the outfile being written, if any
 * (async-signal-safe). */
void outfile_abort_signal(void);

/* 1 if a and b name the same existing file (same device and inode), else 0. */
int same_file(const char *a, const char *b);

#endif
