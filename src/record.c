/* record.c — writing and reading session recordings (record.h). */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zlib.h>

#include "gdpath/outfile.h"
#include "gdpath/record.h"
#include "gdpath/util.h"

#define FORMAT_VERSION 1

const char *record_build_id(void)
{
	static char id[16];
	if (id[0])
		return id;
	snprintf(id, sizeof id, "unknown");
	FILE *f = fopen("/proc/self/exe", "rb");
	if (f == NULL)
		return id;
	unsigned char buf[65536];
	uLong crc = crc32(0L, Z_NULL, 0);
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		crc = crc32(crc, buf, (uInt)n);
	if (!ferror(f))
		snprintf(id, sizeof id, "%08lx", (unsigned long)crc);
	fclose(f);
	return id;
}

static double mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- writing ---- */

struct recorder {
	struct outfile of;
	uLong crc;
	double t0;
	bool failed;
};

__attribute__((format(printf, 2, 3))) static void put(struct recorder *r, const char *fmt, ...)
{
	char line[RECORD_LINE_MAX + 64];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof line) {
		r->failed = true;
		return;
	}
	r->crc = crc32(r->crc, (const unsigned char *)line, (uInt)n);
	if (fwrite(line, 1, (size_t)n, r->of.f) != (size_t)n)
		r->failed = true;
}

/* %-escape everything but printable ASCII (and '%' itself), so a line stays one line. */
static void escape(const char *s, char *out, size_t len)
{
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && o + 4 < len; p++) {
		if (*p > 32 && *p < 127 && *p != '%')
			out[o++] = (char)*p;
		else
			o += (size_t)snprintf(out + o, len - o, "%%%02X", *p);
	}
	out[o] = '\0';
}

static int unescape(const char *s, char *out, size_t len)
{
	size_t o = 0;
	for (const char *p = s; *p; p++) {
		if (o + 1 >= len)
			return -1;
		if (*p == '%') {
			unsigned v;
			if (sscanf(p + 1, "%2x", &v) != 1 || !p[1] || !p[2])
				return -1;
			out[o++] = (char)v;
			p += 2;
		} else {
			out[o++] = *p;
		}
	}
	out[o] = '\0';
	return 0;
}

long recorder_ms(const struct recorder *r)
{
	return (long)((mono_s() - r->t0) * 1000.0);
}

struct recorder *recorder_open(const char *path, int nargs, char *const *args, int cols,
			       int rows, char **cause)
{
	struct recorder *r = calloc(1, sizeof *r);
	if (r == NULL) {
		*cause = xstrdup("out of memory");
		return NULL;
	}
	if (strcmp(path, "-") == 0) {
		*cause = xstrdup("--record: give a file name, not standard output");
		free(r);
		return NULL;
	}
	if (outfile_open(&r->of, path, cause) != 0) {
		free(r);
		return NULL;
	}
	r->crc = crc32(0L, Z_NULL, 0);
	r->t0 = mono_s();
	put(r, "# gdpath recording: play it with gdpath --replay FILE\n");
	put(r, "gdpath-recording %d\n", FORMAT_VERSION);
	put(r, "version %s\n", PACKAGE_VERSION);
	put(r, "build %s\n", record_build_id());
	put(r, "size %d %d\n", cols, rows);
	for (int i = 0; i < nargs; i++) {
		char e[RECORD_LINE_MAX];
		escape(args[i], e, sizeof e);
		put(r, "arg %s\n", e);
	}
	return r;
}

void recorder_key(struct recorder *r, long tick, int key)
{
	put(r, "k %ld %ld %d\n", tick, recorder_ms(r), key);
}

void recorder_frame(struct recorder *r, long tick, int cols, int rows)
{
	put(r, "f %ld %ld %d %d\n", tick, recorder_ms(r), cols, rows);
}

void recorder_mark(struct recorder *r, long tick, const char *caption)
{
	char e[RECORD_LINE_MAX / 2];
	escape(caption, e, sizeof e);
	put(r, "m %ld %ld %s\n", tick, recorder_ms(r), e);
}

int recorder_close(struct recorder *r, long tick, char **cause)
{
	char line[128];
	int n = snprintf(line, sizeof line, "end %ld %ld %08lx\n", tick, recorder_ms(r),
			 (unsigned long)r->crc);
	if (fwrite(line, 1, (size_t)n, r->of.f) != (size_t)n)
		r->failed = true;
	if (r->failed) {
		*cause = xasprintf("%s: %s", r->of.path ? r->of.path : "recording",
				   errno ? strerror(errno) : "write error");
		outfile_abort(&r->of);
		free(r);
		return -1;
	}
	int rc = outfile_commit(&r->of, cause);
	free(r);
	return rc;
}

