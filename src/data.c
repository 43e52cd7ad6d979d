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
							"align-max"};

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
	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r' || s[len - 1] == ' ' ||
			   s[len - 1] == '\t'))
		s[--len] = '\0';
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Read a whole line of any length; NULL at EOF. */
static char *read_line(FILE *f, char **buf, size_t *cap)
{
	ssize_t got = getline(buf, cap, f);
	return got < 0 ? NULL : *buf;
}

int data_read_csv(const char *path, struct dataset **out, char **cause)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	char *buf = NULL, **field = NULL;
	size_t cap = 0, ncols = 0, nrows = 0, rowcap = 0, lineno = 0;
	int seen_header = 0;
	double *vals = NULL;
	int rc = -1;
	char *line;
	while ((line = read_line(f, &buf, &cap)) != NULL) {
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
				*cause = xasprintf("%s:%zu: need at least two columns (features, then the label)",
						   path, lineno);
				goto out;
			}
			field = calloc(ncols, sizeof *field);
			if (field == NULL)
				goto oom;
		} else if (nf != ncols) {
			*cause = xasprintf("%s:%zu: %zu columns, expected %zu like the first row", path,
					   lineno, nf, ncols);
			goto out;
		}
		split_fields(t, field, ncols);
		if (nrows == rowcap) {
			rowcap = rowcap ? 2 * rowcap : 64;
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
					*cause = xasprintf("%s:%zu: column %zu is '%s', not a finite number",
							   path, lineno, j + 1, s);
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
					*cause = xasprintf("%s:%zu: column %zu is '%.40s', not a number", path,
							   lineno, j + 1, s);
					goto out;
				}
			}
		}
		nrows++;
	}
	if (ferror(f)) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		goto out;
	}
	if (nrows == 0) {
		*cause = xasprintf("%s: no data rows", path);
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
oom:
	*cause = xasprintf("%s: out of memory", path);
out:
	free(buf);
	free(field);
	free(vals);
	fclose(f);
	return rc;
}

int data_write_csv(const struct dataset *ds, const char *path, char **cause)
{
	FILE *f = fopen(path, "w");
	if (f == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	for (size_t j = 0; j < ds->nfeat; j++)
		fprintf(f, "x%zu,", j + 1);
	fprintf(f, "y\n");
	for (size_t i = 0; i < ds->n; i++) {
		for (size_t j = 0; j < ds->nfeat; j++)
			fprintf(f, "%.17g,", ds->X[i * ds->nfeat + j]);
		fprintf(f, "%.17g\n", ds->y[i]);
	}
	if (fclose(f) != 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int data_read_vector(const char *path, double *v, size_t p, char **cause)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	char *buf = NULL, *line;
	size_t cap = 0, lineno = 0, got = 0;
	int rc = -1;
	while ((line = read_line(f, &buf, &cap)) != NULL) {
		lineno++;
		chomp(line);
		char *t = trim(line);
		if (*t == '\0' || *t == '#')
			continue;
		double x;
		if (parse_double(t, &x) != 0) {
			*cause = xasprintf("%s:%zu: '%.40s' is not a finite number", path, lineno, t);
			goto out;
		}
		if (got == p) {
			*cause = xasprintf("%s:%zu: more than the %zu parameters this model has", path,
					   lineno, p);
			goto out;
		}
		v[got++] = x;
	}
	if (got != p) {
		*cause = xasprintf("%s: %zu numbers, but this model has %zu parameters", path, got, p);
		goto out;
	}
	rc = 0;
out:
	free(buf);
	fclose(f);
	return rc;
}

int data_write_vector(const char *path, const double *v, size_t p, char **cause)
{
	FILE *f = fopen(path, "w");
	if (f == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < p; i++)
		fprintf(f, "%.17g\n", v[i]);
	if (fclose(f) != 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}
