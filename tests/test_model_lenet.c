/* test_model_lenet.c — the LeNet of [OS19] Sec. 6.1 on a tiny instance (8×8 images, 2 and 4
 * filters, 6 hidden units, 3 classes): the forward pass against a direct (loop) convolution
 * net, backpropagation against central finite differences layer by layer (all rows, a
 * subset, repeated rows), the minibatch gradient and its loss, predict() against forward(),
 * the layer table, the Glorot-uniform initialisation, and the refusal of non-class data. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <cmocka.h>

#include <unistd.h>

#include "gdpath/batch.h"
#include "gdpath/clserr.h"
#include "gdpath/idx.h"
#include "gdpath/run.h"
#include "gdpath/theory.h"
#include "gdpath/track.h"
#include "gdpath/util.h"
#include "model_check.h"

enum { NIMG = 5, SIDE = 8, F1 = 2, HID = 6, CLS = 3 };

struct fx {
	struct dataset *ds;
	struct model *m;
	gsl_rng *rng;
	double *theta;
};

static void setup_fx(struct fx *fx, unsigned long seed)
{
	fx->rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(fx->rng, seed);
	fx->ds = data_new(NIMG, SIDE * SIDE);
	assert_int_equal(data_set_outputs(fx->ds, CLS), 0);
	fx->ds->cls = calloc(NIMG, sizeof(int));
	fx->ds->ntest = 2;
	fx->ds->Xtest = calloc(2 * SIDE * SIDE, sizeof(double));
	fx->ds->cls_test = calloc(2, sizeof(int));
	for (size_t i = 0; i < NIMG * SIDE * SIDE; i++)
		fx->ds->X[i] = gsl_rng_uniform(fx->rng);
	for (size_t i = 0; i < 2 * SIDE * SIDE; i++)
		fx->ds->Xtest[i] = gsl_rng_uniform(fx->rng);
	for (size_t i = 0; i < NIMG; i++) {
		fx->ds->cls[i] = (int)(i % CLS);
		fx->ds->y[i * CLS + i % CLS] = 1;
	}
	struct model_cfg c = {.n = NIMG, .d = SIDE, .k = HID, .r = F1, .act = -1, .gamma = NAN};
	model_cfg_fill(&model_lenet_ops, &c);
	char *cause = NULL;
	fx->m = model_new(&model_lenet_ops, &c, fx->ds, &cause);
	if (fx->m == NULL)
		print_error("%s\n", cause);
	assert_non_null(fx->m);
	fx->theta = calloc(fx->m->p, sizeof(double));
	model_lenet_ops.init(fx->m, fx->rng, fx->theta);
	/* non-zero biases, so the check sees their gradients through every layer */
	for (size_t l = 0; l < fx->m->nlayers; l++) {
		const struct layer *L = &fx->m->layer[l];
		size_t nb = l == 0 ? F1 : l == 1 ? 2 * F1 : l == 2 ? HID : CLS;
		for (size_t j = L->len - nb; j < L->len; j++)
			fx->theta[L->off + j] = 0.1 * gsl_ran_gaussian(fx->rng, 1.0);
	}
}

static void teardown_fx(struct fx *fx)
{
	model_free(fx->m);
	data_free(fx->ds);
	gsl_rng_free(fx->rng);
	free(fx->theta);
}

/* A direct LeNet: loops over pixels, taps and channels, no im2col, no BLAS. */
static void conv_relu(const double *in, size_t w, size_t cin, const double *W, const double *b,
		      size_t cout, double *out)
{
	for (size_t y = 0; y < w; y++)
		for (size_t x = 0; x < w; x++)
			for (size_t o = 0; o < cout; o++) {
				double a = b[o];
				for (int ky = 0; ky < 5; ky++)
					for (int kx = 0; kx < 5; kx++) {
						long iy = (long)y + ky - 2, ix = (long)x + kx - 2;
						if (iy < 0 || ix < 0 || iy >= (long)w || ix >= (long)w)
							continue;
						for (size_t c = 0; c < cin; c++)
							a += W[o * 25 * cin + (size_t)(ky * 5 + kx) * cin + c] *
							     in[((size_t)iy * w + (size_t)ix) * cin + c];
					}
				out[(y * w + x) * cout + o] = a > 0 ? a : 0;
			}
}

