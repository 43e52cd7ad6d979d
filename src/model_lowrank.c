/* model_lowrank.c — low-rank regression f_i = ⟨X_i, ΘΘᵀ⟩ with Θ ∈ R^{d×r} (Burer–Monteiro;
 * [OS19] Sec 4.2, Thm 4.2, Sec 6.2): forward and derivative products, the paper's
 * initialisation and step size, and the singular values of Θ as live extras. */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cblas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_vector.h>

#include "gdpath/data.h"
#include "gdpath/model.h"
#include "gdpath/util.h"

struct lowrank {
	size_t n, d, r;
	size_t P;        /* d(d+1)/2: entries of a symmetric d × d matrix's upper triangle */
	double *Xp;      /* n × P: row i packs X_i + X_iᵀ's upper triangle (diagonal X_i,aa) */
	double *W;       /* d × d scratch: ΘΘᵀ, VΘᵀ + ΘVᵀ, Σ u_i (X_i + X_iᵀ); Q in init */
	double *wp;      /* P: W's upper triangle packed, or the packed Xpᵀu */
	gsl_matrix *T;   /* d × r: copy of Θ for its SVD; Gaussian for QR in init */
	gsl_matrix *R;   /* d × r: R factor in init */
	gsl_matrix *V;   /* r × r: SVD right factor; Q of the r × r QR in init */
	gsl_matrix *G;   /* r × r: Gaussian for QR in init */
	gsl_matrix *Rr;  /* r × r: R factor in init */
	gsl_vector *S;   /* r: singular values */
	gsl_vector *work; /* r: SVD workspace */
	gsl_vector *tau; /* r: Householder coefficients */
};

static const char *const sv_names[MODEL_MAX_EXTRAS] = {
    "sv1", "sv2",  "sv3",  "sv4",  "sv5",  "sv6",  "sv7",  "sv8",
    "sv9", "sv10", "sv11", "sv12", "sv13", "sv14", "sv15", "sv16",
};

static size_t lr_features(const struct model_cfg *c)
{
	if (c->d != 0 && c->d > SIZE_MAX / c->d)
		return SIZE_MAX; /* saturated: no dataset can match it */
	return c->d * c->d;
}

static double lr_nparams(const struct model_cfg *c)
{
	return (double)c->d * (double)c->r;
}

static double lr_work_bytes(const struct model_cfg *c)
{
	double d = (double)c->d, r = (double)c->r, P = d * (d + 1) / 2;
	return 8.0 * ((double)c->n * P + P + d * d + 2 * d * r + 3 * r * r + 3 * r);
}

/* X_i iid N(0, 1) entries, not symmetrised ([OS19] Thm 4.2). */
static void lr_gen_x(const struct model_cfg *c, gsl_rng *rng, double *X)
{
	size_t len = c->n * c->d * c->d;
	for (size_t i = 0; i < len; i++)
		X[i] = gsl_ran_gaussian(rng, 1.0);
}

static void lr_teardown(struct model *m)
{
	struct lowrank *L = m->priv;
	if (L == NULL)
		return;
	free(L->W);
	free(L->Xp);
	free(L->wp);
	gsl_matrix_free(L->T);
	gsl_matrix_free(L->R);
	gsl_matrix_free(L->V);
	gsl_matrix_free(L->G);
	gsl_matrix_free(L->Rr);
	gsl_vector_free(L->S);
	gsl_vector_free(L->work);
	gsl_vector_free(L->tau);
	free(L);
	m->priv = NULL;
}

static int lr_setup(struct model *m, char **cause)
{
	size_t n = m->n, d = m->cfg.d, r = m->cfg.r;
	if (n == 0 || d == 0 || r == 0) {
		*cause = xstrdup("lowrank needs n, d and r of at least 1");
		return -1;
	}
	if (r > d) {
		*cause = xasprintf("lowrank: the rank r = %zu must not exceed d = %zu", r, d);
		return -1;
	}
	if (n > INT_MAX || d > 46340 || d * r > INT_MAX) {
		*cause = xasprintf("lowrank: n = %zu, d = %zu, r = %zu is too large for BLAS", n,
				   d, r);
		return -1;
	}
	struct lowrank *L = calloc(1, sizeof *L);
	if (L == NULL) {
		*cause = xstrdup("out of memory");
		return -1;
	}
	m->priv = L;
	L->n = n;
	L->d = d;
	L->r = r;
	L->P = d * (d + 1) / 2;
	L->W = xcalloc(d * d, sizeof(double));
	L->wp = xcalloc(L->P, sizeof(double));
	L->Xp = n > SIZE_MAX / sizeof(double) / L->P ? NULL : xcalloc(n * L->P, sizeof(double));
	L->T = gsl_matrix_alloc(d, r);
	L->R = gsl_matrix_alloc(d, r);
	L->V = gsl_matrix_alloc(r, r);
	L->G = gsl_matrix_alloc(r, r);
	L->Rr = gsl_matrix_alloc(r, r);
	L->S = gsl_vector_alloc(r);
	L->work = gsl_vector_alloc(r);
	L->tau = gsl_vector_alloc(r);
	if (L->W == NULL || L->wp == NULL || L->Xp == NULL || L->T == NULL || L->R == NULL || L->V == NULL || L->G == NULL ||
	    L->Rr == NULL || L->S == NULL || L->work == NULL || L->tau == NULL) {
		*cause = xstrdup("out of memory");
		lr_teardown(m);
		return -1;
	}
	/* ⟨X_i, S⟩ = ⟨X_i + X_iᵀ, S⟩/2 for symmetric S, and every matrix gdpath pairs with X_i
	 * (ΘΘᵀ, VΘᵀ + ΘVᵀ) is symmetric, as is the gradient's Σ u_i (X_i + X_iᵀ): so one packed
	 * upper triangle per sample carries all the model needs, and each pass over the data
	 * reads d(d+1)/2 numbers per sample instead of d² (the passes are memory-bound). */
	const double *X = m->data->X;
	for (size_t i = 0; i < n; i++) {
		const double *Xi = X + i * d * d;
		double *row = L->Xp + i * L->P;
		for (size_t a = 0; a < d; a++) {
			*row++ = Xi[a * d + a];
			for (size_t b = a + 1; b < d; b++)
				*row++ = Xi[a * d + b] + Xi[b * d + a];
		}
	}
	m->p = d * r;
	m->nlayers = 1;
	m->layer[0] = (struct layer){.name = "Theta", .off = 0, .len = d * r};
	return 0;
}

