/* shard.c — --shard i/N and --merge (shard.h): which items a shard computes, its
 * metadata line, and the checked merge back into the single run's CSV. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdpath/shard.h"
#include "gdpath/util.h"

#define LINE_MAX_BYTES 65536          /* longer lines are not ours */
#define FILE_MAX_LINES 50000000UL     /* bound on what a merge reads */

void shard_whole(struct shard *s)
{
	s->i = s->n = 1;
}

bool shard_is_whole(const struct shard *s)
{
	return s->n <= 1;
}

int shard_parse(const char *arg, struct shard *s, char **cause)
{
	const char *slash = strchr(arg, '/');
	char a[32], b[32];
	size_t la = slash ? (size_t)(slash - arg) : 0;
	size_t i, n;
	if (slash == NULL || la == 0 || la >= sizeof a || strlen(slash + 1) >= sizeof b) {
		*cause = xasprintf("--shard: '%s' is not i/N (for example 2/8)", arg);
		return -1;
	}
	memcpy(a, arg, la);
	a[la] = '\0';
	strcpy(b, slash + 1);
	if (parse_size(a, &i) != 0 || parse_size(b, &n) != 0) {
		*cause = xasprintf("--shard: '%s' is not i/N (for example 2/8)", arg);
		return -1;
	}
	if (n < 1 || n > SHARD_MAX || i < 1 || i > n) {
		*cause = xasprintf("--shard: '%s' needs 1 <= i <= N <= %d", arg, SHARD_MAX);
		return -1;
	}
	s->i = i;
	s->n = n;
	return 0;
}

bool shard_owns(const struct shard *s, size_t j)
{
	return s->n <= 1 || j % s->n == s->i - 1;
}

size_t shard_count(const struct shard *s, size_t total)
{
	if (s->n <= 1)
		return total;
	return total / s->n + (total % s->n >= s->i ? 1 : 0);
}

void shard_write_meta(FILE *out, const struct shard *s)
{
	if (s->n > 1)
		fprintf(out, "# shard: %lu/%lu\n", s->i, s->n);
}

/* One shard file as read. */
struct sfile {
	const char *name;
	char **meta;       /* metadata lines without the shard line */
	size_t *meta_line; /* their line numbers */
	size_t nmeta;
	char *header;
	size_t header_line;
	char **rows;
	size_t nrows, first_row_line;
	struct shard sh;
	size_t total; /* # rows: */
};

static void sfile_free(struct sfile *f)
{
	for (size_t i = 0; i < f->nmeta; i++)
		free(f->meta[i]);
	for (size_t i = 0; i < f->nrows; i++)
		free(f->rows[i]);
	free(f->meta);
	free(f->meta_line);
	free(f->rows);
	free(f->header);
}

/* Append s to a growing array of strings. */
static int push(char ***arr, size_t *n, size_t *cap, char *s)
{
	if (*n == *cap) {
		size_t nc = *cap ? 2 * *cap : 16;
		char **na = realloc(*arr, nc * sizeof *na);
		if (na == NULL)
			return -1;
		*arr = na;
		*cap = nc;
	}
	(*arr)[(*n)++] = s;
	return 0;
}

static int sfile_read(struct sfile *f, const char *name, char **cause)
{
	memset(f, 0, sizeof *f);
	f->name = name;
	FILE *in = fopen(name, "r");
	if (in == NULL) {
		*cause = xasprintf("--merge: %s: %s", name, strerror(errno));
		return 1;
	}
	char *line = NULL;
	size_t cap = 0, lineno = 0, mcap = 0, rcap = 0, lcap = 0;
	ssize_t len;
	int rc = 0;
	bool have_shard = false, have_total = false;
	while ((len = getline(&line, &cap, in)) >= 0) {
		lineno++;
		if (len > LINE_MAX_BYTES || lineno > FILE_MAX_LINES) {
			*cause = xasprintf("--merge: %s:%zu: line too long or file too large for a sweep's CSV",
					   name, lineno);
			rc = 2;
			break;
		}
		if ((size_t)len != strlen(line)) {
			*cause = xasprintf("--merge: %s:%zu: a NUL byte: not a CSV file", name, lineno);
			rc = 2;
			break;
		}
		if (len == 0 || line[len - 1] != '\n') {
			*cause = xasprintf("--merge: %s:%zu: the last line is cut off (no newline): an unfinished file?",
					   name, lineno);
			rc = 2;
			break;
		}
		line[len - 1] = '\0';
		if (line[0] == '#') {
			if (f->header) {
				*cause = xasprintf("--merge: %s:%zu: a '#' line after the header", name,
						   lineno);
				rc = 2;
				break;
			}
			if (strncmp(line, "# shard: ", 9) == 0) {
				char *why = NULL;
				if (have_shard || shard_parse(line + 9, &f->sh, &why) != 0) {
					free(why);
					*cause = xasprintf("--merge: %s:%zu: a bad or second shard line '%s'",
							   name, lineno, line);
					rc = 2;
					break;
				}
				have_shard = true;
				continue;
			}
			if (strncmp(line, "# rows: ", 8) == 0) {
				if (have_total || parse_size(line + 8, &f->total) != 0) {
					*cause = xasprintf("--merge: %s:%zu: a bad or second '# rows:' line",
							   name, lineno);
					rc = 2;
					break;
				}
				have_total = true;
			}
			char *s = xstrdup(line);
			size_t nm = f->nmeta;
			if (push(&f->meta, &f->nmeta, &mcap, s) != 0) {
				free(s);
				goto oom;
			}
			if (nm + 1 > lcap) {
				size_t nc = lcap ? 2 * lcap : 16;
				size_t *nl = realloc(f->meta_line, nc * sizeof *nl);
				if (nl == NULL)
					goto oom;
				f->meta_line = nl;
				lcap = nc;
			}
			f->meta_line[nm] = lineno;
			continue;
		}
		if (f->header == NULL) {
			f->header = xstrdup(line);
			f->header_line = lineno;
			continue;
		}
		if (f->nrows == 0)
			f->first_row_line = lineno;
		char *s = xstrdup(line);
		if (push(&f->rows, &f->nrows, &rcap, s) != 0) {
			free(s);
			goto oom;
		}
	}
	if (rc == 0 && ferror(in)) {
		*cause = xasprintf("--merge: %s: %s", name, strerror(errno));
		rc = 1;
	}
	if (rc == 0 && !have_shard) {
		*cause = xasprintf("--merge: %s: no '# shard: i/N' line: not the output of a --shard run",
				   name);
		rc = 2;
	}
	if (rc == 0 && (!have_total || f->header == NULL)) {
		*cause = xasprintf("--merge: %s: no '# rows:' line or no header: not a sweep's CSV", name);
		rc = 2;
	}
	free(line);
	fclose(in);
	return rc;
oom:
	free(line);
	fclose(in);
	*cause = xstrdup("--merge: out of memory");
	return 1;
}

