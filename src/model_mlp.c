/* model_mlp.c — the deep fully connected net of [OS19] Sec. 6.1: f(x) = W_L φ(W_{L−1} …
 * φ(W_1 x)), no biases, every layer trained (layers "L1" … "L<L>", each row-major out × in),
 * with a scalar output, or C outputs on class data (one-hot targets, SPEC §3). Owns the batched forward pass, backpropagation over all samples
 * or a minibatch, and forward-mode Jacobian–vector products; the Gram matrix is generic. */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cblas.h>
#include <gsl/gsl_randist.h>

#include "gdpath/act.h"
#include "gdpath/data.h"
#include "gdpath/model.h"
#include "gdpath/util.h"

static const char *const layer_names[MODEL_MAX_LAYERS] = {
    "L1", "L2", "L3", "L4", "L5", "L6", "L7", "L8",
    "L9", "L10", "L11", "L12", "L13", "L14", "L15", "L16",
};

struct mlp {
	size_t n, d, k, depth;
	size_t C;             /* outputs per sample (1, or the classes of class data) */
	size_t *uimg;         /* n: samples a vjp touches (class data) */
	long *slot;           /* n: position of a sample in uimg, or -1 */
	double *du;           /* n × C: vjp weights per touched sample */
	int act;
	double gamma;
	size_t in[MODEL_MAX_LAYERS], out[MODEL_MAX_LAYERS], off[MODEL_MAX_LAYERS];
	/* forward cache, at the θ of the last forward(): for hidden layers l = 1 … L−1
	 * (index l − 1), H_l = φ(A_l) and D_l = φ'(A_l), each n × k row-major (sample rows) */
	double *H, *D;
	/* scratch, each n × max(d, k) */
	double *P, *Q, *G;
};

/* Layer l (0-based) shape: depth 1 is linear 1 × d; otherwise k × d, k × k …, 1 × k. */
static void shape(const struct model_cfg *c, size_t l, double *out, double *in)
{
	size_t L = c->depth;
	*in = l == 0 ? (double)c->d : (double)c->k;
	*out = l + 1 == L ? 1.0 : (double)c->k;
}

static size_t mlp_features(const struct model_cfg *c)
{
	return c->d;
}

static double mlp_nparams(const struct model_cfg *c)
{
	double p = 0, o, i;
	for (size_t l = 0; l < c->depth && l < MODEL_MAX_LAYERS; l++) {
		shape(c, l, &o, &i);
		p += o * i;
	}
	return p;
}

static double mlp_work_bytes(const struct model_cfg *c)
{
	double n = (double)c->n, k = (double)c->k, w = fmax((double)c->d, k);
	double hidden = c->depth > 1 ? (double)(c->depth - 1) : 0.0;
	return sizeof(double) * (2 * hidden * n * k + 3 * n * w) + sizeof(struct mlp);
}

/* x_i uniform on the unit sphere. */
static void mlp_gen_x(const struct model_cfg *c, gsl_rng *rng, double *X)
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

static void mlp_teardown(struct model *m)
{
	struct mlp *s = m->priv;
	if (s == NULL)
		return;
	free(s->H);
	free(s->D);
	free(s->P);
	free(s->Q);
	free(s->G);
	free(s->uimg);
	free(s->slot);
	free(s->du);
	free(s);
	m->priv = NULL;
}

