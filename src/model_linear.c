/* model_linear.c — the linear model f = Xθ ([OS19] Sec 1.2, Thm 2.4) and the generalized
 * linear model f = φ(Xθ) with φ = (1−γ)softplus + γz ([OS19] Thm 4.1): forward and
 * derivative products, structured Jacobian and Gram matrix, the theory step size and the
 * exact closest global optimum from an SVD of X made once in setup(). */
#include "config.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cblas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_vector.h>

#include "gdpath/act.h"
#include "gdpath/data.h"
#include "gdpath/model.h"
#include "gdpath/util.h"

struct lin {
	bool glm;
	double gamma;    /* glm: linear part of φ */
	size_t n, d;     /* samples, features (= p) */
	const double *X; /* n × d, the dataset's */
	double *z;       /* n: Xθ at the last forward (glm) */
	double *dphi;    /* n: φ'(Xθ) at the last forward (glm) */
	double *w;       /* n: scratch for vjp over all rows (glm) */
	double *b;       /* n: scratch for closest() */
	/* Thin SVD of X, made once. With N = min(n, d): X = A diag(S) Bᵀ, A (n × N) and
	 * B (d × N) with orthonormal columns, so X⁺ = B diag(S)⁺ Aᵀ. */
	gsl_matrix *svd_u; /* the tall factor out of gsl_linalg_SV_decomp */
	gsl_matrix *svd_v; /* the square factor */
	gsl_vector *svd_s; /* N singular values, largest first */
	gsl_matrix *left;  /* A: svd_v if n ≤ d, svd_u otherwise (not owned separately) */
	gsl_matrix *right; /* B: svd_u if n ≤ d, svd_v otherwise */
	size_t rank;       /* singular values above the tolerance */
	double *c;         /* N: scratch for closest() */
};

/* φ(z) = (1−γ)·softplus(z) + γz, written so that exp never overflows ([OS19] Thm 4.1 needs
 * 0 < γ ≤ φ' ≤ Γ = 1). */
static double glm_phi(double gamma, double z)
{
	double sp = log1p(exp(-fabs(z))) + fmax(z, 0.0);
	return (1.0 - gamma) * sp + gamma * z;
}

static double glm_dphi(double gamma, double z)
{
	double s;
	if (z >= 0) {
		s = 1.0 / (1.0 + exp(-z));
	} else {
		double e = exp(z);
		s = e / (1.0 + e);
	}
	return (1.0 - gamma) * s + gamma;
}

static size_t lin_features(const struct model_cfg *c)
{
	return c->d;
}

static double lin_nparams(const struct model_cfg *c)
{
	return (double)c->d;
}

static double lin_work_bytes(const struct model_cfg *c)
{
	double n = (double)c->n, d = (double)c->d, big = fmax(n, d), small = fmin(n, d);
	/* z, dphi, w, b; the SVD factors and singular values; c */
	return 8.0 * (4 * n + big * small + small * small + 3 * small);
}

/* X iid N(0, 1/d) (SPEC §3). */
static void lin_gen_x(const struct model_cfg *c, gsl_rng *rng, double *X)
{
	double sd = 1.0 / sqrt((double)c->d);
	for (size_t i = 0; i < c->n * c->d; i++)
		X[i] = gsl_ran_gaussian(rng, sd);
}

static void lin_teardown(struct model *m)
{
	struct lin *L = m->priv;
	if (L == NULL)
		return;
	free(L->z);
	free(L->dphi);
	free(L->w);
	free(L->b);
	free(L->c);
	gsl_matrix_free(L->svd_u);
	gsl_matrix_free(L->svd_v);
	gsl_vector_free(L->svd_s);
	free(L);
	m->priv = NULL;
}

/* The thin SVD of X through GSL (which needs rows ≥ columns): of Xᵀ when n ≤ d, of X
 * otherwise. */