int shard_merge(const char *const *files, size_t nfiles, FILE *out, char **cause)
{
	if (nfiles == 0) {
		*cause = xstrdup("--merge: give the shard files to join");
		return 2;
	}
	struct sfile *f = xcalloc(nfiles, sizeof *f);
	struct sfile **by = NULL;
	int rc = 0;
	if (f == NULL) {
		*cause = xstrdup("--merge: out of memory");
		return 1;
	}
	size_t nread = 0;
	for (; nread < nfiles; nread++)
		if ((rc = sfile_read(&f[nread], files[nread], cause)) != 0) {
			sfile_free(&f[nread]);
			goto done;
		}
	unsigned long n = f[0].sh.n;
	if (n != nfiles) {
		*cause = xasprintf("--merge: %s is shard %lu/%lu, but %zu files were given: all %lu shards, each once",
				   f[0].name, f[0].sh.i, n, nfiles, n);
		rc = 2;
		goto done;
	}
	by = xcalloc(n, sizeof *by);
	if (by == NULL) {
		*cause = xstrdup("--merge: out of memory");
		rc = 1;
		goto done;
	}
	for (size_t j = 0; j < nfiles; j++) {
		struct sfile *a = &f[0], *b = &f[j];
		if (b->sh.n != n) {
			*cause = xasprintf("--merge: %s is a shard of %lu, %s of %lu: different splits",
					   a->name, n, b->name, b->sh.n);
			rc = 2;
			goto done;
		}
		if (by[b->sh.i - 1]) {
			*cause = xasprintf("--merge: %s and %s are both shard %lu/%lu",
					   by[b->sh.i - 1]->name, b->name, b->sh.i, n);
			rc = 2;
			goto done;
		}
		by[b->sh.i - 1] = b;
		size_t m = a->nmeta < b->nmeta ? a->nmeta : b->nmeta;
		for (size_t l = 0; l < m; l++)
			if (strcmp(a->meta[l], b->meta[l]) != 0) {
				*cause = xasprintf("--merge: %s:%zu: '%s' differs from %s:%zu: '%s': shards of different sweeps",
						   b->name, b->meta_line[l], b->meta[l], a->name,
						   a->meta_line[l], a->meta[l]);
				rc = 2;
				goto done;
			}
		if (a->nmeta != b->nmeta) {
			struct sfile *more = a->nmeta > b->nmeta ? a : b;
			*cause = xasprintf("--merge: %s:%zu: '%s' is not in the other shards: shards of different sweeps",
					   more->name, more->meta_line[m], more->meta[m]);
			rc = 2;
			goto done;
		}
		if (strcmp(a->header, b->header) != 0) {
			*cause = xasprintf("--merge: %s:%zu: the header differs from %s's", b->name,
					   b->header_line, a->name);
			rc = 2;
			goto done;
		}
		size_t want = shard_count(&b->sh, b->total);
		if (b->nrows != want) {
			*cause = xasprintf("--merge: %s has %zu rows, shard %lu/%lu of %zu needs %zu: an unfinished or edited file",
					   b->name, b->nrows, b->sh.i, n, b->total, want);
			rc = 2;
			goto done;
		}
	}
	/* All shards 1..n are present (n distinct ones among n files). */
	struct sfile *a = by[0];
	for (size_t l = 0; l < a->nmeta; l++)
		fprintf(out, "%s\n", a->meta[l]);
	fprintf(out, "%s\n", a->header);
	for (size_t j = 0; j < a->total; j++)
		fprintf(out, "%s\n", by[j % n]->rows[j / n]);
done:
	for (size_t j = 0; j < nread; j++)
		sfile_free(&f[j]);
	free(f);
	free(by);
	return rc;
}