static int mlp_setup(struct model *m, char **cause)
{
	const struct model_cfg *c = &m->cfg;
	size_t n = m->nsamples ? m->nsamples : m->n, d = c->d, k = c->k, L = c->depth;
	size_t C = m->nout ? m->nout : 1;
	if (L < 1 || L > MODEL_MAX_LAYERS) {
		*cause = xasprintf("mlp: --depth must be between 1 and %d, got %zu", MODEL_MAX_LAYERS,
				   L);
		return -1;
	}
	if (!(c->gamma >= 0 && c->gamma <= 1)) {
		*cause = xasprintf("mlp: --gamma must lie in [0, 1], got %g", c->gamma);
		return -1;
	}
	if (c->act < 0 || c->act >= ACT_COUNT) {
		*cause = xasprintf("mlp: unknown activation %d", c->act);
		return -1;
	}
	if (n == 0 || d == 0 || k == 0) {
		*cause = xasprintf("mlp: n, d and k must be positive (n = %zu, d = %zu, k = %zu)", n,
				   d, k);
		return -1;
	}
	if (n > INT_MAX || d > INT_MAX || k > INT_MAX) {
		*cause = xstrdup("mlp: n, d and k must each be below 2^31 for BLAS");
		return -1;
	}
	struct mlp *s = calloc(1, sizeof *s);
	if (s == NULL) {
		*cause = xstrdup("out of memory");
		return -1;
	}
	m->priv = s;
	s->n = n;
	s->d = d;
	s->k = k;
	s->depth = L;
	s->act = c->act;
	s->gamma = c->gamma;
	s->C = C;
	size_t p = 0;
	for (size_t l = 0; l < L; l++) {
		s->in[l] = l == 0 ? d : k;
		s->out[l] = l + 1 == L ? C : k;
		s->off[l] = p;
		if (s->in[l] > (SIZE_MAX - p) / s->out[l]) {
			*cause = xstrdup("mlp: too many parameters");
			mlp_teardown(m);
			return -1;
		}
		m->layer[l] = (struct layer){layer_names[l], p, s->out[l] * s->in[l]};
		p += s->out[l] * s->in[l];
	}
	size_t w = d > k ? d : k;
	if (w < C)
		w = C;
	if (L > 1) {
		s->H = alloc_mat((L - 1) * n, k);
		s->D = alloc_mat((L - 1) * n, k);
	}
	s->P = alloc_mat(n, w);
	s->Q = alloc_mat(n, w);
	s->G = alloc_mat(n, w);
	if (C > 1) {
		s->uimg = xcalloc(n, sizeof(size_t));
		s->slot = xcalloc(n, sizeof(long));
		s->du = xcalloc(n, C * sizeof(double));
		if (s->slot)
			for (size_t i = 0; i < n; i++)
				s->slot[i] = -1;
	}
	if ((L > 1 && (!s->H || !s->D)) || !s->P || !s->Q || !s->G ||
	    (C > 1 && (!s->uimg || !s->slot || !s->du))) {
		*cause = xasprintf("mlp: out of memory for n = %zu, d = %zu, k = %zu, depth %zu", n,
				   d, k, L);
		mlp_teardown(m);
		return -1;
	}
	m->p = p;
	m->kinks = act_is_relu_like(m->cfg.act) && m->cfg.gamma < 1;
	m->nlayers = L;
	return 0;
}

/* LeCun normal: W_l entries iid N(0, 1/fan_in). */
static void mlp_init(struct model *m, gsl_rng *rng, double *theta0)
{
	struct mlp *s = m->priv;
	for (size_t l = 0; l < s->depth; l++) {
		double sd = 1.0 / sqrt((double)s->in[l]);
		for (size_t j = 0; j < s->out[l] * s->in[l]; j++)
			theta0[s->off[l] + j] = gsl_ran_gaussian(rng, sd);
	}
}

static double *hidden(const struct mlp *s, double *base, size_t l)
{
	return base + l * s->n * s->k;
}

/* C (rows × out) = A (rows × in) Bᵀ with B out × in: one layer over many samples. */
static void layer_mul(size_t rows, size_t out, size_t in, const double *A, const double *B,
		      double beta, double *C)
{
	cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)rows, (int)out, (int)in, 1.0, A,
		    (int)in, B, (int)in, beta, C, (int)out);
}

/* A_1 = X W_1ᵀ, H_l = φ(A_l), A_{l+1} = H_l W_{l+1}ᵀ, f = A_L, all samples at once. */
static void mlp_forward(struct model *m, const double *theta, double *f)
{
	struct mlp *s = m->priv;
	size_t n = s->n, L = s->depth;
	const double *in = m->data->X;
	for (size_t l = 0; l + 1 < L; l++) {
		layer_mul(n, s->out[l], s->in[l], in, theta + s->off[l], 0.0, s->P);
		double *H = hidden(s, s->H, l), *D = hidden(s, s->D, l);
		for (size_t j = 0; j < n * s->k; j++) {
			H[j] = act_f(s->act, s->gamma, s->P[j]);
			D[j] = act_df(s->act, s->gamma, s->P[j]);
		}
		in = H;
	}
	layer_mul(n, s->C, s->in[L - 1], in, theta + s->off[L - 1], 0.0, f);
}

/* Outputs for count inputs X (count × d), n rows at a time through the scratch P and Q. */
static void mlp_predict(struct model *m, const double *theta, const double *X, size_t count,
			double *out)
{
	struct mlp *s = m->priv;
	size_t L = s->depth;
	for (size_t at = 0; at < count; at += s->n) {
		size_t c = count - at < s->n ? count - at : s->n;
		const double *in = X + at * s->d;
		for (size_t l = 0; l + 1 < L; l++) {
			layer_mul(c, s->out[l], s->in[l], in, theta + s->off[l], 0.0, s->P);
			for (size_t j = 0; j < c * s->k; j++)
				s->Q[j] = act_f(s->act, s->gamma, s->P[j]);
			in = s->Q;
		}
		layer_mul(c, s->C, s->in[L - 1], in, theta + s->off[L - 1], 0.0, out + at * s->C);
	}
}

/* Rows sel[0 … c−1] (or the first c if sel is NULL) of the row-major matrix A (width w) as a
 * contiguous c × w matrix: A itself when sel is NULL, else a copy in buf. */
