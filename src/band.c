/* band.c — mean and sd of per-layer normalized distance on a fixed misfit grid over
 * realizations ([OS19] Fig. 2), its CSV, and reading it (or the trials it comes from)
 * back. The interpolation itself lives with the sweep (sweep_layers.c). */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>

#include "gdpath/band.h"
#include "gdpath/util.h"

#define LINE_MAX_BYTES 65536

int band_from_trials(struct band *b, size_t nlayers, const char *const *names, size_t ntrials)
{
	memset(b, 0, sizeof *b);
	b->nlayers = nlayers;
	b->ntrials = ntrials;
	for (size_t l = 0; l < nlayers; l++)
		snprintf(b->names[l], sizeof b->names[l], "%s", names[l]);
	b->vals = xcalloc(ntrials ? ntrials : 1, nlayers * BAND_GRID * sizeof(double));
	if (b->vals == NULL)
		return -1;
	for (size_t i = 0; i < ntrials * nlayers * BAND_GRID; i++)
		b->vals[i] = NAN;
	return 0;
}

void band_add(struct band *b, size_t trial, size_t layer, size_t g, double v)
{
	b->vals[(trial * b->nlayers + layer) * BAND_GRID + g] = v;
}

void band_reduce(struct band *b)
{
	double *col = xcalloc(b->ntrials + 1, sizeof(double));
	for (size_t g = 0; g < BAND_GRID; g++) {
		b->count[g] = 0;
		for (size_t l = 0; l < b->nlayers; l++) {
			size_t k = 0;
			for (size_t t = 0; t < b->ntrials && col; t++) {
				double v = b->vals[(t * b->nlayers + l) * BAND_GRID + g];
				if (isfinite(v))
					col[k++] = v;
			}
			b->mean[l][g] = k > 0 ? gsl_stats_mean(col, 1, k) : NAN;
			b->sd[l][g] = k > 1 ? gsl_stats_sd(col, 1, k) : NAN;
			if (l == 0 || k < b->count[g])
				b->count[g] = k;
		}
	}
	free(col);
}

static void num(FILE *out, double v)
{
	fputc(',', out);
	if (isfinite(v))
		fprintf(out, "%.17g", v);
}

void band_write(FILE *out, const struct band *b)
{
	fputs("nresidual,trials", out);
	for (size_t l = 0; l < b->nlayers; l++)
		fprintf(out, ",mean.%s,sd.%s", b->names[l], b->names[l]);
	fputc('\n', out);
	for (size_t g = 0; g < BAND_GRID; g++) {
		fprintf(out, "%.2f,%zu", band_grid(g), b->count[g]);
		for (size_t l = 0; l < b->nlayers; l++) {
			num(out, b->mean[l][g]);
			num(out, b->sd[l][g]);
		}
		fputc('\n', out);
	}
}

void band_release(struct band *b)
{
	free(b->vals);
	free(b->meta);
	b->vals = NULL;
	b->meta = NULL;
}

/* Split a line at commas in place; returns the number of fields (at most cap). */
static size_t split(char *line, char **f, size_t cap)
{
	size_t n = 0;
	char *p = line;
	while (n < cap) {
		f[n++] = p;
		char *c = strchr(p, ',');
		if (c == NULL)
			break;
		*c = '\0';
		p = c + 1;
	}
	return n;
}

/* A field: empty means NAN. */
static int field(const char *s, double *v)
{
	if (*s == '\0') {
		*v = NAN;
		return 0;
	}
	return parse_double(s, v);
}

