/* clserr.c — classification errors on the training sample and the test subset, and their
 * bounded history ([OS19] Fig. 3a/b). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gdpath/clserr.h"
#include "gdpath/data.h"
#include "gdpath/model.h"
#include "gdpath/util.h"

struct clserr *clserr_new(const struct model *m, size_t cap)
{
	const struct dataset *ds = m->data;
	if (ds->cls == NULL || m->ops->predict == NULL)
		return NULL;
	struct clserr *e = calloc(1, sizeof *e);
	if (e == NULL)
		return NULL;
	e->ntest = ds->ntest;
	e->nout = m->nout;
	e->step = -1;
	e->train = e->test = NAN;
	e->cap = cap < 16 ? 16 : cap;
	e->h_step = xcalloc(e->cap, sizeof(long));
	e->h_train = xcalloc(e->cap, sizeof(double));
	e->h_test = xcalloc(e->cap, sizeof(double));
	e->out = xcalloc(e->ntest + 1, m->nout * sizeof(double));
	if (!e->h_step || !e->h_train || !e->h_test || !e->out) {
		clserr_free(e);
		return NULL;
	}
	return e;
}

void clserr_free(struct clserr *e)
{
	if (e == NULL)
		return;
	free(e->h_step);
	free(e->h_train);
	free(e->h_test);
	free(e->out);
	free(e);
}

struct clserr *clserr_clone(const struct clserr *s)
{
	struct clserr *e = malloc(sizeof *e);
	if (e == NULL)
		return NULL;
	*e = *s;
	e->h_step = xmallocarray(s->cap, sizeof(long));
	e->h_train = xmallocarray(s->cap, sizeof(double));
	e->h_test = xmallocarray(s->cap, sizeof(double));
	e->out = xcalloc(s->ntest + 1, s->nout * sizeof(double));
	if (!e->h_step || !e->h_train || !e->h_test || !e->out) {
		clserr_free(e);
		return NULL;
	}
	memcpy(e->h_step, s->h_step, s->cap * sizeof(long));
	memcpy(e->h_train, s->h_train, s->cap * sizeof(double));
	memcpy(e->h_test, s->h_test, s->cap * sizeof(double));
	return e;
}

static size_t argmax(const double *v, size_t len)
{
	size_t best = 0;
	for (size_t j = 1; j < len; j++)
		if (v[j] > v[best])
			best = j;
	return best;
}

void clserr_compute(struct clserr *e, struct model *m, const double *theta, const double *r,
		    double *train, double *test)
{
	const struct dataset *ds = m->data;
	size_t C = m->nout, wrong = 0;
	double f[256];
	for (size_t i = 0; i < m->nsamples; i++) {
		const double *ri = r + i * C, *yi = ds->y + i * C;
		size_t cc = C < 256 ? C : 256;
		for (size_t c = 0; c < cc; c++)
			f[c] = ri[c] + yi[c];
		wrong += argmax(f, cc) != (size_t)ds->cls[i];
	}
	*train = m->nsamples ? (double)wrong / (double)m->nsamples : NAN;
	*test = NAN;
	if (e->ntest > 0 && e->out != NULL) {
		m->ops->predict(m, theta, ds->Xtest, e->ntest, e->out);
		wrong = 0;
		for (size_t i = 0; i < e->ntest; i++)
			wrong += argmax(e->out + i * C, C) != (size_t)ds->cls_test[i];
		*test = (double)wrong / (double)e->ntest;
	}
}

void clserr_push(struct clserr *e, long step, double train, double test)
{
	e->step = step;
	e->train = train;
	e->test = test;
	if (e->len == e->cap) {
		size_t w = 1;
		for (size_t i = 2; i < e->len; i += 2, w++) {
			e->h_step[w] = e->h_step[i];
			e->h_train[w] = e->h_train[i];
			e->h_test[w] = e->h_test[i];
		}
		e->len = w;
	}
	e->h_step[e->len] = step;
	e->h_train[e->len] = train;
	e->h_test[e->len] = test;
	e->len++;
}

void clserr_measure(struct clserr *e, struct model *m, const double *theta, const double *r,
		    long step)
{
	double train, test;
	clserr_compute(e, m, theta, r, &train, &test);
	clserr_push(e, step, train, test);
}