static const double *gather(const double *A, size_t w, const size_t *sel, size_t c, double *buf)
{
	if (sel == NULL)
		return A;
	for (size_t j = 0; j < c; j++)
		memcpy(buf + j * w, A + sel[j] * w, w * sizeof(double));
	return buf;
}

/* Backpropagation: δ_L = u, ∇W_l = δ_lᵀ H_{l−1}, δ_{l−1} = (δ_l W_l) ⊙ D_{l−1}, for the
 * selected samples only (cost ∝ nrows), in chunks of at most n rows. */
static void mlp_vjp(struct model *m, const double *theta, const double *u, const size_t *rows,
		    size_t nrows, double *g)
{
	struct mlp *s = m->priv;
	size_t n = s->n, k = s->k, L = s->depth, C = s->C;
	memset(g, 0, m->p * sizeof(double));
	size_t total = rows ? nrows : n;
	if (C > 1) {
		/* class data: rows are outputs i·C + c; gather their weights per sample */
		size_t nu = 0;
		for (size_t j = 0; j < (rows ? nrows : n * C); j++) {
			size_t row = rows ? rows[j] : j, i = row / C;
			if (s->slot[i] < 0) {
				s->slot[i] = (long)nu;
				s->uimg[nu] = i;
				memset(s->du + nu * C, 0, C * sizeof(double));
				nu++;
			}
			s->du[(size_t)s->slot[i] * C + row % C] += u[row];
		}
		for (size_t j = 0; j < nu; j++)
			s->slot[s->uimg[j]] = -1;
		rows = s->uimg;
		total = nu;
	}
	for (size_t at = 0; at < total; at += n) {
		size_t c = total - at < n ? total - at : n;
		const size_t *sel = rows ? rows + at : NULL;
		double *delta = s->P, *next = s->Q;
		if (C > 1)
			memcpy(delta, s->du + at * C, c * C * sizeof(double));
		else
			for (size_t j = 0; j < c; j++)
				delta[j] = u[sel ? sel[j] : j];
		for (size_t l = L; l-- > 0;) {
			const double *Hin = l == 0 ? m->data->X : hidden(s, s->H, l - 1);
			Hin = gather(Hin, s->in[l], sel, c, s->G);
			cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)s->out[l],
				    (int)s->in[l], (int)c, 1.0, delta, (int)s->out[l], Hin,
				    (int)s->in[l], 1.0, g + s->off[l], (int)s->in[l]);
			if (l == 0)
				break;
			cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)c, (int)k,
				    (int)s->out[l], 1.0, delta, (int)s->out[l], theta + s->off[l],
				    (int)s->in[l], 0.0, next, (int)k);
			const double *D = hidden(s, s->D, l - 1);
			for (size_t j = 0; j < c; j++) {
				const double *dr = D + (sel ? sel[j] : j) * k;
				for (size_t t = 0; t < k; t++)
					next[j * k + t] *= dr[t];
			}
			double *tmp = delta;
			delta = next;
			next = tmp;
		}
	}
}

/* Forward mode: Ȧ_1 = X V_1ᵀ, Ȧ_{l+1} = (D_l ⊙ Ȧ_l) W_{l+1}ᵀ + H_l V_{l+1}ᵀ, out = Ȧ_L. */
static void mlp_jvp(struct model *m, const double *theta, const double *dir, double *out)
{
	struct mlp *s = m->priv;
	size_t n = s->n, k = s->k, L = s->depth;
	double *a = s->P, *b = s->Q;
	const double *in = m->data->X;
	layer_mul(n, s->out[0], s->in[0], in, dir, 0.0, L == 1 ? out : a);
	for (size_t l = 1; l < L; l++) {
		const double *D = hidden(s, s->D, l - 1), *H = hidden(s, s->H, l - 1);
		for (size_t j = 0; j < n * k; j++)
			a[j] *= D[j];
		double *dst = l + 1 == L ? out : b;
		layer_mul(n, s->out[l], k, a, theta + s->off[l], 0.0, dst);
		layer_mul(n, s->out[l], k, H, dir + s->off[l], 1.0, dst);
		double *tmp = a;
		a = b;
		b = tmp;
	}
}

const struct model_ops model_mlp_ops = {
    .name = "mlp",
    .summary = "deep fully connected net W_L phi(... phi(W_1 x)), all layers trained [OS19 6.1]",
    .defaults = {.n = 40, .d = 10, .k = 32, .depth = 3, .act = ACT_TANH, .gamma = 0.0},
    .default_labels = LABELS_GAUSSIAN,
    .has_act = true,
    .features = mlp_features,
    .nparams = mlp_nparams,
    .work_bytes = mlp_work_bytes,
    .gen_x = mlp_gen_x,
    .setup = mlp_setup,
    .teardown = mlp_teardown,
    .init = mlp_init,
    .forward = mlp_forward,
    .vjp = mlp_vjp,
    .jvp = mlp_jvp,
    .predict = mlp_predict,
};
