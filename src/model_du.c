/* model_du.c — the two-layer ReLU net of [Du18]: f(x) = (1/√m) Σ_r a_r ReLU(w_rᵀx), only W
 * (m × d, row-major, layer "W") trained. Owns its forward pass and gradients, the Gram
 * matrix H(θ) of [Du18] eq. (5), H∞ and λ0, and the live quantities of [Du18] Sec. 4
 * (pattern flips, max_r ‖w_r − w_r(0)‖, R' of Cor. 4.1's proof).
 *
 * The output weights are fixed and balanced rather than drawn: a_r = +1 for even r and −1
 * for odd r (0-based). [Du18] draws a_r uniformly from {±1}; the balanced choice is one such
 * draw and makes f(θ0) the same in law for every seed. */
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

#define DU_PI 3.14159265358979323846

struct du {
	size_t n, d, m;
	double scale;   /* 1/√m */
	double lambda0; /* λ_min(H∞) */
	double *XXt;    /* n × n: X Xᵀ */
	/* forward cache, at the θ of the last forward() */
	double *Phi; /* m × n: ReLU(w_rᵀx_i) */
	double *D;   /* m × n: 1{w_rᵀx_i ≥ 0} */
	/* scratch */
	double *S;  /* m × n: pre-activations, vjp coefficients, jvp directions */
	double *S0; /* m × n: pre-activations at θ0 (extras) */
	double *Xs; /* n × d: gathered rows of X for a minibatch */
	double *f;  /* n: outputs for gram() and extras() */
};

/* a_r: +1 for even r, −1 for odd r (see the file comment). */
static double sign_a(size_t r)
{
	return r % 2 == 0 ? 1.0 : -1.0;
}

static size_t du_features(const struct model_cfg *c)
{
	return c->d;
}

static double du_nparams(const struct model_cfg *c)
{
	return (double)c->k * (double)c->d;
}

static double du_work_bytes(const struct model_cfg *c)
{
	double n = (double)c->n, d = (double)c->d, m = (double)c->k;
	return sizeof(double) * (n * n + 4 * m * n + n * d + n) + sizeof(struct du);
}

/* ‖x_i‖ = 1 ([Du18] Thm 3.1): uniform on the unit sphere. */
static void du_gen_x(const struct model_cfg *c, gsl_rng *rng, double *X)
{
	for (size_t i = 0; i < c->n; i++)
		gsl_ran_dir_nd(rng, c->d, X + i * c->d);
}

static double *alloc_mat(size_t a, size_t b)
{
	if (b != 0 && a > SIZE_MAX / sizeof(double) / b)
		return NULL;
	return xcalloc(a * b, sizeof(double));
}

/* The angle between x and y (length d) by Kahan's 2·atan2(‖x̂ − ŷ‖, ‖x̂ + ŷ‖): accurate
 * near 0 and π, where arccos(x̂ᵀŷ) loses half the digits (arccos(1 − ε) ≈ √(2ε)). */
static double angle(const double *x, const double *y, size_t d)
{
	double nx = vec_norm(x, d), ny = vec_norm(y, d), sm = 0, df = 0;
	if (!(nx > 0 && ny > 0))
		return DU_PI / 2;
	for (size_t j = 0; j < d; j++) {
		double a = x[j] / nx, b = y[j] / ny;
		df += (a - b) * (a - b);
		sm += (a + b) * (a + b);
	}
	return 2 * atan2(sqrt(df), sqrt(sm));
}

/* [Du18] Thm 3.1: H∞_ij = E_w[x_iᵀx_j 1{wᵀx_i ≥ 0, wᵀx_j ≥ 0}] = x_iᵀx_j (π − θ_ij) / (2π),
 * θ_ij the angle between x_i and x_j (= arccos x_iᵀx_j for unit x_i, computed stably here),
 * and λ0 = λ_min(H∞). */
static int du_lambda0(const double *X, const double *XXt, size_t n, size_t d, double *out)
{
	gsl_matrix *H = gsl_matrix_alloc(n, n);
	gsl_vector *ev = gsl_vector_alloc(n);
	gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(n);
	int rc = -1;
	if (H && ev && w) {
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j <= i; j++) {
				double t = angle(X + i * d, X + j * d, d);
				double h = XXt[i * n + j] * (DU_PI - t) / (2 * DU_PI);
				gsl_matrix_set(H, i, j, h);
				gsl_matrix_set(H, j, i, h);
			}
		if (gsl_eigen_symm(H, ev, w) == GSL_SUCCESS) {
			*out = gsl_vector_min(ev);
			rc = 0;
		}
	}
	gsl_matrix_free(H);
	gsl_vector_free(ev);
	if (w)
		gsl_eigen_symm_free(w);
	return rc;
}

static void du_teardown(struct model *m)
{
	struct du *s = m->priv;
	if (s == NULL)
		return;
	free(s->XXt);
	free(s->Phi);
	free(s->D);
	free(s->S);
	free(s->S0);
	free(s->Xs);
	free(s->f);
	free(s);
	m->priv = NULL;
}