/* Q of a QR decomposition of the Gaussian matrix A (rows ≥ cols), columns signed so that
 * R has a positive diagonal (then Q is Haar distributed). Q must be rows × rows; its first
 * cols columns are the orthonormal factor. */
static int lr_orthonormal(gsl_matrix *A, gsl_vector *tau, gsl_matrix *Q, gsl_matrix *Rf)
{
	int status = gsl_linalg_QR_decomp(A, tau);
	if (status == GSL_SUCCESS)
		status = gsl_linalg_QR_unpack(A, tau, Q, Rf);
	if (status != GSL_SUCCESS)
		return status;
	for (size_t j = 0; j < A->size2; j++)
		if (gsl_matrix_get(Rf, j, j) < 0)
			for (size_t i = 0; i < Q->size1; i++)
				gsl_matrix_set(Q, i, j, -gsl_matrix_get(Q, i, j));
	return GSL_SUCCESS;
}

/* Θ0 = U diag(s) Vᵀ, U (d × r) and V (r × r) random orthonormal, s_j uniform in
 * [√‖y‖/(rn)^{1/4}, 2√‖y‖/(rn)^{1/4}] ([OS19] Thm 4.2). Uses only setup's workspace. */
static void lr_init(struct model *m, gsl_rng *rng, double *theta0)
{
	struct lowrank *L = m->priv;
	size_t d = L->d, r = L->r;
	for (size_t i = 0; i < d; i++)
		for (size_t j = 0; j < r; j++)
			gsl_matrix_set(L->T, i, j, gsl_ran_gaussian(rng, 1.0));
	for (size_t i = 0; i < r; i++)
		for (size_t j = 0; j < r; j++)
			gsl_matrix_set(L->G, i, j, gsl_ran_gaussian(rng, 1.0));
	double a = sqrt(vec_norm(m->data->y, L->n)) / pow((double)r * (double)L->n, 0.25);
	for (size_t j = 0; j < r; j++)
		gsl_vector_set(L->S, j, a * (1.0 + gsl_rng_uniform(rng)));
	gsl_matrix_view Q = gsl_matrix_view_array(L->W, d, d);
	if (lr_orthonormal(L->T, L->tau, &Q.matrix, L->R) != GSL_SUCCESS ||
	    lr_orthonormal(L->G, L->tau, L->V, L->Rr) != GSL_SUCCESS) {
		/* A Gaussian matrix is full rank with probability one; should QR still fail,
		 * fall back to Θ0 = [diag(s); 0], which has the same singular values. */
		memset(theta0, 0, d * r * sizeof(double));
		for (size_t j = 0; j < r; j++)
			theta0[j * r + j] = gsl_vector_get(L->S, j);
		return;
	}
	/* U diag(s) in place in the first r columns of Q, then Θ0 = (U diag(s)) Vᵀ. */
	for (size_t j = 0; j < r; j++)
		cblas_dscal((int)d, gsl_vector_get(L->S, j), L->W + j, (int)d);
	cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)d, (int)r, (int)r, 1.0, L->W,
		    (int)d, L->V->data, (int)L->V->tda, 0.0, theta0, (int)r);
}

/* f_i = ⟨X_i, M⟩ for the symmetric M whose upper triangle is in L->W: pack it, then one
 * dgemv over the n × d(d+1)/2 packed data (the off-diagonal X_i,ab + X_i,ba meet M_ab). */
static void lr_apply(struct lowrank *L, double *out)
{
	size_t d = L->d;
	double *w = L->wp;
	for (size_t a = 0; a < d; a++) {
		const double *Wa = L->W + a * d;
		for (size_t b = a; b < d; b++)
			*w++ = Wa[b];
	}
	cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)L->n, (int)L->P, 1.0, L->Xp, (int)L->P,
		    L->wp, 1, 0.0, out, 1);
}

