/* clserr.h — training and test classification error of a model on class data ([OS19]
 * Fig. 3a/b), measured at run.c's cadence, with a bounded history for the loss panel.
 * Numerics only. */
#ifndef GDPATH_CLSERR_H
#define GDPATH_CLSERR_H

#include <stddef.h>

struct model;

struct clserr {
	size_t nout;         /* classes */
	size_t ntest;        /* test samples used (a fixed subset, idx.h IDX_TEST_SUBSET) */
	long step;           /* step of the latest measurement, -1 before the first */
	double train, test;  /* fractions misclassified there */
	/* bounded history: at most cap points, halved (every other one dropped) when full */
	size_t len, cap;
	long *h_step;
	double *h_train, *h_test;
	double *out;         /* ntest × C predictions (workspace) */
};

/* NULL when the model's data are not classes (or out of memory: check m->data->cls). */
struct clserr *clserr_new(const struct model *m, size_t cap);
void clserr_free(struct clserr *e);
struct clserr *clserr_clone(const struct clserr *e);
/* Measure at θ: the training error from r = f(θ) − y over all samples (argmax of f against
 * the label), the test error from the model's predict() on the test subset. */
void clserr_compute(struct clserr *e, struct model *m, const double *theta, const double *r,
		    double *train, double *test);
void clserr_push(struct clserr *e, long step, double train, double test);
/* compute, then push */
void clserr_measure(struct clserr *e, struct model *m, const double *theta, const double *r,
		    long step);

#endif
