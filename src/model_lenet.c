/* model_lenet.c — the TF-slim LeNet of [OS19] Sec. 6.1 (Figs. 2, 3a/b) on image classes:
 * s×s×1 input → conv 5×5, F filters, 'same', ReLU → max-pool 2×2/2 → conv 5×5, 2F filters,
 * 'same', ReLU → max-pool 2×2/2 → fully connected H, ReLU → fully connected C (no softmax),
 * least squares on one-hot targets. Layers Conv1, Conv2, FC1, FC2, each its weights then its
 * biases. Defaults s = 28 (from the data), F = 32 (model_cfg.r), H = 1024 (model_cfg.k);
 * smaller values make the tiny instances of the gradient check.
 *
 * Activations are kept per image as (pixels × channels) row-major, so a convolution over a
 * chunk of images is one GEMM of the im2col matrix (chunk·pixels × 25·channels) with the
 * filters (CBLAS dgemm); backpropagation is the transposed GEMMs and col2im. Images are
 * processed LENET_CHUNK at a time in workspaces allocated by setup(): the forward pass over
 * all n images, a minibatch gradient and a vjp allocate nothing.
 *
 * The Jacobian (n·C × p, p ≈ 3.3 million) is out of reach: the model sets no_spectrum and has
 * no jvp; theory.c then computes none of α, β, Δ̂, L̂ and the screen says so. */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cblas.h>
#include <gsl/gsl_rng.h>

#include "gdpath/data.h"
#include "gdpath/model.h"
#include "gdpath/util.h"

#define LENET_CHUNK 50 /* images per pass through the workspaces */
#define KS 5           /* kernel side */
#define PAD 2          /* 'same' padding for 5×5 */

enum { CONV1, CONV2, FC1, FC2, NL };
static const char *const layer_names[NL] = {"Conv1", "Conv2", "FC1", "FC2"};

struct lenet {
	size_t s, s2, s4;     /* image side, after one and two poolings */
	size_t f1, f2, h, c;  /* filters, hidden units, classes */
	size_t nimg;          /* training images */
	size_t woff[NL], boff[NL], wlen[NL], blen[NL];
	/* chunk workspaces (LENET_CHUNK images) */
	double *x0;           /* B × s²            input */
	double *col1;         /* B·s² × 25         im2col of the input */
	double *h1;           /* B·s² × f1         relu(conv1); reused for its gradient */
	double *p1;           /* B·s2² × f1        pooled */
	int *a1;              /* B·s2² × f1        argmax index into h1 */
	double *col2;         /* B·s2² × 25·f1     im2col of p1; reused for its gradient */
	double *h2;           /* B·s2² × f2        relu(conv2); reused for its gradient */
	double *p2;           /* B·s4² × f2        pooled = the FC1 input, B × s4²·f2 */
	int *a2;
	double *h3;           /* B × h             relu(fc1) */
	double *out;          /* B × c */
	double *d3, *dp2, *dp1; /* gradients of h3, p2, p1 */
	double *du;           /* nimg × c: vjp weights gathered per image */
	size_t *uimg;         /* nimg: images a vjp touches, first-appearance order */
	long *slot;           /* nimg: position of an image in uimg, or -1 */
};

static void geometry(const struct model_cfg *c, size_t *s, size_t *f1, size_t *h)
{
	*s = c->d;
	*f1 = c->r;
	*h = c->k;
}

static size_t lenet_features(const struct model_cfg *c)
{
	return c->d * c->d;
}

/* C = 10 classes for the sizes a user sees before data are read. */
static double nparams_c(const struct model_cfg *c, double C)
{
	size_t s, f1, h;
	geometry(c, &s, &f1, &h);
	double F1 = (double)f1, F2 = 2.0 * F1, H = (double)h, s4 = (double)(s / 4);
	return (KS * KS * F1 + F1) + (KS * KS * F1 * F2 + F2) + (s4 * s4 * F2 * H + H) + (H * C + C);
}

