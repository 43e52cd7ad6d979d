/* model_rf.c — the random-features baseline of [OS19b] Sec. 3: f(x) = vᵀφ(W0 x) with W0
 * iid N(0, 1) drawn once and kept fixed, only v trained. The problem is linear least
 * squares in v, (3.1): min ½‖Φ v − y‖² with Φ = φ(X W0ᵀ) (n × k in the paper's notation;
 * stored here as its transpose, k × n). It fits any labels exactly as soon as ΦΦᵀ (n × n)
 * is invertible; Thm 3.2 says that happens with high probability once k ≳ n log²n / λ̃(X).
 * The same seed draws the same X, y and W0 as the shallow model, and v starts at the
 * shallow model's fixed v, so the two start from the same f(θ0). */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cblas.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_vector.h>

#include "gdpath/act.h"
#include "gdpath/data.h"
#include "gdpath/model.h"
#include "gdpath/util.h"

struct rf {
	size_t n, d, k;
	int act;
	double gamma;
	double *W;   /* k × d: W0, fixed */
	double *Phi; /* k × n: φ(W0 x_i) */
	double lmin, lmax; /* extreme eigenvalues of ΦΦᵀ (n × n) */
};

static size_t rf_features(const struct model_cfg *c)
{
	return c->d;
}

static double rf_nparams(const struct model_cfg *c)
{
	return (double)c->k;
}

static double rf_work_bytes(const struct model_cfg *c)
{
	double n = (double)c->n, d = (double)c->d, k = (double)c->k;
	return sizeof(double) * (k * d + k * n + 2 * n * n) + sizeof(struct rf);
}

/* x_i uniform on the unit sphere, as for shallow. */
static void rf_gen_x(const struct model_cfg *c, gsl_rng *rng, double *X)
{
	for (size_t i = 0; i < c->n; i++)
		gsl_ran_dir_nd(rng, c->d, X + i * c->d);
}

static void rf_teardown(struct model *m)
{
	struct rf *s = m->priv;
	if (s == NULL)
		return;
	free(s->W);
	free(s->Phi);
	free(s);
	m->priv = NULL;
}

static int rf_setup(struct model *m, char **cause)
{
	const struct model_cfg *c = &m->cfg;
	size_t n = m->n, d = c->d, k = c->k;
	if (c->act < 0 || c->act >= ACT_COUNT || !(c->gamma >= 0 && c->gamma <= 1)) {
		*cause = xstrdup("rf: bad activation or --gamma");
		return -1;
	}
	if (n == 0 || d == 0 || k == 0 || n > INT_MAX || d > INT_MAX || k > INT_MAX ||
	    (double)k * (double)(n > d ? n : d) > (double)SIZE_MAX / 16) {
		*cause = xasprintf("rf: n, d and k must be positive and not huge (n = %zu, d = %zu, k = %zu)",
				   n, d, k);
		return -1;
	}
	struct rf *s = calloc(1, sizeof *s);
	if (s == NULL) {
		*cause = xstrdup("out of memory");
		return -1;
	}
	m->priv = s;
	s->n = n;
	s->d = d;
	s->k = k;
	s->act = c->act;
	s->gamma = c->gamma;
	s->W = xcalloc(k * d, sizeof(double));
	s->Phi = xcalloc(k * n, sizeof(double));
	if (!s->W || !s->Phi) {
		*cause = xasprintf("rf: out of memory for n = %zu, d = %zu, k = %zu", n, d, k);
		rf_teardown(m);
		return -1;
	}
	s->lmin = s->lmax = NAN;
	m->p = k;
	m->kinks = false;            /* linear in v */
	m->constant_jacobian = true; /* J = Φ, whatever v */
	m->nlayers = 1;
	m->layer[0] = (struct layer){"v", 0, k};
	return 0;
}

/* λ_min and λ_max of ΦΦᵀ = (k × n)ᵀ(k × n), n × n, by GSL's symmetric eigensolver. */
static void rf_spectrum(struct rf *s)
{
	size_t n = s->n;
	gsl_matrix *G = gsl_matrix_alloc(n, n);
	gsl_vector *ev = gsl_vector_alloc(n);
	gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(n);
	s->lmin = s->lmax = NAN;
	if (G && ev && w) {
		cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)n, (int)s->k, 1.0, s->Phi,
			    (int)n, 0.0, G->data, (int)G->tda);
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < i; j++)
				gsl_matrix_set(G, i, j, gsl_matrix_get(G, j, i));
		if (gsl_eigen_symm(G, ev, w) == GSL_SUCCESS) {
			s->lmin = gsl_vector_min(ev);
			s->lmax = gsl_vector_max(ev);
			if (s->lmin < 0)
				s->lmin = 0; /* rounding of a singular matrix */
		}
	}
	gsl_matrix_free(G);
	gsl_vector_free(ev);
	if (w)
		gsl_eigen_symm_free(w);
}