static int lin_svd(struct lin *L, char **cause)
{
	size_t n = L->n, d = L->d, big = n > d ? n : d, small = n > d ? d : n;
	L->svd_u = gsl_matrix_alloc(big, small);
	L->svd_v = gsl_matrix_alloc(small, small);
	L->svd_s = gsl_vector_alloc(small);
	gsl_vector *work = gsl_vector_alloc(small);
	if (L->svd_u == NULL || L->svd_v == NULL || L->svd_s == NULL || work == NULL) {
		gsl_vector_free(work);
		*cause = xstrdup("out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < d; j++) {
			if (n <= d)
				gsl_matrix_set(L->svd_u, j, i, L->X[i * d + j]);
			else
				gsl_matrix_set(L->svd_u, i, j, L->X[i * d + j]);
		}
	int status = gsl_linalg_SV_decomp(L->svd_u, L->svd_v, L->svd_s, work);
	gsl_vector_free(work);
	if (status != GSL_SUCCESS) {
		*cause = xasprintf("the SVD of the data matrix failed: %s", gsl_strerror(status));
		return -1;
	}
	/* Xᵀ = U S Vᵀ gives X = V S Uᵀ; X = U S Vᵀ is already in the A S Bᵀ form. */
	L->left = n <= d ? L->svd_v : L->svd_u;
	L->right = n <= d ? L->svd_u : L->svd_v;
	double smax = gsl_vector_get(L->svd_s, 0);
	double tol = (double)big * DBL_EPSILON * smax;
	L->rank = 0;
	for (size_t j = 0; j < small; j++)
		if (gsl_vector_get(L->svd_s, j) > tol)
			L->rank++;
	return 0;
}

static int lin_setup_common(struct model *m, bool glm, char **cause)
{
	size_t n = m->n, d = m->nfeat;
	if (n == 0 || d == 0) {
		*cause = xasprintf("model %s needs at least one sample and one feature",
				   m->ops->name);
		return -1;
	}
	if (n > INT_MAX || d > INT_MAX) {
		*cause = xasprintf("model %s: n = %zu, d = %zu is too large for BLAS",
				   m->ops->name, n, d);
		return -1;
	}
	double gamma = m->cfg.gamma;
	if (glm) {
		if (!(gamma > 0 && gamma <= 1)) {
			*cause = xasprintf("glm: --gamma must be in (0, 1] so that φ is strictly "
					   "increasing onto R, got %g",
					   gamma);
			return -1;
		}
		if (m->cfg.act >= 0 && m->cfg.act != ACT_SOFTPLUS) {
			*cause = xstrdup("glm: only the softplus activation is implemented "
					 "(φ = (1−γ)softplus + γz)");
			return -1;
		}
	}
	struct lin *L = calloc(1, sizeof *L);
	if (L == NULL) {
		*cause = xstrdup("out of memory");
		return -1;
	}
	m->priv = L;
	L->glm = glm;
	L->gamma = glm ? gamma : 0.0;
	L->n = n;
	L->d = d;
	L->X = m->data->X;
	L->z = xcalloc(n, sizeof(double));
	L->dphi = xcalloc(n, sizeof(double));
	L->w = xcalloc(n, sizeof(double));
	L->b = xcalloc(n, sizeof(double));
	L->c = xcalloc(n < d ? n : d, sizeof(double));
	if (L->z == NULL || L->dphi == NULL || L->w == NULL || L->b == NULL || L->c == NULL) {
		*cause = xstrdup("out of memory");
		lin_teardown(m);
		return -1;
	}
	if (lin_svd(L, cause) != 0) {
		lin_teardown(m);
		return -1;
	}
	m->p = d;
	m->nlayers = 1;
	m->layer[0] = (struct layer){.name = "theta", .off = 0, .len = d};
	return 0;
}

static int linear_setup(struct model *m, char **cause)
{
	m->constant_jacobian = true; /* J = X */
	return lin_setup_common(m, false, cause);
}

static int glm_setup(struct model *m, char **cause)
{
	return lin_setup_common(m, true, cause);
}

/* θ0 iid N(0, 1) (SPEC §3). */
static void lin_init(struct model *m, gsl_rng *rng, double *theta0)
{
	for (size_t j = 0; j < m->p; j++)
		theta0[j] = gsl_ran_gaussian(rng, 1.0);
}

/* z = Xθ, and for the GLM the cached φ'(z). */
static void lin_eval(struct lin *L, const double *theta, double *z)
{
	cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)L->n, (int)L->d, 1.0, L->X, (int)L->d,
		    theta, 1, 0.0, z, 1);
}

static void linear_forward(struct model *m, const double *theta, double *f)
{
	lin_eval(m->priv, theta, f);
}

static void glm_forward(struct model *m, const double *theta, double *f)
{
	struct lin *L = m->priv;
	lin_eval(L, theta, L->z);
	for (size_t i = 0; i < L->n; i++) {
		L->dphi[i] = glm_dphi(L->gamma, L->z[i]);
		f[i] = glm_phi(L->gamma, L->z[i]);
	}
}

