/* model_check.h — shared checks for model tests: analytic derivatives against central
 * finite differences, and structured Gram matrices against J Jᵀ formed from finite
 * differences. Included by tests/test_model_*.c (cmocka). */
#ifndef GDPATH_MODEL_CHECK_H
#define GDPATH_MODEL_CHECK_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "gdpath/data.h"
#include "gdpath/model.h"

/* A generated dataset and model; ops' own gen_x and the given labels. */
struct mc_fixture {
	struct dataset *ds;
	struct model *m;
	gsl_rng *rng;
	double *theta;
};

static inline int mc_setup(struct mc_fixture *fx, const struct model_ops *ops,
			   struct model_cfg cfg, int labels, unsigned long seed)
{
	char *cause = NULL;
	memset(fx, 0, sizeof *fx);
	model_cfg_fill(ops, &cfg);
	fx->rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(fx->rng, seed);
	fx->ds = data_new(cfg.n, ops->features(&cfg));
	ops->gen_x(&cfg, fx->rng, fx->ds->X);
	if (data_labels(fx->ds, labels, fx->rng, &cause) != 0) {
		free(cause);
		return -1;
	}
	fx->m = model_new(ops, &cfg, fx->ds, &cause);
	if (fx->m == NULL) {
		free(cause);
		return -1;
	}
	fx->theta = calloc(fx->m->p, sizeof(double));
	ops->init(fx->m, fx->rng, fx->theta);
	return 0;
}

static inline void mc_teardown(struct mc_fixture *fx)
{
	model_free(fx->m);
	data_free(fx->ds);
	gsl_rng_free(fx->rng);
	free(fx->theta);
}

static inline double mc_relerr(const double *a, const double *b, size_t len)
{
	double num = 0, den = 0;
	for (size_t i = 0; i < len; i++) {
		num += (a[i] - b[i]) * (a[i] - b[i]);
		den += b[i] * b[i];
	}
	return den > 0 ? sqrt(num / den) : sqrt(num);
}

/* Relative error of vjp(u) (over rows, or all if rows is NULL) against central
 * differences of u·f(θ). */
static inline double mc_vjp_error(struct model *m, const double *theta0, const size_t *rows,
				  size_t nrows, gsl_rng *rng)
{
	size_t n = m->n, p = m->p;
	double *theta = malloc(p * sizeof(double)), *u = calloc(n, sizeof(double));
	double *g = malloc(p * sizeof(double)), *gfd = malloc(p * sizeof(double));
	double *f = malloc(n * sizeof(double));
	memcpy(theta, theta0, p * sizeof(double));
	if (rows)
		for (size_t j = 0; j < nrows; j++)
			u[rows[j]] = gsl_ran_gaussian(rng, 1.0);
	else
		for (size_t i = 0; i < n; i++)
			u[i] = gsl_ran_gaussian(rng, 1.0);
	m->ops->forward(m, theta, f);
	m->ops->vjp(m, theta, u, rows, nrows, g);
	for (size_t j = 0; j < p; j++) {
		double t = theta[j], h = 1e-6 * fmax(1.0, fabs(t)), fp = 0, fm = 0;
		theta[j] = t + h;
		m->ops->forward(m, theta, f);
		for (size_t i = 0; i < n; i++)
			fp += u[i] * f[i];
		theta[j] = t - h;
		m->ops->forward(m, theta, f);
		for (size_t i = 0; i < n; i++)
			fm += u[i] * f[i];
		theta[j] = t;
		gfd[j] = (fp - fm) / (2 * h);
	}
	double err = mc_relerr(g, gfd, p);
	free(theta);
	free(u);
	free(g);
	free(gfd);
	free(f);
	return err;
}

/* Relative error of jvp(v) against (f(θ + hv) − f(θ − hv)) / 2h. */
static inline double mc_jvp_error(struct model *m, const double *theta, gsl_rng *rng)
{
	size_t n = m->n, p = m->p;
	double *v = malloc(p * sizeof(double)), *t = malloc(p * sizeof(double));
	double *jv = malloc(n * sizeof(double)), *fp = malloc(n * sizeof(double)),
	       *fm = malloc(n * sizeof(double));
	double vn = 0, tn = 0;
	for (size_t j = 0; j < p; j++) {
		v[j] = gsl_ran_gaussian(rng, 1.0);
		vn += v[j] * v[j];
		tn += theta[j] * theta[j];
	}
	double h = 1e-6 * fmax(1.0, sqrt(tn / vn));
	m->ops->forward(m, theta, fp);
	m->ops->jvp(m, theta, v, jv);
	for (size_t j = 0; j < p; j++)
		t[j] = theta[j] + h * v[j];
	m->ops->forward(m, t, fp);
	for (size_t j = 0; j < p; j++)
		t[j] = theta[j] - h * v[j];
	m->ops->forward(m, t, fm);
	for (size_t i = 0; i < n; i++)
		fp[i] = (fp[i] - fm[i]) / (2 * h);
	double err = mc_relerr(jv, fp, n);
	free(v);
	free(t);
	free(jv);
	free(fp);
	free(fm);
	return err;
}

/* Relative (Frobenius) error of model_gram() against J Jᵀ with J formed column by column
 * from central differences of f. */
static inline double mc_gram_error(struct model *m, const double *theta0)
{
	size_t n = m->n, p = m->p;
	double *theta = malloc(p * sizeof(double)), *J = malloc(n * p * sizeof(double));
	double *fp = malloc(n * sizeof(double)), *fm = malloc(n * sizeof(double));
	double *G = malloc(n * n * sizeof(double)), *Gfd = calloc(n * n, sizeof(double));
	memcpy(theta, theta0, p * sizeof(double));
	for (size_t j = 0; j < p; j++) {
		double t = theta[j], h = 1e-6 * fmax(1.0, fabs(t));
		theta[j] = t + h;
		m->ops->forward(m, theta, fp);
		theta[j] = t - h;
		m->ops->forward(m, theta, fm);
		theta[j] = t;
		for (size_t i = 0; i < n; i++)
			J[i * p + j] = (fp[i] - fm[i]) / (2 * h);
	}
	for (size_t a = 0; a < n; a++)
		for (size_t b = 0; b < n; b++) {
			double s = 0;
			for (size_t j = 0; j < p; j++)
				s += J[a * p + j] * J[b * p + j];
			Gfd[a * n + b] = s;
		}
	double *Js = malloc(n * p * sizeof(double));
	model_gram(m, theta, G, Js);
	double err = mc_relerr(G, Gfd, n * n);
	free(theta);
	free(J);
	free(Js);
	free(fp);
	free(fm);
	free(G);
	free(Gfd);
	return err;
}

#endif
