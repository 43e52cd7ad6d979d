/* model.c — the model registry and what every model gets for free: residuals, the
 * Jacobian built row by row from vjp(), the Gram matrix J Jᵀ from the Jacobian, and the
 * memory estimate made before anything large is allocated. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cblas.h>

#include "gdpath/blas.h"
#include "gdpath/data.h"
#include "gdpath/model.h"
#include "gdpath/theory.h"
#include "gdpath/util.h"

static const struct model_ops *const registry[] = {
    &model_linear_ops, &model_glm_ops, &model_lowrank_ops,
    &model_shallow_ops, &model_rf_ops, &model_du_ops, &model_mlp_ops, &model_lenet_ops,
};

size_t model_count(void)
{
	return sizeof registry / sizeof registry[0];
}

const struct model_ops *model_at(size_t i)
{
	return i < model_count() ? registry[i] : NULL;
}

const struct model_ops *model_lookup(const char *name)
{
	for (size_t i = 0; i < model_count(); i++)
		if (strcmp(registry[i]->name, name) == 0)
			return registry[i];
	return NULL;
}

void model_cfg_fill(const struct model_ops *ops, struct model_cfg *c)
{
	const struct model_cfg *d = &ops->defaults;
	if (c->n == 0)
		c->n = d->n;
	if (c->d == 0)
		c->d = d->d;
	if (c->k == 0)
		c->k = d->k;
	if (c->r == 0)
		c->r = d->r;
	if (c->depth == 0)
		c->depth = d->depth;
	if (c->act < 0)
		c->act = d->act;
	if (isnan(c->gamma))
		c->gamma = d->gamma;
}

double model_estimate_bytes(const struct model_ops *ops, const struct model_cfg *c)
{
	double n = (double)c->n, p = ops->nparams(c), f = (double)ops->features(c);
	/* Jacobians as theory.c keeps them: three while n·p is small enough to track Δ̂ and L̂,
	 * else one where the Gram matrix must be formed from J, else none. */
	double jacobians = n * p <= THEORY_MAX_JACOBIAN ? 3 : ops->gram == NULL ? 1 : 0;
	double gram = 3 * n * n; /* Gram matrix and eigen workspace */
	if (ops->no_spectrum)
		jacobians = gram = 0;
	double doubles = n * (f + 1)   /* data */
			 + 12 * p      /* θ, θ0, θ*, previous θ, gradient, optimizer, flow */
			 + jacobians * n * p
			 + gram
			 + 8 * n;
	return 8 * doubles + ops->work_bytes(c);
}

struct model *model_new(const struct model_ops *ops, const struct model_cfg *c,
			const struct dataset *data, char **cause)
{
	struct model *m = calloc(1, sizeof *m);
	if (m == NULL) {
		*cause = xstrdup("out of memory");
		return NULL;
	}
	m->ops = ops;
	m->cfg = *c;
	m->data = data;
	m->nsamples = data->n;
	m->nout = data->nout ? data->nout : 1;
	m->n = data->n * m->nout;
	m->nfeat = data->nfeat;
	if (m->nout > 1 && ops->predict == NULL) {
		*cause = xasprintf("model %s has one output per sample; class data (%zu outputs) need "
				   "mlp or lenet", ops->name, m->nout);
		free(m);
		return NULL;
	}
	if (m->nfeat != ops->features(c)) {
		*cause = xasprintf("model %s expects %zu features per sample, the data has %zu",
				   ops->name, ops->features(c), m->nfeat);
		free(m);
		return NULL;
	}
	if (ops->setup(m, cause) != 0) {
		free(m);
		return NULL;
	}
	m->jac_work = xcalloc(m->p, sizeof(double));
	m->u_work = xcalloc(m->n, sizeof(double));
	if (m->jac_work == NULL || m->u_work == NULL) {
		*cause = xstrdup("out of memory");
		model_free(m);
		return NULL;
	}
	/* A step's products are about J-sized (n × p, 2np flops): threads to match. */
	blas_fit(2.0 * (double)m->n * (double)m->p);
	return m;
}

void model_free(struct model *m)
{
	if (m == NULL)
		return;
	if (m->ops->teardown)
		m->ops->teardown(m);
	free(m->jac_work);
	free(m->u_work);
	free(m);
}

void model_residual(struct model *m, const double *theta, double *r)
{
	m->ops->forward(m, theta, r);
	const double *y = m->data->y;
	for (size_t i = 0; i < m->n; i++)
		r[i] -= y[i];
}

int model_jacobian(struct model *m, const double *theta, double *J)
{
	if (m->ops->jacobian)
		return m->ops->jacobian(m, theta, J);
	/* Row i of J is ∇f_i(θ): one vjp restricted to sample i with u = e_i. */
	m->ops->forward(m, theta, m->u_work);
	memset(m->u_work, 0, m->n * sizeof(double));
	for (size_t i = 0; i < m->n; i++) {
		m->u_work[i] = 1.0;
		m->ops->vjp(m, theta, m->u_work, &i, 1, J + i * m->p);
		m->u_work[i] = 0.0;
	}
	return 0;
}

void model_gram_of(const struct model *m, const double *J, double *G)
{
	size_t n = m->n, p = m->p;
	/* G = J Jᵀ: the upper triangle by dsyrk, then mirrored. */
	cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, (int)n, (int)p, 1.0, J, (int)p, 0.0,
		    G, (int)n);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			G[i * n + j] = G[j * n + i];
}

int model_gram(struct model *m, const double *theta, double *G, double *J)
{
	if (m->ops->gram)
		return m->ops->gram(m, theta, G);
	if (model_jacobian(m, theta, J) != 0)
		return -1;
	model_gram_of(m, J, G);
	return 0;
}

int model_layer_index(const struct model *m, const char *name)
{
	for (size_t i = 0; i < m->nlayers; i++)
		if (strcmp(m->layer[i].name, name) == 0)
			return (int)i;
	return -1;
}