static int du_setup(struct model *m, char **cause)
{
	size_t n = m->n, d = m->cfg.d, w = m->cfg.k;
	if (n == 0 || d == 0 || w == 0) {
		*cause = xasprintf("du: n, d and m must be positive (n = %zu, d = %zu, m = %zu)", n, d,
				   w);
		return -1;
	}
	if (n > INT_MAX || d > INT_MAX || w > INT_MAX) {
		*cause = xstrdup("du: n, d and m must each be below 2^31 for BLAS");
		return -1;
	}
	struct du *s = calloc(1, sizeof *s);
	if (s == NULL) {
		*cause = xstrdup("out of memory");
		return -1;
	}
	m->priv = s;
	s->n = n;
	s->d = d;
	s->m = w;
	s->scale = 1.0 / sqrt((double)w);
	s->XXt = alloc_mat(n, n);
	s->Phi = alloc_mat(w, n);
	s->D = alloc_mat(w, n);
	s->S = alloc_mat(w, n);
	s->S0 = alloc_mat(w, n);
	s->Xs = alloc_mat(n, d);
	s->f = alloc_mat(n, 1);
	if (!s->XXt || !s->Phi || !s->D || !s->S || !s->S0 || !s->Xs || !s->f) {
		*cause = xasprintf("du: out of memory for n = %zu, d = %zu, m = %zu", n, d, w);
		du_teardown(m);
		return -1;
	}
	const double *X = m->data->X;
	cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, (int)n, (int)d, 1.0, X, (int)d, 0.0,
		    s->XXt, (int)n);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			s->XXt[i * n + j] = s->XXt[j * n + i];
	if (du_lambda0(X, s->XXt, n, d, &s->lambda0) != 0) {
		*cause = xstrdup("du: the eigenvalues of H-infinity could not be computed");
		du_teardown(m);
		return -1;
	}
	m->p = w * d;
	m->kinks = true; /* ReLU: the gradient jumps where w_rᵀx_i crosses 0 */
	m->nlayers = 1;
	m->layer[0] = (struct layer){"W", 0, w * d};
	return 0;
}

/* [Du18] Thm 3.1: w_r(0) ~ N(0, I). */
static void du_init(struct model *m, gsl_rng *rng, double *theta0)
{
	struct du *s = m->priv;
	for (size_t j = 0; j < s->m * s->d; j++)
		theta0[j] = gsl_ran_gaussian(rng, 1.0);
}

/* Z = W Xᵀ (m × n) into Z. */
static void preact(const struct model *m, const double *theta, double *Z)
{
	const struct du *s = m->priv;
	cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)s->m, (int)s->n, (int)s->d, 1.0,
		    theta, (int)s->d, m->data->X, (int)s->d, 0.0, Z, (int)s->n);
}

/* f_i = (1/√m) Σ_r a_r ReLU(Z_ri) from pre-activations Z, through a = ±1 as a vector. */
static void outputs(const struct du *s, const double *Z, double *f)
{
	size_t n = s->n;
	memset(f, 0, n * sizeof(double));
	for (size_t r = 0; r < s->m; r++) {
		double c = sign_a(r) * s->scale;
		const double *z = Z + r * n;
		for (size_t i = 0; i < n; i++)
			if (z[i] > 0)
				f[i] += c * z[i];
	}
}

/* [Du18] eq. (2) network: f = (1/√m) Φᵀ a with Φ = ReLU(W Xᵀ). */
static void du_forward(struct model *m, const double *theta, double *f)
{
	struct du *s = m->priv;
	size_t mn = s->m * s->n;
	preact(m, theta, s->S);
	for (size_t j = 0; j < mn; j++) {
		s->Phi[j] = s->S[j] > 0 ? s->S[j] : 0.0;
		s->D[j] = s->S[j] >= 0 ? 1.0 : 0.0;
	}
	outputs(s, s->S, f);
}

/* [Du18] eq. (4): ∂/∂w_r Σ_i u_i f_i = (1/√m) a_r Σ_i u_i 1{w_rᵀx_i ≥ 0} x_i, i.e. g = M X
 * with M_ri = a_r D_ri u_i / √m. A minibatch gathers its rows: O(nrows·m·d). */