static double lenet_nparams(const struct model_cfg *c)
{
	return nparams_c(c, 10);
}

static double lenet_work_bytes(const struct model_cfg *c)
{
	size_t s, f1, h;
	geometry(c, &s, &f1, &h);
	double B = LENET_CHUNK, S = (double)s * s, S2 = S / 4, S4 = S / 16, F1 = (double)f1,
	       F2 = 2 * F1, n = (double)c->n;
	double dbl = B * (S + S * 25 + S * F1 + S2 * F1 + S2 * 25 * F1 + S2 * F2 + S4 * F2 + 2 * h + 10 +
			  S4 * F2 + S2 * F1) +
		     n * 10;
	double ints = B * (S2 * F1 + S4 * F2);
	return 8 * dbl + 4 * ints + 16 * n + sizeof(struct lenet);
}

static void lenet_gen_x(const struct model_cfg *c, gsl_rng *rng, double *X)
{
	/* Never used: lenet reads images (run.c loads IDX data for models with .images). */
	(void)rng;
	memset(X, 0, c->n * lenet_features(c) * sizeof(double));
}

static void lenet_teardown(struct model *m)
{
	struct lenet *s = m->priv;
	if (s == NULL)
		return;
	double *bufs[] = {s->x0, s->col1, s->h1, s->p1, s->col2, s->h2, s->p2,
			  s->h3, s->out, s->d3, s->dp2, s->dp1, s->du};
	for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
		free(bufs[i]);
	free(s->a1);
	free(s->a2);
	free(s->uimg);
	free(s->slot);
	free(s);
	m->priv = NULL;
}

static int lenet_setup(struct model *m, char **cause)
{
	const struct model_cfg *c = &m->cfg;
	const struct dataset *ds = m->data;
	size_t side, f1, h;
	geometry(c, &side, &f1, &h);
	if (ds->cls == NULL || ds->nout < 2) {
		*cause = xstrdup("lenet: needs image classes (MNIST-format IDX data: --data DIR, "
				 "or the default Fashion-MNIST)");
		return -1;
	}
	if (side < 4 || side % 4 != 0 || side > 1024) {
		*cause = xasprintf("lenet: images must be square with a side divisible by 4, got %zu "
				   "pixels per image", ds->nfeat);
		return -1;
	}
	if (f1 == 0 || h == 0 || f1 > 4096 || h > 1 << 20) {
		*cause = xasprintf("lenet: bad sizes (filters %zu, hidden %zu)", f1, h);
		return -1;
	}
	struct lenet *s = calloc(1, sizeof *s);
	if (s == NULL) {
		*cause = xstrdup("out of memory");
		return -1;
	}
	m->priv = s;
	s->s = side;
	s->s2 = side / 2;
	s->s4 = side / 4;
	s->f1 = f1;
	s->f2 = 2 * f1;
	s->h = h;
	s->c = ds->nout;
	s->nimg = ds->n;
	size_t wl[NL] = {KS * KS * s->f1, KS * KS * s->f1 * s->f2, s->s4 * s->s4 * s->f2 * s->h,
			 s->h * s->c};
	size_t bl[NL] = {s->f1, s->f2, s->h, s->c};
	size_t p = 0;
	for (int l = 0; l < NL; l++) {
		s->woff[l] = p;
		s->wlen[l] = wl[l];
		s->boff[l] = p + wl[l];
		s->blen[l] = bl[l];
		m->layer[l] = (struct layer){layer_names[l], p, wl[l] + bl[l]};
		p += wl[l] + bl[l];
	}
	size_t B = LENET_CHUNK, S = side * side, S2 = s->s2 * s->s2, S4 = s->s4 * s->s4;
	s->x0 = xcalloc(B * S, sizeof(double));
	s->col1 = xcalloc(B * S * KS * KS, sizeof(double));
	s->h1 = xcalloc(B * S * s->f1, sizeof(double));
	s->p1 = xcalloc(B * S2 * s->f1, sizeof(double));
	s->a1 = xcalloc(B * S2 * s->f1, sizeof(int));
	s->col2 = xcalloc(B * S2 * KS * KS * s->f1, sizeof(double));
	s->h2 = xcalloc(B * S2 * s->f2, sizeof(double));
	s->p2 = xcalloc(B * S4 * s->f2, sizeof(double));
	s->a2 = xcalloc(B * S4 * s->f2, sizeof(int));
	s->h3 = xcalloc(B * s->h, sizeof(double));
	s->out = xcalloc(B * s->c, sizeof(double));
	s->d3 = xcalloc(B * s->h, sizeof(double));
	s->dp2 = xcalloc(B * S4 * s->f2, sizeof(double));
	s->dp1 = xcalloc(B * S2 * s->f1, sizeof(double));
	s->du = xcalloc(s->nimg * s->c, sizeof(double));
	s->uimg = xcalloc(s->nimg, sizeof(size_t));
	s->slot = xcalloc(s->nimg, sizeof(long));
	if (!s->x0 || !s->col1 || !s->h1 || !s->p1 || !s->a1 || !s->col2 || !s->h2 || !s->p2 ||
	    !s->a2 || !s->h3 || !s->out || !s->d3 || !s->dp2 || !s->dp1 || !s->du || !s->uimg ||
	    !s->slot) {
		lenet_teardown(m);
		*cause = xstrdup("lenet: out of memory for the workspaces");
		return -1;
	}
	for (size_t i = 0; i < s->nimg; i++)
		s->slot[i] = -1;
	m->p = p;
	m->nlayers = NL;
	m->kinks = true;
	return 0;
}