/* W0 iid N(0, 1) — the same draws as shallow's W0 — then Φ; v0 = shallow's fixed v:
 * half +‖y‖/√(kn), half −‖y‖/√(kn), the odd one 0 ([OS19b] Thm 2.1, footnote 1). */
static void rf_init(struct model *m, gsl_rng *rng, double *theta0)
{
	struct rf *s = m->priv;
	size_t n = s->n, d = s->d, k = s->k;
	for (size_t j = 0; j < k * d; j++)
		s->W[j] = gsl_ran_gaussian(rng, 1.0);
	cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)k, (int)n, (int)d, 1.0, s->W,
		    (int)d, m->data->X, (int)d, 0.0, s->Phi, (int)n);
	for (size_t j = 0; j < k * n; j++)
		s->Phi[j] = act_f(s->act, s->gamma, s->Phi[j]);
	double a = vec_norm(m->data->y, n) / sqrt((double)k * (double)n);
	size_t h = k / 2;
	for (size_t l = 0; l < k; l++)
		theta0[l] = l < h ? a : l < 2 * h ? -a : 0.0;
	rf_spectrum(s);
}

/* f = Φᵀ v (Φ stored k × n). */
static void rf_forward(struct model *m, const double *theta, double *f)
{
	struct rf *s = m->priv;
	cblas_dgemv(CblasRowMajor, CblasTrans, (int)s->k, (int)s->n, 1.0, s->Phi, (int)s->n, theta,
		    1, 0.0, f, 1);
}

/* g = Σ_j u_j φ(W0 x_j) = Φ u over the rows asked for. */
static void rf_vjp(struct model *m, const double *theta, const double *u, const size_t *rows,
		   size_t nrows, double *g)
{
	(void)theta;
	struct rf *s = m->priv;
	if (rows == NULL) {
		cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)s->k, (int)s->n, 1.0, s->Phi,
			    (int)s->n, u, 1, 0.0, g, 1);
		return;
	}
	memset(g, 0, s->k * sizeof(double));
	for (size_t j = 0; j < nrows; j++)
		cblas_daxpy((int)s->k, u[rows[j]], s->Phi + rows[j], (int)s->n, g, 1);
}

static void rf_jvp(struct model *m, const double *theta, const double *v, double *out)
{
	rf_forward(m, v, out);
	(void)theta;
}

/* J Jᵀ = ΦᵀΦ in storage, ΦΦᵀ in the paper's notation: constant. */
static int rf_gram(struct model *m, const double *theta, double *G)
{
	(void)theta;
	struct rf *s = m->priv;
	size_t n = s->n;
	cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)n, (int)s->k, 1.0, s->Phi, (int)n,
		    0.0, G, (int)n);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			G[i * n + j] = G[j * n + i];
	return 0;
}

/* Least squares: η = 1/λ_max(ΦΦᵀ) = 1/‖Φ‖², the step of linear regression. */
static double rf_theory_eta(struct model *m, const double *theta0)
{
	(void)theta0;
	struct rf *s = m->priv;
	return s->lmax > 0 ? 1.0 / s->lmax : NAN;
}

static size_t rf_extras(struct model *m, const double *theta, const double *theta0,
			const char **names, double *vals)
{
	(void)theta;
	(void)theta0;
	static const char *const nm[] = {"lambda_min_PhiPhiT", "lambda_max_PhiPhiT"};
	names[0] = nm[0];
	names[1] = nm[1];
	if (vals) {
		struct rf *s = m->priv;
		vals[0] = s->lmin;
		vals[1] = s->lmax;
	}
	return 2;
}

const struct model_ops model_rf_ops = {
    .name = "rf",
    .summary = "random features v'phi(W0 x): W0 fixed, only v trained [OS19b] Sec. 3",
    .defaults = {.n = 100, .d = 20, .k = 200, .act = ACT_SOFTPLUS, .gamma = 0.0},
    .default_labels = LABELS_GAUSSIAN,
    .has_act = true,
    .features = rf_features,
    .nparams = rf_nparams,
    .work_bytes = rf_work_bytes,
    .gen_x = rf_gen_x,
    .setup = rf_setup,
    .teardown = rf_teardown,
    .init = rf_init,
    .forward = rf_forward,
    .vjp = rf_vjp,
    .jvp = rf_jvp,
    .gram = rf_gram,
    .theory_eta = rf_theory_eta,
    .extras = rf_extras,
};