static void pool(const double *in, size_t w, size_t ch, double *out)
{
	for (size_t y = 0; y < w / 2; y++)
		for (size_t x = 0; x < w / 2; x++)
			for (size_t c = 0; c < ch; c++) {
				double m = -INFINITY;
				for (int q = 0; q < 4; q++)
					m = fmax(m, in[((2 * y + q / 2) * w + 2 * x + q % 2) * ch + c]);
				out[(y * (w / 2) + x) * ch + c] = m;
			}
}

static void direct(const double *theta, const double *img, double *f)
{
	const double *W1 = theta, *b1 = W1 + 25 * F1, *W2 = b1 + F1, *b2 = W2 + 25 * F1 * 2 * F1,
		     *W3 = b2 + 2 * F1, *b3 = W3 + 4 * 2 * F1 * HID, *W4 = b3 + HID, *b4 = W4 + HID * CLS;
	double h1[SIDE * SIDE * F1], p1[16 * F1], h2[16 * 2 * F1], p2[4 * 2 * F1], h3[HID];
	conv_relu(img, SIDE, 1, W1, b1, F1, h1);
	pool(h1, SIDE, F1, p1);
	conv_relu(p1, 4, F1, W2, b2, 2 * F1, h2);
	pool(h2, 4, 2 * F1, p2);
	for (size_t o = 0; o < HID; o++) {
		double a = b3[o];
		for (size_t j = 0; j < 4 * 2 * F1; j++)
			a += W3[o * 4 * 2 * F1 + j] * p2[j];
		h3[o] = a > 0 ? a : 0;
	}
	for (size_t o = 0; o < CLS; o++) {
		double a = b4[o];
		for (size_t j = 0; j < HID; j++)
			a += W4[o * HID + j] * h3[j];
		f[o] = a;
	}
}

static void test_forward_direct(void **state)
{
	(void)state;
	struct fx fx;
	setup_fx(&fx, 3);
	double f[NIMG * CLS], g[CLS];
	fx.m->ops->forward(fx.m, fx.theta, f);
	for (size_t i = 0; i < NIMG; i++) {
		direct(fx.theta, fx.ds->X + i * SIDE * SIDE, g);
		for (size_t c = 0; c < CLS; c++)
			assert_true(fabs(f[i * CLS + c] - g[c]) < 1e-12 * (1 + fabs(g[c])));
	}
	/* predict() on the test images is the same network */
	double t[2 * CLS];
	fx.m->ops->predict(fx.m, fx.theta, fx.ds->Xtest, 2, t);
	for (size_t i = 0; i < 2; i++) {
		direct(fx.theta, fx.ds->Xtest + i * SIDE * SIDE, g);
		for (size_t c = 0; c < CLS; c++)
			assert_true(fabs(t[i * CLS + c] - g[c]) < 1e-12 * (1 + fabs(g[c])));
	}
	teardown_fx(&fx);
}

