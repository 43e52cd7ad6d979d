/* model_shallow.c — the one-hidden-layer net f(x) = vᵀφ_γ(Wx) of [OS19b] Sec. 2 (and
 * [OS19] Thm 4.3 with γ > 0): forward pass, gradients, the Hadamard-form Gram matrix and
 * [OS19b]'s step size. W (k × d, row-major) is layer "W"; v is fixed model state, or with
 * --train-output the second layer "v". */
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

#include "gdpath/act.h"
#include "gdpath/data.h"
#include "gdpath/model.h"
#include "gdpath/util.h"

struct shallow {
	size_t n, d, k;
	int act;
	double gamma;
	bool train_v;
	double ynorm, xnorm; /* ‖y‖ and the spectral norm ‖X‖ */
	double *v;           /* k: the fixed output weights (and trained v's initial value) */
	double *XXt;         /* n × n: X Xᵀ for the Gram matrix */
	double *Xt;          /* d × n: Xᵀ, so the gradient's product is Sᵀ-free "NT" (below) */
	/* forward cache, at the θ of the last forward() */
	double *Phi; /* k × n: φ(w_ℓᵀx_i) */
	double *D;   /* k × n: φ'(w_ℓᵀx_i) */
	/* scratch */
	double *S;  /* k × n: pre-activations, vjp's coefficient matrix, jvp's W-direction */
	double *Xs; /* d × n: columns of Xt gathered for a minibatch vjp */
	double *f;  /* n: gram()'s forward output */
};

static size_t shallow_features(const struct model_cfg *c)
{
	return c->d;
}

static double shallow_nparams(const struct model_cfg *c)
{
	return (double)c->k * (double)c->d + (c->train_output ? (double)c->k : 0.0);
}

static double shallow_work_bytes(const struct model_cfg *c)
{
	double n = (double)c->n, d = (double)c->d, k = (double)c->k;
	return sizeof(double) * (k + n * n + 3 * k * n + 2 * n * d + n) + sizeof(struct shallow);
}

/* x_i uniform on the unit sphere of R^d ([OS19b] Sec. 4, Cor. 2.2). */
static void shallow_gen_x(const struct model_cfg *c, gsl_rng *rng, double *X)
{
	for (size_t i = 0; i < c->n; i++)
		gsl_ran_dir_nd(rng, c->d, X + i * c->d);
}

/* a·b zeroed doubles on a 64-byte boundary (whole SIMD registers and cache lines from the
 * first element), or NULL if that overflows or memory runs out. */
static double *alloc_mat(size_t a, size_t b)
{
	if (b != 0 && a > SIZE_MAX / sizeof(double) / b - 8)
		return NULL;
	size_t bytes = (a * b + 8) * sizeof(double); /* never 0; whole cache lines */
	bytes -= bytes % 64;
	void *p = NULL;
	if (posix_memalign(&p, 64, bytes + 64) != 0)
		return NULL;
	memset(p, 0, bytes + 64);
	return p;
}

/* The largest singular value of the n × d row-major matrix X (GSL SVD of X or Xᵀ, whichever
 * is tall). */
static int spectral_norm(const double *X, size_t n, size_t d, double *out)
{
	size_t rows = n >= d ? n : d, cols = n >= d ? d : n;
	gsl_matrix *A = gsl_matrix_alloc(rows, cols), *V = gsl_matrix_alloc(cols, cols);
	gsl_vector *s = gsl_vector_alloc(cols), *work = gsl_vector_alloc(cols);
	int rc = -1;
	if (A && V && s && work) {
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < d; j++)
				if (n >= d)
					gsl_matrix_set(A, i, j, X[i * d + j]);
				else
					gsl_matrix_set(A, j, i, X[i * d + j]);
		if (gsl_linalg_SV_decomp(A, V, s, work) == GSL_SUCCESS) {
			*out = gsl_vector_get(s, 0); /* sorted, largest first */
			rc = 0;
		}
	}
	gsl_matrix_free(A);
	gsl_matrix_free(V);
	gsl_vector_free(s);
	gsl_vector_free(work);
	return rc;
}

static void shallow_teardown(struct model *m)
{
	struct shallow *s = m->priv;
	if (s == NULL)
		return;
	free(s->v);
	free(s->XXt);
	free(s->Xt);
	free(s->Phi);
	free(s->D);
	free(s->S);
	free(s->Xs);
	free(s->f);
	free(s);
	m->priv = NULL;
}