/* f_i = ⟨X_i, ΘΘᵀ⟩ ([OS19] Sec 4.2), ΘΘᵀ's upper triangle by dsyrk. Nothing to cache: vjp
 * and jvp need only Θ. */
static void lr_forward(struct model *m, const double *theta, double *f)
{
	struct lowrank *L = m->priv;
	int d = (int)L->d, r = (int)L->r;
	cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, d, r, 1.0, theta, r, 0.0, L->W, d);
	lr_apply(L, f);
}

/* g = Σ_j u_j (X_j + X_jᵀ)Θ over the chosen rows (SPEC §3, the gradient of (4.4)): the packed
 * A = Σ u_j (X_j + X_jᵀ) by one dgemv over the packed data (or axpys over its rows),
 * unpacked (diagonal doubled), then AΘ by dgemm. A is symmetric, so the product is asked
 * as AᵀΘ: OpenBLAS's NoTrans × NoTrans small kernel mallocs on every call. */
static void lr_vjp(struct model *m, const double *theta, const double *u, const size_t *rows,
		   size_t nrows, double *g)
{
	struct lowrank *L = m->priv;
	size_t d = L->d, P = L->P;
	if (rows == NULL) {
		cblas_dgemv(CblasRowMajor, CblasTrans, (int)L->n, (int)P, 1.0, L->Xp, (int)P, u, 1,
			    0.0, L->wp, 1);
	} else {
		memset(L->wp, 0, P * sizeof(double));
		for (size_t j = 0; j < nrows; j++)
			cblas_daxpy((int)P, u[rows[j]], L->Xp + rows[j] * P, 1, L->wp, 1);
	}
	double *A = L->W;
	const double *w = L->wp;
	for (size_t a = 0; a < d; a++) {
		A[a * d + a] = 2 * *w++;
		for (size_t b = a + 1; b < d; b++) {
			A[a * d + b] = *w;
			A[b * d + a] = *w++;
		}
	}
	cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)d, (int)L->r, (int)d, 1.0, A,
		    (int)d, theta, (int)L->r, 0.0, g, (int)L->r);
}

/* J V = [⟨X_i, VΘᵀ + ΘVᵀ⟩]_i, the directional derivative of ΘΘᵀ (its upper triangle by
 * dsyr2k). */
static void lr_jvp(struct model *m, const double *theta, const double *v, double *out)
{
	struct lowrank *L = m->priv;
	int d = (int)L->d, r = (int)L->r;
	cblas_dsyr2k(CblasRowMajor, CblasUpper, CblasNoTrans, d, r, 1.0, v, r, theta, r, 0.0,
		     L->W, d);
	lr_apply(L, out);
}

/* η = c1·√n/(r² d ‖y‖) with c1 = 1 ([OS19] Thm 4.2). */
static double lr_theory_eta(struct model *m, const double *theta0)
{
	struct lowrank *L = m->priv;
	double ny = vec_norm(m->data->y, L->n);
	(void)theta0;
	if (!(ny > 0))
		return NAN;
	return sqrt((double)L->n) / ((double)L->r * (double)L->r * (double)L->d * ny);
}

/* The singular values of Θ, largest first ("sv1".."svR", at most MODEL_MAX_EXTRAS). */
static size_t lr_extras(struct model *m, const double *theta, const double *theta0,
			const char **names, double *vals)
{
	struct lowrank *L = m->priv;
	size_t count = L->r < MODEL_MAX_EXTRAS ? L->r : MODEL_MAX_EXTRAS;
	(void)theta0;
	for (size_t j = 0; j < count; j++)
		names[j] = sv_names[j];
	if (vals == NULL)
		return count;
	for (size_t i = 0; i < L->d; i++)
		for (size_t j = 0; j < L->r; j++)
			gsl_matrix_set(L->T, i, j, theta[i * L->r + j]);
	int status = gsl_linalg_SV_decomp(L->T, L->V, L->S, L->work);
	for (size_t j = 0; j < count; j++)
		vals[j] = status == GSL_SUCCESS ? gsl_vector_get(L->S, j) : NAN;
	return count;
}

const struct model_ops model_lowrank_ops = {
    .name = "lowrank",
    .summary = "low-rank regression f = <X, ΘΘ'>, Θ d×r ([OS19] Thm 4.2, Fig 3c)",
    .defaults = {.n = 50, .d = 100, .r = 4, .act = -1, .gamma = NAN},
    .default_labels = LABELS_RADEMACHER,
    .has_act = false,
    .features = lr_features,
    .nparams = lr_nparams,
    .work_bytes = lr_work_bytes,
    .gen_x = lr_gen_x,
    .setup = lr_setup,
    .teardown = lr_teardown,
    .init = lr_init,
    .forward = lr_forward,
    .vjp = lr_vjp,
    .jvp = lr_jvp,
    .jacobian = NULL,
    .gram = NULL,
    .theory_eta = lr_theory_eta,
    .closest = NULL,
    .extras = lr_extras,
};