/* g = Σ_j u_j x_j over the chosen rows, u scaled by φ'(z) for the GLM: ∇f_i = φ'(z_i) x_i. */
static void lin_vjp(struct model *m, const double *theta, const double *u, const size_t *rows,
		    size_t nrows, double *g)
{
	struct lin *L = m->priv;
	size_t n = L->n, d = L->d;
	(void)theta;
	if (rows == NULL) {
		const double *w = u;
		if (L->glm) {
			for (size_t i = 0; i < n; i++)
				L->w[i] = u[i] * L->dphi[i];
			w = L->w;
		}
		cblas_dgemv(CblasRowMajor, CblasTrans, (int)n, (int)d, 1.0, L->X, (int)d, w, 1,
			    0.0, g, 1);
		return;
	}
	memset(g, 0, d * sizeof(double));
	for (size_t j = 0; j < nrows; j++) {
		size_t i = rows[j];
		double a = L->glm ? u[i] * L->dphi[i] : u[i];
		cblas_daxpy((int)d, a, L->X + i * d, 1, g, 1);
	}
}

/* J v = D X v with D = diag(φ'(Xθ)) (the identity for the linear model). */
static void lin_jvp(struct model *m, const double *theta, const double *v, double *out)
{
	struct lin *L = m->priv;
	(void)theta;
	lin_eval(L, v, out);
	if (L->glm)
		for (size_t i = 0; i < L->n; i++)
			out[i] *= L->dphi[i];
}

/* J = D X. */
static int lin_jacobian(struct model *m, const double *theta, double *J)
{
	struct lin *L = m->priv;
	size_t n = L->n, d = L->d;
	memcpy(J, L->X, n * d * sizeof(double));
	if (L->glm) {
		glm_forward(m, theta, L->w);
		for (size_t i = 0; i < n; i++)
			cblas_dscal((int)d, L->dphi[i], J + i * d, 1);
	}
	return 0;
}

/* G = D X Xᵀ D: the upper triangle of X Xᵀ by dsyrk, then scaled and mirrored. */
static int lin_gram(struct model *m, const double *theta, double *G)
{
	struct lin *L = m->priv;
	size_t n = L->n, d = L->d;
	cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, (int)n, (int)d, 1.0, L->X, (int)d,
		    0.0, G, (int)n);
	if (L->glm)
		glm_forward(m, theta, L->w);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i; j < n; j++) {
			if (L->glm)
				G[i * n + j] *= L->dphi[i] * L->dphi[j];
			G[j * n + i] = G[i * n + j];
		}
	return 0;
}

/* η = 1/(‖X‖²Γ²) with Γ = sup φ' = 1 for both models ([OS19] Sec 1.2 and Thm 4.1). */
static double lin_theory_eta(struct model *m, const double *theta0)
{
	struct lin *L = m->priv;
	double s = gsl_vector_get(L->svd_s, 0);
	(void)theta0;
	return s > 0 ? 1.0 / (s * s) : NAN;
}

/* θ* = θ0 + X⁺ b, b given in L->b ([OS19] Sec 1.2: Π_N(θ*) = Π_N(θ0), the closest
 * optimum). Singular values below the rank tolerance count as zero. */
static void lin_pinv_step(struct lin *L, const double *theta0, double *theta_star)
{
	size_t n = L->n, d = L->d, N = L->svd_s->size;
	gsl_matrix *A = L->left, *B = L->right;
	cblas_dgemv(CblasRowMajor, CblasTrans, (int)n, (int)N, 1.0, A->data, (int)A->tda, L->b,
		    1, 0.0, L->c, 1);
	for (size_t j = 0; j < N; j++)
		L->c[j] = j < L->rank ? L->c[j] / gsl_vector_get(L->svd_s, j) : 0.0;
	memcpy(theta_star, theta0, d * sizeof(double));
	cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)d, (int)N, 1.0, B->data, (int)B->tda, L->c,
		    1, 1.0, theta_star, 1);
}

static int linear_closest(struct model *m, const double *theta0, double *theta_star,
			  char **cause)
{
	struct lin *L = m->priv;
	(void)cause;
	lin_eval(L, theta0, L->b);
	for (size_t i = 0; i < L->n; i++)
		L->b[i] = m->data->y[i] - L->b[i];
	lin_pinv_step(L, theta0, theta_star);
	return 0;
}

struct glm_root {
	double gamma, y;
};

static double glm_root_f(double z, void *params)
{
	const struct glm_root *q = params;
	return glm_phi(q->gamma, z) - q->y;
}