/* TF-slim's defaults: Glorot-uniform weights, limit √(6/(fan_in + fan_out)) with the
 * receptive field counted in both fans for convolutions; zero biases. */
static void lenet_init(struct model *m, gsl_rng *rng, double *theta0)
{
	struct lenet *s = m->priv;
	double fin[NL] = {KS * KS * 1.0, KS * KS * (double)s->f1, (double)(s->s4 * s->s4 * s->f2),
			  (double)s->h};
	double fout[NL] = {KS * KS * (double)s->f1, KS * KS * (double)s->f2, (double)s->h,
			   (double)s->c};
	for (int l = 0; l < NL; l++) {
		double lim = sqrt(6.0 / (fin[l] + fout[l]));
		for (size_t j = 0; j < s->wlen[l]; j++)
			theta0[s->woff[l] + j] = lim * (2 * gsl_rng_uniform(rng) - 1);
		memset(theta0 + s->boff[l], 0, s->blen[l] * sizeof(double));
	}
}

/* col (b·w·w × 25·ch) from in (b × w·w × ch), zero outside the image ('same'). */
static void im2col(const double *in, size_t b, size_t w, size_t ch, double *col)
{
	size_t kc = KS * KS * ch;
	for (size_t i = 0; i < b; i++) {
		const double *img = in + i * w * w * ch;
		for (size_t oy = 0; oy < w; oy++)
			for (size_t ox = 0; ox < w; ox++) {
				double *row = col + ((i * w + oy) * w + ox) * kc;
				for (size_t ky = 0; ky < KS; ky++) {
					long iy = (long)oy + (long)ky - PAD;
					for (size_t kx = 0; kx < KS; kx++) {
						long ix = (long)ox + (long)kx - PAD;
						double *dst = row + (ky * KS + kx) * ch;
						if (iy < 0 || iy >= (long)w || ix < 0 || ix >= (long)w)
							memset(dst, 0, ch * sizeof(double));
						else
							memcpy(dst, img + ((size_t)iy * w + (size_t)ix) * ch,
							       ch * sizeof(double));
					}
				}
			}
	}
}