/* Relative error of vjp(u) against central differences of u·f, layer by layer. */
static void check_vjp(struct fx *fx, const size_t *rows, size_t nrows)
{
	struct model *m = fx->m;
	size_t n = m->n, p = m->p;
	double *u = calloc(n, sizeof(double)), *g = calloc(p, sizeof(double)),
	       *fd = calloc(p, sizeof(double)), *f = calloc(n, sizeof(double)),
	       *th = malloc(p * sizeof(double));
	if (rows)
		for (size_t j = 0; j < nrows; j++)
			u[rows[j]] += gsl_ran_gaussian(fx->rng, 1.0);
	else
		for (size_t i = 0; i < n; i++)
			u[i] = gsl_ran_gaussian(fx->rng, 1.0);
	/* repeated rows count once per appearance in vjp: build the same weights */
	double *w = calloc(n, sizeof(double));
	if (rows)
		for (size_t j = 0; j < nrows; j++)
			w[rows[j]] += u[rows[j]];
	else
		memcpy(w, u, n * sizeof(double));
	m->ops->forward(m, fx->theta, f);
	m->ops->vjp(m, fx->theta, u, rows, nrows, g);
	memcpy(th, fx->theta, p * sizeof(double));
	const double h = 1e-6;
	for (size_t j = 0; j < p; j++) {
		double s = 0;
		th[j] = fx->theta[j] + h;
		m->ops->forward(m, th, f);
		for (size_t i = 0; i < n; i++)
			s += w[i] * f[i];
		th[j] = fx->theta[j] - h;
		m->ops->forward(m, th, f);
		for (size_t i = 0; i < n; i++)
			s -= w[i] * f[i];
		th[j] = fx->theta[j];
		fd[j] = s / (2 * h);
	}
	for (size_t l = 0; l < m->nlayers; l++) {
		const struct layer *L = &m->layer[l];
		double e = mc_relerr(g + L->off, fd + L->off, L->len);
		if (!(e < 1e-6))
			print_error("layer %s: relative error %g\n", L->name, e);
		assert_true(e < 1e-6);
	}
	free(u);
	free(w);
	free(g);
	free(fd);
	free(f);
	free(th);
}

static void test_grad_layers(void **state)
{
	(void)state;
	for (unsigned long seed = 1; seed <= 3; seed++) {
		struct fx fx;
		setup_fx(&fx, seed);
		check_vjp(&fx, NULL, 0);
		static const size_t rows[] = {14, 0, 4, 5, 7, 4};
		check_vjp(&fx, rows, 6);
		teardown_fx(&fx);
	}
}

/* batch_grad over samples {3, 1} = vjp of the residual on those samples' rows. */
static void test_batch_grad(void **state)
{
	(void)state;
	struct fx fx;
	setup_fx(&fx, 5);
	struct model *m = fx.m;
	double r[NIMG * CLS];
	double *g = calloc(m->p, sizeof(double)), *gb = calloc(m->p, sizeof(double));
	model_residual(m, fx.theta, r);
	size_t samples[2] = {3, 1}, rows[2 * CLS];
	double loss = 0;
	for (size_t j = 0; j < 2; j++)
		for (size_t c = 0; c < CLS; c++) {
			rows[j * CLS + c] = samples[j] * CLS + c;
			loss += 0.5 * r[samples[j] * CLS + c] * r[samples[j] * CLS + c];
		}
	m->ops->vjp(m, fx.theta, r, rows, 2 * CLS, g);
	double lb = m->ops->batch_grad(m, fx.theta, samples, 2, gb);
	assert_true(fabs(lb - loss) < 1e-12 * loss);
	assert_true(mc_relerr(gb, g, m->p) < 1e-12);
	free(g);
	free(gb);
	teardown_fx(&fx);
}