static int shallow_setup(struct model *m, char **cause)
{
	const struct model_cfg *c = &m->cfg;
	size_t n = m->n, d = c->d, k = c->k;
	if (!(c->gamma >= 0 && c->gamma <= 1)) {
		*cause = xasprintf("shallow: --gamma must lie in [0, 1] (the activation is "
				   "(1-gamma)*phi + gamma*z), got %g",
				   c->gamma);
		return -1;
	}
	if (c->act < 0 || c->act >= ACT_COUNT) {
		*cause = xasprintf("shallow: unknown activation %d", c->act);
		return -1;
	}
	if (n == 0 || d == 0 || k == 0) {
		*cause = xasprintf("shallow: n, d and k must be positive (n = %zu, d = %zu, k = %zu)",
				   n, d, k);
		return -1;
	}
	if (n > INT_MAX || d > INT_MAX || k > INT_MAX) {
		*cause = xstrdup("shallow: n, d and k must each be below 2^31 for BLAS");
		return -1;
	}
	struct shallow *s = calloc(1, sizeof *s);
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
	s->train_v = c->train_output;
	s->v = alloc_mat(k, 1);
	s->XXt = alloc_mat(n, n);
	s->Xt = alloc_mat(d, n);
	s->Phi = alloc_mat(k, n);
	s->D = alloc_mat(k, n);
	s->S = alloc_mat(k, n);
	s->Xs = alloc_mat(n, d);
	s->f = alloc_mat(n, 1);
	if (!s->v || !s->XXt || !s->Xt || !s->Phi || !s->D || !s->S || !s->Xs || !s->f) {
		*cause = xasprintf("shallow: out of memory for n = %zu, d = %zu, k = %zu", n, d, k);
		shallow_teardown(m);
		return -1;
	}
	const double *X = m->data->X;
	s->ynorm = vec_norm(m->data->y, n);
	if (spectral_norm(X, n, d, &s->xnorm) != 0) {
		*cause = xstrdup("shallow: the SVD of the data matrix failed");
		shallow_teardown(m);
		return -1;
	}
	/* [OS19b] Thm 2.1 and its footnote 1: half of v at +‖y‖/√(kn), half at −‖y‖/√(kn),
	 * and for odd k the last entry 0. */
	double a = s->ynorm / sqrt((double)k * (double)n);
	size_t h = k / 2;
	for (size_t l = 0; l < k; l++)
		s->v[l] = l < h ? a : l < 2 * h ? -a : 0.0;
	cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, (int)n, (int)d, 1.0, X, (int)d, 0.0,
		    s->XXt, (int)n);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < d; j++)
			s->Xt[j * n + i] = X[i * d + j];
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			s->XXt[i * n + j] = s->XXt[j * n + i];

	m->p = k * d + (c->train_output ? k : 0);
	m->kinks = act_is_relu_like(c->act) && c->gamma < 1;
	m->nlayers = 1;
	m->layer[0] = (struct layer){"W", 0, k * d};
	if (c->train_output) {
		m->nlayers = 2;
		m->layer[1] = (struct layer){"v", k * d, k};
	}
	return 0;
}

/* W0 iid N(0, 1) ([OS19b] Thm 2.1); a trained v starts at the fixed v. */
static void shallow_init(struct model *m, gsl_rng *rng, double *theta0)
{
	struct shallow *s = m->priv;
	for (size_t j = 0; j < s->k * s->d; j++)
		theta0[j] = gsl_ran_gaussian(rng, 1.0);
	if (s->train_v)
		memcpy(theta0 + s->k * s->d, s->v, s->k * sizeof(double));
}

static const double *out_weights(const struct shallow *s, const double *theta)
{
	return s->train_v ? theta + s->k * s->d : s->v;
}

/* Z = W Xᵀ (k × n), Φ = φ_γ(Z), D = φ_γ'(Z), f = Φᵀ v. */
static void shallow_forward(struct model *m, const double *theta, double *f)
{
	struct shallow *s = m->priv;
	int n = (int)s->n, d = (int)s->d, k = (int)s->k;
	cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, k, n, d, 1.0, theta, d, m->data->X,
		    d, 0.0, s->S, n);
	act_eval(s->act, s->gamma, s->S, s->k * s->n, s->Phi, s->D);
	cblas_dgemv(CblasRowMajor, CblasTrans, k, n, 1.0, s->Phi, n, out_weights(s, theta), 1, 0.0,
		    f, 1);
}

/* ∇_W f_i = (v ⊙ φ'(W x_i)) x_iᵀ and ∇_v f_i = φ(W x_i), so with M_ℓi = v_ℓ D_ℓi u_i,
 * g_W = M X ([OS19b] Sec. 6.1: diag(v) φ'(W Xᵀ) diag(u) X) and g_v = Φ u. The product is
 * formed as M (Xᵀ)ᵀ from the stored Xᵀ: OpenBLAS's small-matrix kernel for the row-major
 * NoTrans × NoTrans case mallocs a buffer on every call (0.3.21, SkylakeX/Cooperlake), the
 * NoTrans × Trans one does not, and a step must not allocate. A minibatch gathers its
 * columns of Xᵀ first: O(nrows·k·d). */