/* The adjoint of im2col: in (b × w·w × ch) = Σ of col's entries at their sources. */
static void col2im(const double *col, size_t b, size_t w, size_t ch, double *in)
{
	size_t kc = KS * KS * ch;
	memset(in, 0, b * w * w * ch * sizeof(double));
	for (size_t i = 0; i < b; i++) {
		double *img = in + i * w * w * ch;
		for (size_t oy = 0; oy < w; oy++)
			for (size_t ox = 0; ox < w; ox++) {
				const double *row = col + ((i * w + oy) * w + ox) * kc;
				for (size_t ky = 0; ky < KS; ky++) {
					long iy = (long)oy + (long)ky - PAD;
					if (iy < 0 || iy >= (long)w)
						continue;
					for (size_t kx = 0; kx < KS; kx++) {
						long ix = (long)ox + (long)kx - PAD;
						if (ix < 0 || ix >= (long)w)
							continue;
						double *dst = img + ((size_t)iy * w + (size_t)ix) * ch;
						const double *src = row + (ky * KS + kx) * ch;
						for (size_t c = 0; c < ch; c++)
							dst[c] += src[c];
					}
				}
			}
	}
}

/* 2×2 max-pool, stride 2: out (b × (w/2)² × ch) and the argmax's index into in. */
static void maxpool(const double *in, size_t b, size_t w, size_t ch, double *out, int *arg)
{
	size_t v = w / 2;
	for (size_t i = 0; i < b; i++)
		for (size_t oy = 0; oy < v; oy++)
			for (size_t ox = 0; ox < v; ox++) {
				size_t o = ((i * v + oy) * v + ox) * ch;
				size_t base = ((i * w + 2 * oy) * w + 2 * ox) * ch;
				size_t at[4] = {base, base + ch, base + w * ch, base + (w + 1) * ch};
				for (size_t c = 0; c < ch; c++) {
					size_t best = at[0] + c;
					for (int q = 1; q < 4; q++)
						if (in[at[q] + c] > in[best])
							best = at[q] + c;
					out[o + c] = in[best];
					arg[o + c] = (int)best;
				}
			}
}

/* y (rows × out) = x (rows × in) Wᵀ + b, W out × in. */
static void dense(size_t rows, size_t out, size_t in, const double *x, const double *W,
		  const double *bias, double *y)
{
	for (size_t r = 0; r < rows; r++)
		memcpy(y + r * out, bias, out * sizeof(double));
	cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)rows, (int)out, (int)in, 1.0, x,
		    (int)in, W, (int)in, 1.0, y, (int)out);
}

static void relu(double *a, size_t len)
{
	for (size_t j = 0; j < len; j++)
		a[j] = a[j] > 0 ? a[j] : 0;
}

/* Forward pass over b ≤ LENET_CHUNK images: image j is X + idx[j]·s² (or X + j·s² when idx is
 * NULL). Leaves every activation in the workspaces and the outputs in s->out (b × c). */
static void fwd_chunk(struct lenet *s, const double *theta, const double *X, const size_t *idx,
		      size_t b)
{
	size_t S = s->s * s->s, S2 = s->s2 * s->s2, S4 = s->s4 * s->s4;
	for (size_t j = 0; j < b; j++)
		memcpy(s->x0 + j * S, X + (idx ? idx[j] : j) * S, S * sizeof(double));
	im2col(s->x0, b, s->s, 1, s->col1);
	dense(b * S, s->f1, KS * KS, s->col1, theta + s->woff[CONV1], theta + s->boff[CONV1], s->h1);
	relu(s->h1, b * S * s->f1);
	maxpool(s->h1, b, s->s, s->f1, s->p1, s->a1);
	im2col(s->p1, b, s->s2, s->f1, s->col2);
	dense(b * S2, s->f2, KS * KS * s->f1, s->col2, theta + s->woff[CONV2],
	      theta + s->boff[CONV2], s->h2);
	relu(s->h2, b * S2 * s->f2);
	maxpool(s->h2, b, s->s2, s->f2, s->p2, s->a2);
	dense(b, s->h, S4 * s->f2, s->p2, theta + s->woff[FC1], theta + s->boff[FC1], s->h3);
	relu(s->h3, b * s->h);
	dense(b, s->c, s->h, s->h3, theta + s->woff[FC2], theta + s->boff[FC2], s->out);
}

