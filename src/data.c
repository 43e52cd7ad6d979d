/* data.c — data sets: labels, CSV and vector files. Every error names file:line. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_vector.h>

#include "gdpath/data.h"
#include "gdpath/util.h"

static const char *const labels_names[LABELS_COUNT] = {"gaussian", "rademacher", "align-min",
							"align-max", "planted"};

const char *labels_name(int kind)
{
	return kind >= 0 && kind < LABELS_COUNT ? labels_names[kind] : "?";
}

int labels_lookup(const char *name)
{
	for (int i = 0; i < LABELS_COUNT; i++)
		if (strcmp(labels_names[i], name) == 0)
			return i;
	return -1;
}

struct dataset *data_new(size_t n, size_t nfeat)
{
	if (nfeat > (size_t)-1 / sizeof(double) || (nfeat && n > (size_t)-1 / sizeof(double) / nfeat))
		return NULL;
	struct dataset *ds = calloc(1, sizeof *ds);
	if (ds == NULL)
		return NULL;
	ds->n = n;
	ds->nfeat = nfeat;
	ds->refs = 1;
	ds->nout = 1;
	ds->X = xcalloc(n, nfeat * sizeof(double));
	ds->y = xcalloc(n, sizeof(double));
	if (ds->X == NULL || ds->y == NULL) {
		data_free(ds);
		return NULL;
	}
	return ds;
}

struct dataset *data_ref(struct dataset *ds)
{
	ds->refs++;
	return ds;
}

void data_free(struct dataset *ds)
{
	if (ds == NULL || --ds->refs > 0)
		return;
	free(ds->X);
	free(ds->y);
	free(ds->cls);
	free(ds->Xtest);
	free(ds->cls_test);
	free(ds);
}

int data_set_outputs(struct dataset *ds, size_t nout)
{
	double *y = xcalloc(ds->n, nout * sizeof(double));
	if (y == NULL)
		return -1;
	free(ds->y);
	ds->y = y;
	ds->nout = nout;
	return 0;
}

/* [OS19] Thm 2.4's tight examples: y along the left singular vector of X belonging to
 * σ_min (GD runs on the upper line) or σ_max (on the lower line), scaled to ‖y‖ = √n. */
static int labels_align(struct dataset *ds, int want_max, char **cause)
{
	size_t n = ds->n, d = ds->nfeat;
	if (n > d) {
		*cause = xasprintf("--labels %s needs n <= d (over-parameterized), got n = %zu, d = %zu",
				   want_max ? "align-max" : "align-min", n, d);
		return -1;
	}
	/* SVD of Xᵀ (d × n, d ≥ n): Xᵀ = U S Vᵀ, so X = V S Uᵀ and the left singular vectors of X
	 * are the columns of V. */
	gsl_matrix *A = gsl_matrix_alloc(d, n), *V = gsl_matrix_alloc(n, n);
	gsl_vector *S = gsl_vector_alloc(n), *work = gsl_vector_alloc(n);
	int rc = -1;
	if (A && V && S && work) {
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < d; j++)
				gsl_matrix_set(A, j, i, ds->X[i * d + j]);
		if (gsl_linalg_SV_decomp(A, V, S, work) == 0) {
			size_t col = want_max ? 0 : n - 1; /* singular values come sorted, largest first */
			for (size_t i = 0; i < n; i++)
				ds->y[i] = sqrt((double)n) * gsl_matrix_get(V, i, col);
			rc = 0;
		} else {
			*cause = xstrdup("the SVD of the data matrix failed");
		}
	} else {
		*cause = xstrdup("out of memory");
	}
	gsl_matrix_free(A);
	gsl_matrix_free(V);
	gsl_vector_free(S);
	gsl_vector_free(work);
	return rc;
}

int data_labels(struct dataset *ds, int kind, gsl_rng *rng, char **cause)
{
	switch (kind) {
	case LABELS_GAUSSIAN:
	case LABELS_PLANTED:
		for (size_t i = 0; i < ds->n; i++)
			ds->y[i] = gsl_ran_gaussian(rng, 1.0);
		return 0;
	case LABELS_RADEMACHER:
		for (size_t i = 0; i < ds->n; i++)
			ds->y[i] = gsl_rng_uniform(rng) < 0.5 ? -1.0 : 1.0;
		return 0;
	case LABELS_ALIGN_MIN:
	case LABELS_ALIGN_MAX:
		return labels_align(ds, kind == LABELS_ALIGN_MAX, cause);
	}
	*cause = xasprintf("unknown labels kind %d", kind);
	return -1;
}