static void shallow_vjp(struct model *m, const double *theta, const double *u, const size_t *rows,
			size_t nrows, double *g)
{
	struct shallow *s = m->priv;
	size_t n = s->n, d = s->d, k = s->k;
	const double *v = out_weights(s, theta);
	double *gv = g + k * d;
	if (rows == NULL) {
		for (size_t l = 0; l < k; l++) {
			const double *D = s->D + l * n;
			double *S = s->S + l * n, vl = v[l];
			for (size_t i = 0; i < n; i++)
				S[i] = vl * D[i] * u[i];
		}
		cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)k, (int)d, (int)n, 1.0,
			    s->S, (int)n, s->Xt, (int)n, 0.0, g, (int)d);
		if (s->train_v)
			cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)k, (int)n, 1.0, s->Phi,
				    (int)n, u, 1, 0.0, gv, 1);
		return;
	}
	memset(g, 0, (k * d + (s->train_v ? k : 0)) * sizeof(double));
	/* Chunks of at most n rows (rows may repeat), each one k × c by c × d product. */
	for (size_t at = 0; at < nrows; at += n) {
		size_t c = nrows - at < n ? nrows - at : n;
		for (size_t j = 0; j < c; j++) {
			size_t i = rows[at + j];
			for (size_t a = 0; a < d; a++)
				s->Xs[a * c + j] = s->Xt[a * n + i];
			for (size_t l = 0; l < k; l++)
				s->S[l * c + j] = v[l] * s->D[l * n + i] * u[i];
			if (s->train_v)
				cblas_daxpy((int)k, u[i], s->Phi + i, (int)n, gv, 1);
		}
		cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)k, (int)d, (int)c, 1.0,
			    s->S, (int)c, s->Xs, (int)c, 1.0, g, (int)d);
	}
}

/* (J δ)_i = Σ_ℓ v_ℓ D_ℓi (δW x_i)_ℓ + Σ_ℓ δv_ℓ Φ_ℓi. */
static void shallow_jvp(struct model *m, const double *theta, const double *dir, double *out)
{
	struct shallow *s = m->priv;
	size_t n = s->n, d = s->d, k = s->k;
	const double *v = out_weights(s, theta);
	cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)k, (int)n, (int)d, 1.0, dir,
		    (int)d, m->data->X, (int)d, 0.0, s->S, (int)n);
	memset(out, 0, n * sizeof(double));
	for (size_t l = 0; l < k; l++)
		for (size_t i = 0; i < n; i++)
			out[i] += v[l] * s->D[l * n + i] * s->S[l * n + i];
	if (s->train_v)
		cblas_dgemv(CblasRowMajor, CblasTrans, (int)k, (int)n, 1.0, s->Phi, (int)n,
			    dir + k * d, 1, 1.0, out, 1);
}

/* [OS19b] Sec. 6.1 (the compact form of J Jᵀ): G = (X Xᵀ) ⊙ (Dᵀ diag(v²) D), plus Φᵀ Φ
 * when v is trained. */
static int shallow_gram(struct model *m, const double *theta, double *G)
{
	struct shallow *s = m->priv;
	size_t n = s->n, k = s->k;
	shallow_forward(m, theta, s->f);
	const double *v = out_weights(s, theta);
	for (size_t l = 0; l < k; l++)
		for (size_t i = 0; i < n; i++)
			s->S[l * n + i] = v[l] * s->D[l * n + i];
	cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)n, (int)k, 1.0, s->S, (int)n, 0.0,
		    G, (int)n);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i; j < n; j++)
			G[i * n + j] *= s->XXt[i * n + j];
	if (s->train_v)
		cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)n, (int)k, 1.0, s->Phi,
			    (int)n, 1.0, G, (int)n);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			G[i * n + j] = G[j * n + i];
	return 0;
}

/* [OS19b] Thm 2.1 (η̄ = 1): η = n / (2B²‖y‖²‖X‖²) for smooth φ with |φ'| ≤ B; Thm 2.3 for
 * ReLU: η = n / (3‖y‖²‖X‖²). NAN where B is infinite (quadratic) or the formula degenerates. */
static double shallow_theory_eta(struct model *m, const double *theta0)
{
	(void)theta0;
	struct shallow *s = m->priv;
	/* Both theorems fix the output layer v; with --train-output they do not apply (and
	 * their η, made for J's W part, is far past 2/β² once v trains): NAN gives the
	 * general 1/(2β0²) of Thm 2.2. */
	if (s->train_v)
		return NAN;
	double yx = s->ynorm * s->ynorm * s->xnorm * s->xnorm, n = (double)s->n;
	if (!(yx > 0))
		return NAN;
	if (act_is_relu_like(s->act))
		return n / (3.0 * yx);
	double B = act_dmax(s->act, s->gamma);
	if (!isfinite(B) || !(B > 0))
		return NAN;
	return n / (2.0 * B * B * yx);
}

const struct model_ops model_shallow_ops = {
    .name = "shallow",
    .summary = "one-hidden-layer net v'phi(Wx), v fixed at +-|y|/sqrt(kn) [OS19b]",
    .defaults = {.n = 100, .d = 20, .k = 20, .act = ACT_SOFTPLUS, .gamma = 0.0},
    .default_labels = LABELS_GAUSSIAN,
    .has_act = true,
    .features = shallow_features,
    .nparams = shallow_nparams,
    .work_bytes = shallow_work_bytes,
    .gen_x = shallow_gen_x,
    .setup = shallow_setup,
    .teardown = shallow_teardown,
    .init = shallow_init,
    .forward = shallow_forward,
    .vjp = shallow_vjp,
    .jvp = shallow_jvp,
    .gram = shallow_gram,
    .theory_eta = shallow_theory_eta,
};
