/* data.h — data sets: generated labels, CSV in and out (SPEC §3 "Data sources").
 * A dataset is immutable once a model is built on it; runs forked from one another share
 * it by reference count. No curses. */
#ifndef GDPATH_DATA_H
#define GDPATH_DATA_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

enum labels_kind {
	LABELS_GAUSSIAN,
	LABELS_RADEMACHER,
	LABELS_ALIGN_MIN,
	LABELS_ALIGN_MAX,
	LABELS_PLANTED, /* y = f(θ_teacher): a teacher of the same model (run.c draws it) */
	LABELS_COUNT
};

struct dataset {
	size_t n, nfeat;
	double *X; /* n × nfeat, row-major */
	double *y; /* n × nout, row-major (targets; one-hot rows for class data) */
	size_t nout;      /* outputs per sample: 1, or the number of classes (idx.c) */
	int *cls;         /* class of each sample (n), or NULL when the data are not classes */
	size_t ntest;     /* held-out test samples (class data only; 0: none) */
	double *Xtest;    /* ntest × nfeat, or NULL */
	int *cls_test;    /* ntest, or NULL */
	int refs;
};

const char *labels_name(int kind);
int labels_lookup(const char *name); /* -1 if unknown */

/* A zeroed dataset with one reference; NULL if out of memory. */
struct dataset *data_new(size_t n, size_t nfeat);
struct dataset *data_ref(struct dataset *ds);
/* Make y hold nout targets per sample (zeroed); -1 if out of memory. */
int data_set_outputs(struct dataset *ds, size_t nout);
void data_free(struct dataset *ds); /* drops one reference; NULL is fine */

/* y for the generated labels kinds. gaussian: N(0,1); rademacher: ±1; align-min/max:
 * y = ‖·‖ u with u the left singular vector of X for σ_min / σ_max ([OS19] Thm 2.4's tight
 * examples; with n ≤ nfeat); planted: N(0,1) for now, which the run replaces by the
 * outputs of a teacher model (the models whose setup needs ‖y‖ get a sensible scale).
 * -1 and *cause on failure. */
int data_labels(struct dataset *ds, int kind, gsl_rng *rng, char **cause);

/* Lines longer than these are refused (read no further): a data row, a θ0 line. */
#define DATA_LINE_MAX (1 << 20)
#define VECTOR_LINE_MAX 4096

/* Read numeric CSV: every column a feature but the last, the label; an optional header
 * row of non-numbers. Errors name file:line and quote (shortened, escaped) what they
 * echo. A regular file only (not a FIFO or device); lines end at LF, CRLF or CR; a NUL
 * byte or a line past DATA_LINE_MAX is an error. -1 and *cause on failure. */
int data_read_csv(const char *path, struct dataset **out, char **cause);
/* Write x1..xd,y with a header, %.17g in the C locale; atomically (util.h outfile). */
int data_write_csv(const struct dataset *ds, const char *path, char **cause);

/* Read θ0 from a file of p numbers, one a line (blank lines and '#' comments ignored);
 * the same file rules as data_read_csv, lines up to VECTOR_LINE_MAX. Written atomically. */
int data_read_vector(const char *path, double *v, size_t p, char **cause);
int data_write_vector(const char *path, const double *v, size_t p, char **cause);

#endif