static void test_layers_init(void **state)
{
	(void)state;
	struct fx fx;
	setup_fx(&fx, 9);
	struct model *m = fx.m;
	static const char *const names[] = {"Conv1", "Conv2", "FC1", "FC2"};
	size_t lens[] = {25 * F1 + F1, 25 * F1 * 2 * F1 + 2 * F1, 4 * 2 * F1 * HID + HID,
			 HID * CLS + CLS};
	size_t off = 0;
	assert_int_equal(m->nlayers, 4);
	for (size_t l = 0; l < 4; l++) {
		assert_string_equal(m->layer[l].name, names[l]);
		assert_int_equal(m->layer[l].off, off);
		assert_int_equal(m->layer[l].len, lens[l]);
		off += lens[l];
	}
	assert_int_equal(m->p, off);
	assert_int_equal(m->n, NIMG * CLS);
	assert_int_equal(m->nsamples, NIMG);
	assert_null(m->ops->jvp);
	assert_true(m->ops->no_spectrum);
	/* Glorot uniform: weights within ±√(6/(fan_in + fan_out)), biases zero */
	double *t0 = calloc(m->p, sizeof(double));
	m->ops->init(m, fx.rng, t0);
	double lim2 = sqrt(6.0 / (25 * F1 + 25 * 2 * F1));
	const double *W2 = t0 + m->layer[1].off;
	double mx = 0;
	for (size_t j = 0; j < 25 * F1 * 2 * F1; j++)
		mx = fmax(mx, fabs(W2[j]));
	assert_true(mx <= lim2 && mx > 0.8 * lim2);
	for (size_t j = 25 * F1 * 2 * F1; j < lens[1]; j++)
		assert_true(W2[j] == 0);
	/* the full-size parameter count of the paper's net */
	struct model_cfg full = {.n = 500, .d = 28, .k = 1024, .r = 32};
	assert_true(model_lenet_ops.nparams(&full) ==
		    (25.0 * 32 + 32) + (25.0 * 32 * 64 + 64) + (7.0 * 7 * 64 * 1024 + 1024) +
			(1024.0 * 10 + 10));
	free(t0);
	teardown_fx(&fx);
}

/* Scalar data (no classes) are refused with a message naming what lenet needs. */
static void test_refuses_scalar_data(void **state)
{
	(void)state;
	struct dataset *ds = data_new(4, 64);
	struct model_cfg c = {.n = 4, .d = 8, .k = 4, .r = 2, .act = -1, .gamma = NAN};
	char *cause = NULL;
	assert_null(model_new(&model_lenet_ops, &c, ds, &cause));
	assert_non_null(strstr(cause, "IDX"));
	free(cause);
	data_free(ds);
}

/* Tiny MNIST-format files: 8×8 images of 3 classes, class c a bright 4×4 patch in
 * quadrant c over noise; 40 training and 12 test images. */
static void write_tiny_set(const char *dir, gsl_rng *rng)
{
	unsigned char tr[40 * 64], trl[40], te[12 * 64], tel[12];
	for (size_t set = 0; set < 2; set++) {
		size_t cnt = set ? 12 : 40;
		unsigned char *img = set ? te : tr, *lab = set ? tel : trl;
		for (size_t i = 0; i < cnt; i++) {
			size_t c = gsl_rng_uniform_int(rng, 3);
			lab[i] = (unsigned char)c;
			for (size_t y = 0; y < 8; y++)
				for (size_t x = 0; x < 8; x++) {
					bool on = (y / 4) * 2 + x / 4 == c;
					img[i * 64 + y * 8 + x] =
					    (unsigned char)(gsl_rng_uniform_int(rng, 60) + (on ? 180 : 0));
				}
		}
	}
	size_t d1[3] = {40, 8, 8}, d2[1] = {40}, d3[3] = {12, 8, 8}, d4[1] = {12};
	char *cause = NULL, *p;
	p = xasprintf("%s/train-images-idx3-ubyte.gz", dir);
	assert_int_equal(idx_write(p, 3, d1, tr, &cause), 0);
	free(p);
	p = xasprintf("%s/train-labels-idx1-ubyte", dir);
	assert_int_equal(idx_write(p, 1, d2, trl, &cause), 0);
	free(p);
	p = xasprintf("%s/t10k-images-idx3-ubyte", dir);
	assert_int_equal(idx_write(p, 3, d3, te, &cause), 0);
	free(p);
	p = xasprintf("%s/t10k-labels-idx1-ubyte", dir);
	assert_int_equal(idx_write(p, 1, d4, tel, &cause), 0);
	free(p);
}

static struct run *tiny_run(const char *dir, unsigned long seed)
{
	struct run_cfg c;
	run_cfg_default(&c);
	c.ops = &model_lenet_ops;
	c.data_file = dir;
	c.mcfg.n = 30;
	c.mcfg.k = 8;
	c.mcfg.r = 2;
	c.ocfg.kind = OPT_ADAM;
	c.ocfg.minibatch = 10;
	c.eta_theory = false;
	c.eta = 1e-2;
	c.measure_every = 5;
	c.seed = seed;
	char *cause = NULL;
	int st;
	struct run *r = run_new(&c, &cause, &st);
	if (r == NULL)
		print_error("%s\n", cause);
	assert_non_null(r);
	return r;
}