static void du_vjp(struct model *m, const double *theta, const double *u, const size_t *rows,
		   size_t nrows, double *g)
{
	(void)theta;
	struct du *s = m->priv;
	size_t n = s->n, d = s->d, w = s->m;
	const double *X = m->data->X;
	if (rows == NULL) {
		for (size_t r = 0; r < w; r++) {
			double c = sign_a(r) * s->scale;
			for (size_t i = 0; i < n; i++)
				s->S[r * n + i] = c * s->D[r * n + i] * u[i];
		}
		cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)w, (int)d, (int)n, 1.0,
			    s->S, (int)n, X, (int)d, 0.0, g, (int)d);
		return;
	}
	memset(g, 0, w * d * sizeof(double));
	for (size_t at = 0; at < nrows; at += n) {
		size_t c = nrows - at < n ? nrows - at : n;
		for (size_t j = 0; j < c; j++) {
			size_t i = rows[at + j];
			memcpy(s->Xs + j * d, X + i * d, d * sizeof(double));
			for (size_t r = 0; r < w; r++)
				s->S[r * c + j] = sign_a(r) * s->scale * s->D[r * n + i] * u[i];
		}
		cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)w, (int)d, (int)c, 1.0,
			    s->S, (int)c, s->Xs, (int)d, 1.0, g, (int)d);
	}
}

/* (J δ)_i = (1/√m) Σ_r a_r D_ri (δW x_i)_r. */
static void du_jvp(struct model *m, const double *theta, const double *dir, double *out)
{
	(void)theta;
	struct du *s = m->priv;
	size_t n = s->n;
	preact(m, dir, s->S);
	memset(out, 0, n * sizeof(double));
	for (size_t r = 0; r < s->m; r++) {
		double c = sign_a(r) * s->scale;
		for (size_t i = 0; i < n; i++)
			out[i] += c * s->D[r * n + i] * s->S[r * n + i];
	}
}

/* [Du18] eq. (5): H_ij = (1/m) x_iᵀx_j Σ_r 1{w_rᵀx_i ≥ 0} 1{w_rᵀx_j ≥ 0} = (J Jᵀ)_ij
 * (a_r² = 1), i.e. H = (X Xᵀ) ⊙ (Dᵀ D) / m. */
static int du_gram(struct model *m, const double *theta, double *G)
{
	struct du *s = m->priv;
	size_t n = s->n;
	du_forward(m, theta, s->f);
	cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)n, (int)s->m, 1.0 / (double)s->m,
		    s->D, (int)n, 0.0, G, (int)n);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i; j < n; j++)
			G[i * n + j] *= s->XXt[i * n + j];
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			G[i * n + j] = G[j * n + i];
	return 0;
}

/* [Du18] has no step size beyond η = O(λ0/n²) with an unknown constant. */
static double du_theory_eta(struct model *m, const double *theta0)
{
	(void)m;
	(void)theta0;
	return NAN;
}

/* Live quantities of [Du18] Sec. 4. Uses its own scratch (S, S0, f), so forward()'s cache
 * (Phi, D) is left as it was. */
static size_t du_extras(struct model *m, const double *theta, const double *theta0,
			const char **names, double *vals)
{
	static const char *const nm[] = {"flips", "max_move", "R_prime", "lambda0"};
	enum { NEXTRAS = sizeof nm / sizeof nm[0] };
	for (size_t j = 0; j < NEXTRAS; j++)
		names[j] = nm[j];
	if (vals == NULL)
		return NEXTRAS;
	struct du *s = m->priv;
	size_t n = s->n, d = s->d, w = s->m;
	preact(m, theta, s->S);
	preact(m, theta0, s->S0);
	/* The fraction of the m·n patterns 1{w_rᵀx_i ≥ 0} that differ from those at θ0. */
	size_t flips = 0;
	for (size_t j = 0; j < w * n; j++)
		flips += (s->S[j] >= 0) != (s->S0[j] >= 0);
	double move = 0;
	for (size_t r = 0; r < w; r++)
		move = fmax(move, vec_dist(theta + r * d, theta0 + r * d, d));
	/* [Du18] Cor. 4.1: R' = 4√n ‖y − u(0)‖ / (√m λ0), u(0) = f(θ0), as the last line of its
	 * proof (appendix) computes it; the statement, eq. (6), prints √(mλ0) instead. */
	outputs(s, s->S0, s->f);
	double res = vec_dist(m->data->y, s->f, n);
	vals[0] = (double)flips / ((double)w * (double)n);
	vals[1] = move;
	vals[2] = s->lambda0 > 0 ? 4 * sqrt((double)n) * res * s->scale / s->lambda0 : NAN;
	vals[3] = s->lambda0;
	return NEXTRAS;
}

const struct model_ops model_du_ops = {
    .name = "du",
    .summary = "two-layer ReLU net (1/sqrt m) sum a_r relu(w_r'x), a_r = +-1 fixed [Du18]",
    .defaults = {.n = 20, .d = 10, .k = 1000, .act = ACT_RELU, .gamma = 0.0},
    .default_labels = LABELS_GAUSSIAN,
    .has_act = false,
    .features = du_features,
    .nparams = du_nparams,
    .work_bytes = du_work_bytes,
    .gen_x = du_gen_x,
    .setup = du_setup,
    .teardown = du_teardown,
    .init = du_init,
    .forward = du_forward,
    .vjp = du_vjp,
    .jvp = du_jvp,
    .gram = du_gram,
    .theory_eta = du_theory_eta,
    .extras = du_extras,
};