/* z with φ(z) = y: bracket by doubling (φ is increasing onto R), Brent, one Newton step. */
static int glm_inverse(gsl_root_fsolver *s, double gamma, double y, double *z, char **cause)
{
	struct glm_root q = {gamma, y};
	gsl_function F = {glm_root_f, &q};
	double lo = -1.0, hi = 1.0;
	for (int k = 0; glm_root_f(lo, &q) > 0; k++) {
		if (k > 1100) {
			*cause = xasprintf("glm: no preimage of label %g under φ", y);
			return -1;
		}
		hi = lo;
		lo *= 2;
	}
	for (int k = 0; glm_root_f(hi, &q) < 0; k++) {
		if (k > 1100) {
			*cause = xasprintf("glm: no preimage of label %g under φ", y);
			return -1;
		}
		lo = hi;
		hi *= 2;
	}
	int status = gsl_root_fsolver_set(s, &F, lo, hi);
	for (int it = 0; status == GSL_SUCCESS && it < 200; it++) {
		status = gsl_root_fsolver_iterate(s);
		if (status != GSL_SUCCESS)
			break;
		status = gsl_root_test_interval(gsl_root_fsolver_x_lower(s),
						gsl_root_fsolver_x_upper(s), 1e-14, 1e-14);
		if (status == GSL_SUCCESS)
			break;
		if (status != GSL_CONTINUE)
			break;
		status = GSL_SUCCESS;
	}
	if (status != GSL_SUCCESS) {
		*cause = xasprintf("glm: solving φ(z) = %g failed: %s", y, gsl_strerror(status));
		return -1;
	}
	double r = gsl_root_fsolver_root(s);
	r -= glm_root_f(r, &q) / glm_dphi(gamma, r);
	*z = r;
	return 0;
}

/* θ* = θ0 + X⁺(φ⁻¹(y) − Xθ0) (SPEC §2 "Closest optimum", [OS19] Thm 4.1). */
static int glm_closest(struct model *m, const double *theta0, double *theta_star, char **cause)
{
	struct lin *L = m->priv;
	if (L->rank < L->n) {
		*cause = xasprintf("glm: X has rank %zu < n = %zu, so φ(Xθ) = y may have no "
				   "solution and θ* is not known exactly",
				   L->rank, L->n);
		return -1;
	}
	gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	if (s == NULL) {
		*cause = xstrdup("out of memory");
		return -1;
	}
	for (size_t i = 0; i < L->n; i++) {
		double y = m->data->y[i];
		if (!isfinite(y)) {
			*cause = xasprintf("glm: label %zu is not finite", i + 1);
			gsl_root_fsolver_free(s);
			return -1;
		}
		if (glm_inverse(s, L->gamma, y, &L->b[i], cause) != 0) {
			gsl_root_fsolver_free(s);
			return -1;
		}
	}
	gsl_root_fsolver_free(s);
	lin_eval(L, theta0, L->w);
	for (size_t i = 0; i < L->n; i++)
		L->b[i] -= L->w[i];
	lin_pinv_step(L, theta0, theta_star);
	return 0;
}

const struct model_ops model_linear_ops = {
    .name = "linear",
    .summary = "linear regression f = x'θ ([OS19] Sec 1.2, Thm 2.4); exact closest optimum",
    .defaults = {.n = 40, .d = 100, .act = -1, .gamma = NAN},
    .default_labels = LABELS_GAUSSIAN,
    .has_act = false,
    .features = lin_features,
    .nparams = lin_nparams,
    .work_bytes = lin_work_bytes,
    .gen_x = lin_gen_x,
    .setup = linear_setup,
    .teardown = lin_teardown,
    .init = lin_init,
    .forward = linear_forward,
    .vjp = lin_vjp,
    .jvp = lin_jvp,
    .jacobian = lin_jacobian,
    .gram = lin_gram,
    .theory_eta = lin_theory_eta,
    .closest = linear_closest,
    .extras = NULL,
};

const struct model_ops model_glm_ops = {
    .name = "glm",
    .summary = "generalized linear model f = φ(x'θ), φ = (1−γ)softplus + γz ([OS19] Thm 4.1)",
    .defaults = {.n = 40, .d = 100, .act = ACT_SOFTPLUS, .gamma = 0.1},
    .default_labels = LABELS_GAUSSIAN,
    .has_act = true,
    .features = lin_features,
    .nparams = lin_nparams,
    .work_bytes = lin_work_bytes,
    .gen_x = lin_gen_x,
    .setup = glm_setup,
    .teardown = lin_teardown,
    .init = lin_init,
    .forward = glm_forward,
    .vjp = lin_vjp,
    .jvp = lin_jvp,
    .jacobian = lin_jacobian,
    .gram = lin_gram,
    .theory_eta = lin_theory_eta,
    .closest = glm_closest,
    .extras = NULL,
};