/* g[W] += δᵀ x (out × in), g[b] += column sums of δ (rows × out). */
static void dense_grad(size_t rows, size_t out, size_t in, const double *delta, const double *x,
		       double *gW, double *gb)
{
	cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)out, (int)in, (int)rows, 1.0,
		    delta, (int)out, x, (int)in, 1.0, gW, (int)in);
	for (size_t r = 0; r < rows; r++)
		for (size_t o = 0; o < out; o++)
			gb[o] += delta[r * out + o];
}

/* δ_in = δ W (rows × in). */
static void dense_back(size_t rows, size_t out, size_t in, const double *delta, const double *W,
		       double *din)
{
	cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)rows, (int)in, (int)out, 1.0,
		    delta, (int)out, W, (int)in, 0.0, din, (int)in);
}

/* Through max-pool and ReLU: the pre-activation gradient, in place of the activations h
 * (len entries), from the pooled gradient dp (plen entries) and the argmax indices. */
static void unpool_relu(double *h, size_t len, double *dp, const int *arg, size_t plen)
{
	for (size_t j = 0; j < plen; j++)
		dp[j] = h[arg[j]] > 0 ? dp[j] : 0;
	memset(h, 0, len * sizeof(double));
	for (size_t j = 0; j < plen; j++)
		h[arg[j]] = dp[j];
}

/* Backpropagation of δ = ∂/∂out (b × c, in s->out) after fwd_chunk; adds to g. */
static void back_chunk(struct lenet *s, const double *theta, size_t b, double *g)
{
	size_t S = s->s * s->s, S2 = s->s2 * s->s2, S4 = s->s4 * s->s4;
	/* FC2 */
	dense_grad(b, s->c, s->h, s->out, s->h3, g + s->woff[FC2], g + s->boff[FC2]);
	dense_back(b, s->c, s->h, s->out, theta + s->woff[FC2], s->d3);
	for (size_t j = 0; j < b * s->h; j++)
		s->d3[j] = s->h3[j] > 0 ? s->d3[j] : 0;
	/* FC1 */
	dense_grad(b, s->h, S4 * s->f2, s->d3, s->p2, g + s->woff[FC1], g + s->boff[FC1]);
	dense_back(b, s->h, S4 * s->f2, s->d3, theta + s->woff[FC1], s->dp2);
	/* pool 2, ReLU, Conv2 */
	unpool_relu(s->h2, b * S2 * s->f2, s->dp2, s->a2, b * S4 * s->f2);
	dense_grad(b * S2, s->f2, KS * KS * s->f1, s->h2, s->col2, g + s->woff[CONV2],
		   g + s->boff[CONV2]);
	dense_back(b * S2, s->f2, KS * KS * s->f1, s->h2, theta + s->woff[CONV2], s->col2);
	col2im(s->col2, b, s->s2, s->f1, s->dp1);
	/* pool 1, ReLU, Conv1 */
	unpool_relu(s->h1, b * S * s->f1, s->dp1, s->a1, b * S2 * s->f1);
	dense_grad(b * S, s->f1, KS * KS, s->h1, s->col1, g + s->woff[CONV1], g + s->boff[CONV1]);
}

static void lenet_forward(struct model *m, const double *theta, double *f)
{
	struct lenet *s = m->priv;
	for (size_t at = 0; at < s->nimg; at += LENET_CHUNK) {
		size_t b = s->nimg - at < LENET_CHUNK ? s->nimg - at : LENET_CHUNK;
		fwd_chunk(s, theta, m->data->X + at * s->s * s->s, NULL, b);
		memcpy(f + at * s->c, s->out, b * s->c * sizeof(double));
	}
}

