/* data.h — data sets: generated labels, CSV in and out (SPEC §3 "Data sources").
 * A dataset is immutable once a model is built on it; runs forked from one another share
 * it by reference count. No curses. */
#ifndef GDPATH_DATA_H
#define GDPATH_DATA_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

enum labels_kind { LABELS_GAUSSIAN, LABELS_RADEMACHER, LABELS_ALIGN_MIN, LABELS_ALIGN_MAX, LABELS_COUNT };

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
 * examples; with n ≤ nfeat). -1 and *cause on failure. */
int data_labels(struct dataset *ds, int kind, gsl_rng *rng, char **cause);

/* Read numeric CSV: every column a feature but the last, the label; an optional header
 * row of non-numbers. Errors name file:line. -1 and *cause on failure. */
int data_read_csv(const char *path, struct dataset **out, char **cause);
/* Write x1..xd,y with a header, %.17g in the C locale. */
int data_write_csv(const struct dataset *ds, const char *path, char **cause);

/* Read θ0 from a file of p numbers, one a line (blank lines and '#' comments ignored). */
int data_read_vector(const char *path, double *v, size_t p, char **cause);
int data_write_vector(const char *path, const double *v, size_t p, char **cause);

#endif