/* Split one CSV line into fields in place; returns the count (at most max). */
static size_t split_fields(char *line, char **field, size_t max)
{
	size_t nf = 0;
	char *s = line;
	for (;;) {
		if (nf < max)
			field[nf] = s;
		nf++;
		char *c = strchr(s, ',');
		if (c == NULL)
			break;
		*c = '\0';
		s = c + 1;
	}
	return nf;
}

static void chomp(char *s)
{
	size_t len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		s[--len] = '\0';
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* The file name as messages show it: escaped, so a name with control characters cannot
 * drive the terminal. */
static char *shown_name(const char *path)
{
	return str_escape(path, strlen(path), 0, 0);
}

/* An error "PATH:LINE: column N is 'field', not WHAT", the field quoted and shortened. */
static char *field_error(const char *path, size_t lineno, size_t col, const char *fieldv,
			 const char *what)
{
	char *name = shown_name(path), *q = str_quote(fieldv);
	char *msg = xasprintf("%s:%zu: column %zu is %s, not %s", name, lineno, col, q, what);
	free(name);
	free(q);
	return msg;
}

/* Read one line with line_read; on anything but a line, set *cause and return -1;
 * 1 at the end of the file, 0 for a line. */
static int next_line(FILE *f, const char *path, char *buf, size_t cap, size_t lineno,
		     char **cause)
{
	size_t len;
	int rc = line_read(f, buf, cap, &len);
	if (rc == LINE_OK)
		return 0;
	if (rc == LINE_EOF)
		return 1;
	char *name = shown_name(path);
	if (rc == LINE_LONG)
		*cause = xasprintf("%s:%zu: line longer than %zu bytes", name, lineno, cap - 1);
	else if (rc == LINE_NUL)
		*cause = xasprintf("%s:%zu: a NUL byte (binary data, not CSV text)", name, lineno);
	else
		*cause = xasprintf("%s: %s", name, strerror(errno));
	free(name);
	return -1;
}

int data_read_csv(const char *path, struct dataset **out, char **cause)
{
	FILE *f = fopen_regular(path, cause);
	if (f == NULL)
		return -1;
	char *buf = malloc(DATA_LINE_MAX + 1), **field = NULL;
	size_t ncols = 0, nrows = 0, rowcap = 0, lineno = 0;
	int seen_header = 0;
	double *vals = NULL;
	int rc = -1, got;
	char *line = buf;
	if (buf == NULL)
		goto oom;
	while ((got = next_line(f, path, buf, DATA_LINE_MAX + 1, lineno + 1, cause)) == 0) {
		lineno++;
		chomp(line);
		if (lineno == 1 && (unsigned char)line[0] == 0xEF && (unsigned char)line[1] == 0xBB &&
		    (unsigned char)line[2] == 0xBF)
			memmove(line, line + 3, strlen(line + 3) + 1); /* a UTF-8 byte-order mark */
		char *t = trim(line);
		if (*t == '\0' || *t == '#')
			continue;
		size_t nf = 1;
		for (const char *c = t; *c; c++)
			nf += *c == ',';
		if (ncols == 0) {
			ncols = nf;
			if (ncols < 2) {
				char *name = shown_name(path);
				*cause = xasprintf("%s:%zu: need at least two columns (features, then the label)",
						   name, lineno);
				free(name);
				goto out;
			}
			field = calloc(ncols, sizeof *field);
			if (field == NULL)
				goto oom;
		} else if (nf != ncols) {
			char *name = shown_name(path);
			*cause = xasprintf("%s:%zu: %zu columns, expected %zu like the first row", name,
					   lineno, nf, ncols);
			free(name);
			goto out;
		}
		split_fields(t, field, ncols);
		if (nrows == rowcap) {
			rowcap = rowcap ? 2 * rowcap : 64;
			/* bounded by the machine, not by the file: say so before swapping */
			double need = (double)rowcap * (double)ncols * sizeof(double), mem = mem_physical();
			if (mem > 0 && need > 0.5 * mem) {
				char *name = shown_name(path), b[32];
				*cause = xasprintf("%s:%zu: too many rows for this machine (more than %s for the numbers)",
						   name, lineno, fmt_bytes(0.5 * mem, b, sizeof b));
				free(name);
				goto out;
			}
			double *nv = xmallocarray(rowcap, ncols * sizeof(double));
			if (nv == NULL)
				goto oom;
			if (vals)
				memcpy(nv, vals, nrows * ncols * sizeof(double));
			free(vals);
			vals = nv;
		}
		int numeric = 0;
		for (size_t j = 0; j < ncols; j++) {
			char *s = trim(field[j]);
			chomp(s);
			double v;
			char *end;
			v = strtod(s, &end);
			if (*s != '\0' && end != s && *end == '\0' && strpbrk(s, "xX") == NULL) {
				if (!isfinite(v)) {
					*cause = field_error(path, lineno, j + 1, s, "a finite number");
					goto out;
				}
				numeric++;
			}
			vals[nrows * ncols + j] = v;
		}
		if (numeric == 0 && nrows == 0 && !seen_header) {
			seen_header = 1;
			continue; /* a header row */
		}
		if (numeric != (int)ncols) {
			for (size_t j = 0; j < ncols; j++) {
				char *s = trim(field[j]), *end;
				double v = strtod(s, &end);
				(void)v;
				if (*s == '\0' || end == s || *end != '\0' || strpbrk(s, "xX") != NULL) {
					*cause = field_error(path, lineno, j + 1, s, "a number");
					goto out;
				}
			}
		}
		nrows++;
	}
	if (got < 0)
		goto out;
	if (nrows == 0) {
		char *name = shown_name(path);
		*cause = xasprintf("%s: no data rows", name);
		free(name);
		goto out;
	}
	struct dataset *ds = data_new(nrows, ncols - 1);
	if (ds == NULL)
		goto oom;
	for (size_t i = 0; i < nrows; i++) {
		memcpy(ds->X + i * (ncols - 1), vals + i * ncols, (ncols - 1) * sizeof(double));
		ds->y[i] = vals[i * ncols + ncols - 1];
	}
	*out = ds;
	rc = 0;
	goto out;
oom: {
	char *name = shown_name(path);
	*cause = xasprintf("%s: out of memory", name);
	free(name);
}
out:
	free(buf);
	free(field);
	free(vals);
	fclose(f);
	return rc;
}

int data_write_csv(const struct dataset *ds, const char *path, char **cause)
{
	struct outfile of;
	if (outfile_open(&of, path, cause) != 0)
		return -1;
	FILE *f = of.f;
	for (size_t j = 0; j < ds->nfeat; j++)
		fprintf(f, "x%zu,", j + 1);
	fprintf(f, "y\n");
	for (size_t i = 0; i < ds->n; i++) {
		for (size_t j = 0; j < ds->nfeat; j++)
			fprintf(f, "%.17g,", ds->X[i * ds->nfeat + j]);
		fprintf(f, "%.17g\n", ds->y[i]);
		if (ferror(f))
			break;
	}
	return outfile_commit(&of, cause);
}

int data_read_vector(const char *path, double *v, size_t p, char **cause)
{
	FILE *f = fopen_regular(path, cause);
	if (f == NULL)
		return -1;
	char line[VECTOR_LINE_MAX + 1];
	size_t lineno = 0, got = 0;
	int rc = -1, more;
	while ((more = next_line(f, path, line, sizeof line, lineno + 1, cause)) == 0) {
		lineno++;
		chomp(line);
		char *t = trim(line);
		if (*t == '\0' || *t == '#')
			continue;
		double x;
		if (parse_double(t, &x) != 0) {
			char *name = shown_name(path), *q = str_quote(t);
			*cause = xasprintf("%s:%zu: %s is not a finite number", name, lineno, q);
			free(name);
			free(q);
			goto out;
		}
		if (got == p) {
			char *name = shown_name(path);
			*cause = xasprintf("%s:%zu: more than the %zu parameters this model has", name,
					   lineno, p);
			free(name);
			goto out;
		}
		v[got++] = x;
	}
	if (more < 0)
		goto out;
	if (got != p) {
		char *name = shown_name(path);
		*cause = xasprintf("%s: %zu numbers, but this model has %zu parameters", name, got, p);
		free(name);
		goto out;
	}
	rc = 0;
out:
	fclose(f);
	return rc;
}

int data_write_vector(const char *path, const double *v, size_t p, char **cause)
{
	struct outfile of;
	if (outfile_open(&of, path, cause) != 0)
		return -1;
	for (size_t i = 0; i < p && !ferror(of.f); i++)
		fprintf(of.f, "%.17g\n", v[i]);
	return outfile_commit(&of, cause);
}