int band_read(const char *path, struct band *b, char **cause)
{
	memset(b, 0, sizeof *b);
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	char *line = malloc(LINE_MAX_BYTES + 2);
	char **fs = calloc(2 + MODEL_MAX_LAYERS * BAND_GRID + 8, sizeof *fs);
	size_t cap = 2 + MODEL_MAX_LAYERS * BAND_GRID + 8, lineno = 0, meta_len = 0;
	int kind = 0; /* 1 band, 2 trials */
	size_t nf = 0, rows = 0;
	char *meta = NULL;
	int rc = -1;
	if (line == NULL || fs == NULL) {
		*cause = xstrdup("out of memory");
		goto done;
	}
	while (fgets(line, LINE_MAX_BYTES + 2, f)) {
		lineno++;
		size_t len = strlen(line);
		if (len > LINE_MAX_BYTES) {
			*cause = xasprintf("%s:%zu: line longer than %d bytes", path, lineno, LINE_MAX_BYTES);
			goto done;
		}
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (line[0] == '#') {
			if (strncmp(line, "# rows:", 7) == 0 || strncmp(line, "# shard:", 8) == 0)
				continue;
			char *m = realloc(meta, meta_len + len + 2);
			if (m == NULL)
				goto done;
			meta = m;
			memcpy(meta + meta_len, line, len);
			meta[meta_len + len] = '\n';
			meta_len += len + 1;
			meta[meta_len] = '\0';
			continue;
		}
		if (kind == 0) {
			nf = split(line, fs, cap);
			if (nf >= 2 && strcmp(fs[0], "nresidual") == 0 && strcmp(fs[1], "trials") == 0 &&
			    nf % 2 == 0 && nf > 2) {
				kind = 1;
				b->nlayers = (nf - 2) / 2;
				for (size_t l = 0; l < b->nlayers; l++)
					snprintf(b->names[l], sizeof b->names[l], "%s", fs[2 + 2 * l] + 5);
			} else if (nf > 6 && strcmp(fs[0], "trial") == 0 && (nf - 6) % BAND_GRID == 0 &&
				   (nf - 6) / BAND_GRID <= MODEL_MAX_LAYERS) {
				kind = 2;
				b->nlayers = (nf - 6) / BAND_GRID;
				for (size_t l = 0; l < b->nlayers; l++) {
					const char *n = fs[6 + l] + strlen("ndistance.");
					size_t k = strcspn(n, "@");
					snprintf(b->names[l], sizeof b->names[l], "%.*s", (int)k, n);
				}
			} else {
				*cause = xasprintf("%s:%zu: not a band or trials CSV of gdpath --trials (the "
						   "header starts \"nresidual,trials\" or \"trial,seed\")",
						   path, lineno);
				goto done;
			}
			continue;
		}
		size_t got = split(line, fs, cap);
		if (got != nf) {
			*cause = xasprintf("%s:%zu: %zu fields, the header has %zu", path, lineno, got, nf);
			goto done;
		}
		if (kind == 1) {
			if (rows >= BAND_GRID) {
				*cause = xasprintf("%s:%zu: more than %d grid rows", path, lineno, BAND_GRID);
				goto done;
			}
			double g, cnt;
			if (field(fs[0], &g) != 0 || fabs(g - band_grid(rows)) > 1e-9 ||
			    field(fs[1], &cnt) != 0 || !(cnt >= 0)) {
				*cause = xasprintf("%s:%zu: expected grid value %.2f and a count", path, lineno,
						   band_grid(rows));
				goto done;
			}
			b->count[rows] = (size_t)cnt;
			for (size_t l = 0; l < b->nlayers; l++)
				if (field(fs[2 + 2 * l], &b->mean[l][rows]) != 0 ||
				    field(fs[3 + 2 * l], &b->sd[l][rows]) != 0) {
					*cause = xasprintf("%s:%zu: not a number in column %zu", path, lineno,
							   3 + 2 * l);
					goto done;
				}
			rows++;
		} else {
			double *v = realloc(b->vals, (rows + 1) * b->nlayers * BAND_GRID * sizeof(double));
			if (v == NULL) {
				*cause = xstrdup("out of memory");
				goto done;
			}
			b->vals = v;
			for (size_t g = 0; g < BAND_GRID; g++)
				for (size_t l = 0; l < b->nlayers; l++) {
					double x;
					if (field(fs[6 + g * b->nlayers + l], &x) != 0) {
						*cause = xasprintf("%s:%zu: not a number in column %zu", path,
								   lineno, 7 + g * b->nlayers + l);
						goto done;
					}
					b->vals[(rows * b->nlayers + l) * BAND_GRID + g] = x;
				}
			rows++;
		}
	}
	if (ferror(f)) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		goto done;
	}
	if (kind == 0 || (kind == 1 && rows != BAND_GRID) || (kind == 2 && rows == 0)) {
		*cause = xasprintf("%s:%zu: %s", path, lineno,
				   kind == 0 ? "no header" : kind == 1 ? "fewer grid rows than 20" : "no trials");
		goto done;
	}
	if (kind == 2) {
		b->ntrials = rows;
		band_reduce(b);
	}
	b->meta = meta;
	meta = NULL;
	rc = 0;
done:
	if (rc != 0) {
		free(b->vals);
		b->vals = NULL;
	}
	free(meta);
	free(line);
	free(fs);
	fclose(f);
	return rc;
}

int band_layer(const struct band *b, const char *name)
{
	for (size_t l = 0; l < b->nlayers; l++)
		if (strcmp(b->names[l], name) == 0)
			return (int)l;
	return -1;
}