void recorder_abort(struct recorder *r)
{
	if (r == NULL)
		return;
	outfile_abort(&r->of);
	free(r);
}

/* ---- reading ---- */

void recording_free(struct recording *rec)
{
	free(rec->path);
	if (rec->args)
		for (int i = 0; i < rec->nargs; i++)
			free(rec->args[i]);
	free(rec->args);
	if (rec->ev)
		for (size_t i = 0; i < rec->nev; i++)
			free(rec->ev[i].caption);
	free(rec->ev);
	memset(rec, 0, sizeof *rec);
}

/* A whole number in [lo, hi] and nothing else. */
static int num_field(const char *s, long lo, long hi, long *out)
{
	long v;
	if (parse_long(s, &v) != 0 || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int add_event(struct recording *rec, size_t *cap, const struct rec_event *e)
{
	if (rec->nev == *cap) {
		size_t nc = *cap ? 2 * *cap : 256;
		struct rec_event *n = realloc(rec->ev, nc * sizeof *n);
		if (n == NULL)
			return -1;
		rec->ev = n;
		*cap = nc;
	}
	rec->ev[rec->nev++] = *e;
	return 0;
}

/* One line (with its '\n', NULs kept) into buf: 1, 0 at the end of the file, -1 when it
 * does not fit (the rest of the file is not read). */
static int read_line(FILE *f, char *buf, size_t cap, size_t *len)
{
	size_t n = 0;
	int ch;
	while ((ch = getc(f)) != EOF) {
		if (n + 1 >= cap)
			return -1;
		buf[n++] = (char)ch;
		if (ch == '\n')
			break;
	}
	buf[n] = '\0';
	*len = n;
	return n > 0 ? 1 : 0;
}

int recording_load(const char *path, struct recording *rec, bool *wrong_build, char **cause)
{
	memset(rec, 0, sizeof *rec);
	*wrong_build = false;
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	rec->path = xstrdup(path);
	char line[RECORD_LINE_MAX + 2];
	unsigned ln = 0;
	uLong crc = crc32(0L, Z_NULL, 0);
	size_t cap = 0;
	bool have_magic = false, have_version = false, have_build = false, have_size = false;
	bool ended = false;
	long last_tick = 0, last_ms = 0;
	rec->args = xcalloc(RECORD_MAX_ARGS + 1, sizeof(char *));
	if (rec->args == NULL)
		goto oom;
#define BAD(...)                                                                                   \
	do {                                                                                       \
		char *m_ = xasprintf(__VA_ARGS__);                                                 \
		*cause = xasprintf("%s:%u: %s", path, ln, m_);                                     \
		free(m_);                                                                          \
		goto fail;                                                                         \
	} while (0)
	size_t len;
	int rl;
	while ((rl = read_line(f, line, sizeof line, &len)) != 0) {
		ln++;
		if (rl < 0)
			BAD("line longer than %d bytes", RECORD_LINE_MAX);
		if (memchr(line, '\0', len) != NULL)
			BAD("binary data: not a gdpath recording");
		if (len == 0 || line[len - 1] != '\n') {
			*cause = xasprintf("%s:%u: truncated: the last line is cut off (no end line)",
					   path, ln);
			goto fail;
		}
		if (ended)
			BAD("text after the end line");
		if (strncmp(line, "end ", 4) == 0) {
			long tick, ms;
			char t[32], m[32], c[32];
			if (sscanf(line + 4, "%31s %31s %31s", t, m, c) != 3 ||
			    num_field(t, 0, LONG_MAX, &tick) != 0 || num_field(m, 0, LONG_MAX, &ms) != 0)
				BAD("malformed end line");
			char want[16];
			snprintf(want, sizeof want, "%08lx", (unsigned long)crc);
			if (strcmp(c, want) != 0)
				BAD("checksum %s does not match the contents (%s): the recording was edited or damaged",
				    c, want);
			if (tick < last_tick || ms < last_ms)
				BAD("the end comes before the last event");
			rec->end_tick = tick;
			rec->end_ms = ms;
			ended = true;
			continue;
		}
		crc = crc32(crc, (const unsigned char *)line, (uInt)len);
		line[len - 1] = '\0';
		if (line[0] == '#')
			continue;
		if (!have_magic) {
			if (strncmp(line, "gdpath-recording ", 17) != 0)
				BAD("not a gdpath recording (it does not begin with 'gdpath-recording')");
			if (strcmp(line + 17, "1") != 0)
				BAD("recording format %.20s; this gdpath reads format %d", line + 17,
				    FORMAT_VERSION);
			have_magic = true;
			continue;
		}
		char *sp = strchr(line, ' ');
		const char *rest = sp ? sp + 1 : "";
		if (sp)
			*sp = '\0';
		if (strcmp(line, "version") == 0) {
			snprintf(rec->version, sizeof rec->version, "%s", rest);
			have_version = true;
		} else if (strcmp(line, "build") == 0) {
			snprintf(rec->build, sizeof rec->build, "%s", rest);
			have_build = true;
		} else if (strcmp(line, "size") == 0) {
			if (sscanf(rest, "%d %d", &rec->cols, &rec->rows) != 2 || rec->cols < 1 ||
			    rec->rows < 1 || rec->cols > 10000 || rec->rows > 10000)
				BAD("malformed size line");
			have_size = true;
		} else if (strcmp(line, "arg") == 0) {
			if (rec->nargs == RECORD_MAX_ARGS)
				BAD("more than %d options", RECORD_MAX_ARGS);
			char u[RECORD_LINE_MAX];
			if (unescape(rest, u, sizeof u) != 0)
				BAD("malformed option");
			if ((rec->args[rec->nargs++] = xstrdup(u)) == NULL)
				goto oom;
		} else if (strcmp(line, "k") == 0 || strcmp(line, "f") == 0 || strcmp(line, "m") == 0) {
			struct rec_event e = {.kind = line[0], .line = ln};
			char a[32], b[32], c[32], d[32];
			int got = sscanf(rest, "%31s %31s %31s %31s", a, b, c, d);
			if (got < 2 || num_field(a, 0, LONG_MAX, &e.tick) != 0 ||
			    num_field(b, 0, LONG_MAX, &e.ms) != 0)
				BAD("malformed event");
			if (e.tick < last_tick || e.ms < last_ms)
				BAD("events out of order");
			long v, w;
			if (e.kind == REC_KEY) {
				if (got != 3 || num_field(c, 0, 0x10FFFF, &v) != 0)
					BAD("malformed key event");
				e.key = (int)v;
			} else if (e.kind == REC_FRAME) {
				if (got != 4 || num_field(c, 1, 10000, &v) != 0 ||
				    num_field(d, 1, 10000, &w) != 0)
					BAD("malformed frame event");
				e.cols = (int)v;
				e.rows = (int)w;
			} else {
				/* the caption: everything after the second field */
				const char *text = rest;
				for (int i = 0; i < 2 && text; i++) {
					text = strchr(text, ' ');
					text = text ? text + 1 : NULL;
				}
				char u[RECORD_LINE_MAX];
				if (unescape(text ? text : "", u, sizeof u) != 0)
					BAD("malformed caption");
				if ((e.caption = xstrdup(u)) == NULL)
					goto oom;
			}
			if (rec->nev == RECORD_MAX_EVENTS) {
				free(e.caption);
				BAD("more than %d events", RECORD_MAX_EVENTS);
			}
			if (add_event(rec, &cap, &e) != 0) {
				free(e.caption);
				goto oom;
			}
			last_tick = e.tick;
			last_ms = e.ms;
		} else {
			BAD("unknown line '%.40s'", line);
		}
		if (!have_version && have_build)
			BAD("build before version");
	}
#undef BAD
	if (ferror(f)) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!have_magic) {
		*cause = xasprintf("%s: empty, or not a gdpath recording", path);
		goto fail;
	}
	if (!ended) {
		*cause = xasprintf("%s: truncated after line %u: no end line (the recording was cut short)",
				   path, ln);
		goto fail;
	}
	if (!have_version || !have_build || !have_size) {
		*cause = xasprintf("%s: the %s line is missing", path,
				   !have_version ? "version" : !have_build ? "build" : "size");
		goto fail;
	}
	if (strcmp(rec->version, PACKAGE_VERSION) != 0) {
		*wrong_build = true;
		*cause = xasprintf("%s was recorded by gdpath %.40s; this is gdpath %s, which would replay something else",
				   path, rec->version, PACKAGE_VERSION);
		goto fail;
	}
	if (strcmp(rec->build, record_build_id()) != 0) {
		*wrong_build = true;
		*cause = xasprintf("%s was recorded by another build of gdpath %s (build %.20s; this is build %s): the numbers could differ, so it is not replayed",
				   path, PACKAGE_VERSION, rec->build, record_build_id());
		goto fail;
	}
	rec->args[rec->nargs] = NULL;
	fclose(f);
	return 0;
oom:
	*cause = xstrdup("out of memory");
fail:
	fclose(f);
	recording_free(rec);
	return -1;
}