/* A short deterministic Adam run on minibatches: the misfit on all n images falls, the
 * per-layer distances grow, rows are measured at the cadence only, the same seed gives
 * the same bits, and the CSV has a column per layer. */
static void test_short_run(void **state)
{
	(void)state;
	char dir[64];
	snprintf(dir, sizeof dir, "/tmp/gdpath-lenet-%ld", (long)getpid());
	mkdir(dir, 0700);
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	write_tiny_set(dir, rng);
	gsl_rng_free(rng);
	struct run *r = tiny_run(dir, 4), *q = tiny_run(dir, 4);
	assert_int_equal(r->m->nsamples, 30);
	assert_int_equal(r->m->n, 300); /* 10 outputs: the IDX loader's classes */
	assert_true(r->th->spectrum_off);
	assert_true(isnan(r->th->alpha_hat));
	assert_int_equal(r->measure_every, 5);
	double r0 = r->tr->r0, d_prev[4] = {0};
	for (int s = 1; s <= 60; s++) {
		assert_int_equal(run_step(r), RUN_OK);
		assert_int_equal(r->tr->measured, s - s % 5);
		if (s % 20 == 0) {
			for (size_t l = 0; l < 4; l++) {
				assert_true(r->tr->ldist[l] > d_prev[l]);
				d_prev[l] = r->tr->ldist[l];
			}
		}
	}
	assert_true(r->tr->cur.residual < 0.6 * r0);
	assert_int_equal(r->ce->step, 60);
	assert_true(r->ce->train < r->ce->h_train[0]);
	for (int s = 1; s <= 60; s++)
		run_step(q);
	assert_memory_equal(r->theta, q->theta, r->m->p * sizeof(double));
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	batch_write_header(f, r);
	fclose(f);
	assert_non_null(strstr(buf, ",distance.Conv1,ndistance.Conv1,path.Conv1,distance.Conv2,"));
	assert_non_null(strstr(buf, ",distance.FC2,ndistance.FC2,path.FC2,"));
	assert_non_null(strstr(buf, ",train_error,test_error"));
	free(buf);
	run_free(r);
	run_free(q);

	/* mlp with C outputs on the same IDX data (SPEC §3): d from the files, 10 outputs per
	 * image, the misfit falls under gradient descent, class errors are measured */
	struct run_cfg c;
	run_cfg_default(&c);
	c.ops = &model_mlp_ops;
	c.data_file = dir;
	c.mcfg.n = 30;
	c.mcfg.k = 16;
	c.ocfg.kind = OPT_ADAM; /* full batch: mlp has no minibatch shortcut */
	c.eta_theory = false;
	c.eta = 0.01;
	char *cause = NULL;
	int st;
	struct run *d = run_new(&c, &cause, &st);
	if (d == NULL)
		print_error("%s\n", cause);
	assert_non_null(d);
	assert_int_equal(d->m->cfg.d, 64);
	assert_int_equal(d->m->n, 300);
	assert_int_equal(d->m->layer[2].len, 10 * 16);
	assert_non_null(d->ce);
	for (int s = 0; s < 100; s++)
		assert_int_equal(run_step(d), RUN_OK);
	if (!(d->tr->cur.residual < 0.5 * d->tr->r0))
		print_error("mlp misfit %g of r0\n", d->tr->cur.residual / d->tr->r0);
	assert_true(d->tr->cur.residual < 0.5 * d->tr->r0);
	assert_true(d->ce->train < d->ce->h_train[0]);
	run_free(d);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_forward_direct), cmocka_unit_test(test_grad_layers),
	    cmocka_unit_test(test_batch_grad),     cmocka_unit_test(test_layers_init),
	    cmocka_unit_test(test_refuses_scalar_data), cmocka_unit_test(test_short_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