/* g = Σ_j u[rows[j]] ∇f_{rows[j]}: the rows' weights gathered per image (rows are output
 * indices i·C + class), then one forward and backward pass per chunk of those images. */
static void lenet_vjp(struct model *m, const double *theta, const double *u, const size_t *rows,
		      size_t nrows, double *g)
{
	struct lenet *s = m->priv;
	size_t C = s->c, nu = 0;
	memset(g, 0, m->p * sizeof(double));
	size_t total = rows ? nrows : m->n;
	for (size_t j = 0; j < total; j++) {
		size_t row = rows ? rows[j] : j, img = row / C;
		if (s->slot[img] < 0) {
			s->slot[img] = (long)nu;
			s->uimg[nu] = img;
			memset(s->du + nu * C, 0, C * sizeof(double));
			nu++;
		}
		s->du[(size_t)s->slot[img] * C + row % C] += u[row];
	}
	for (size_t at = 0; at < nu; at += LENET_CHUNK) {
		size_t b = nu - at < LENET_CHUNK ? nu - at : LENET_CHUNK;
		fwd_chunk(s, theta, m->data->X, s->uimg + at, b);
		memcpy(s->out, s->du + at * C, b * C * sizeof(double));
		back_chunk(s, theta, b, g);
	}
	for (size_t j = 0; j < nu; j++)
		s->slot[s->uimg[j]] = -1;
}

/* The gradient of ½Σ_{i ∈ samples} ‖f(x_i) − e_{y_i}‖² and that loss, with no full pass. */
static double lenet_batch_grad(struct model *m, const double *theta, const size_t *samples,
			       size_t b, double *g)
{
	struct lenet *s = m->priv;
	size_t C = s->c;
	double loss = 0;
	memset(g, 0, m->p * sizeof(double));
	for (size_t at = 0; at < b; at += LENET_CHUNK) {
		size_t k = b - at < LENET_CHUNK ? b - at : LENET_CHUNK;
		fwd_chunk(s, theta, m->data->X, samples + at, k);
		for (size_t j = 0; j < k; j++) {
			const double *y = m->data->y + samples[at + j] * C;
			for (size_t c = 0; c < C; c++) {
				double r = s->out[j * C + c] - y[c];
				s->out[j * C + c] = r;
				loss += 0.5 * r * r;
			}
		}
		back_chunk(s, theta, k, g);
	}
	return loss;
}

static void lenet_predict(struct model *m, const double *theta, const double *X, size_t count,
			  double *out)
{
	struct lenet *s = m->priv;
	for (size_t at = 0; at < count; at += LENET_CHUNK) {
		size_t b = count - at < LENET_CHUNK ? count - at : LENET_CHUNK;
		fwd_chunk(s, theta, X + at * s->s * s->s, NULL, b);
		memcpy(out + at * s->c, s->out, b * s->c * sizeof(double));
	}
}

const struct model_ops model_lenet_ops = {
    .name = "lenet",
    .summary = "LeNet conv-pool-conv-pool-fc-fc on IDX images, one-hot targets [OS19 6.1]",
    .defaults = {.n = 500, .d = 28, .k = 1024, .r = 32, .depth = 4, .act = -1, .gamma = 0.0},
    .default_labels = LABELS_GAUSSIAN,
    .images = true,
    .no_spectrum = true,
    .features = lenet_features,
    .nparams = lenet_nparams,
    .work_bytes = lenet_work_bytes,
    .gen_x = lenet_gen_x,
    .setup = lenet_setup,
    .teardown = lenet_teardown,
    .init = lenet_init,
    .forward = lenet_forward,
    .vjp = lenet_vjp,
    .jvp = NULL,
    .batch_grad = lenet_batch_grad,
    .predict = lenet_predict,
};
