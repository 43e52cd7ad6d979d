/* test_model_mlp.c — the deep fully connected net: backpropagation and forward-mode
 * products against finite differences for depth 1, 2, 3 and two activations, the generic
 * Gram matrix against J Jᵀ, layer offsets, the forward formula, and configuration errors. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "gdpath/act.h"
#include "gdpath/util.h"
#include "model_check.h"

#define TOL 1e-6

static struct model_cfg cfg_for(size_t depth, int act)
{
	return (struct model_cfg){.n = 7, .d = 4, .k = 5, .depth = depth, .act = act, .gamma = NAN};
}

static void check_grads(size_t depth, int act, unsigned long seed)
{
	struct mc_fixture fx = {0};
	assert_int_equal(mc_setup(&fx, &model_mlp_ops, cfg_for(depth, act), LABELS_GAUSSIAN, seed),
			 0);
	static const size_t rows[] = {6, 0, 3};
	double e_all = mc_vjp_error(fx.m, fx.theta, NULL, 0, fx.rng);
	double e_sub = mc_vjp_error(fx.m, fx.theta, rows, 3, fx.rng);
	double e_one = mc_vjp_error(fx.m, fx.theta, rows + 2, 1, fx.rng);
	double e_jvp = mc_jvp_error(fx.m, fx.theta, fx.rng);
	if (e_all > TOL || e_sub > TOL || e_one > TOL || e_jvp > TOL)
		print_error("depth %zu %s: vjp %g, subset %g, one %g, jvp %g\n", depth,
			    act_name(act), e_all, e_sub, e_one, e_jvp);
	assert_true(e_all < TOL);
	assert_true(e_sub < TOL);
	assert_true(e_one < TOL);
	assert_true(e_jvp < TOL);
	mc_teardown(&fx);
}

static void test_grads(void **state)
{
	(void)state;
	static const int acts[] = {ACT_TANH, ACT_SOFTPLUS, ACT_SIGMOID};
	for (size_t depth = 1; depth <= 4; depth++)
		for (size_t a = 0; a < 3; a++)
			check_grads(depth, acts[a], 10 * depth + a);
}

/* Wider input than width (d > k), so the scratch sizes are exercised both ways. */
static void test_grads_wide_input(void **state)
{
	(void)state;
	struct mc_fixture fx = {0};
	struct model_cfg cfg = {.n = 5, .d = 9, .k = 3, .depth = 3, .act = ACT_TANH, .gamma = 0.25};
	assert_int_equal(mc_setup(&fx, &model_mlp_ops, cfg, LABELS_GAUSSIAN, 77), 0);
	assert_true(mc_vjp_error(fx.m, fx.theta, NULL, 0, fx.rng) < TOL);
	assert_true(mc_jvp_error(fx.m, fx.theta, fx.rng) < TOL);
	mc_teardown(&fx);
}

/* Repeated rows, more of them than n: each occurrence counts once. */
static void test_vjp_repeated_rows(void **state)
{
	(void)state;
	struct mc_fixture fx = {0};
	assert_int_equal(mc_setup(&fx, &model_mlp_ops, cfg_for(3, ACT_TANH), LABELS_GAUSSIAN, 4), 0);
	size_t n = fx.m->n, p = fx.m->p, nrows = 3 * n + 1;
	size_t *rows = malloc(nrows * sizeof *rows);
	double *u = malloc(n * sizeof(double)), *uw = calloc(n, sizeof(double));
	double *g = malloc(p * sizeof(double)), *gw = malloc(p * sizeof(double));
	double *f = malloc(n * sizeof(double));
	for (size_t i = 0; i < n; i++)
		u[i] = gsl_ran_gaussian(fx.rng, 1.0);
	for (size_t j = 0; j < nrows; j++) {
		rows[j] = gsl_rng_uniform_int(fx.rng, n);
		uw[rows[j]] += u[rows[j]];
	}
	fx.m->ops->forward(fx.m, fx.theta, f);
	fx.m->ops->vjp(fx.m, fx.theta, u, rows, nrows, g);
	fx.m->ops->vjp(fx.m, fx.theta, uw, NULL, 0, gw);
	assert_true(mc_relerr(g, gw, p) < 1e-12);
	free(rows);
	free(u);
	free(uw);
	free(g);
	free(gw);
	free(f);
	mc_teardown(&fx);
}

static void test_gram(void **state)
{
	(void)state;
	for (size_t depth = 1; depth <= 3; depth++) {
		struct mc_fixture fx = {0};
		assert_int_equal(mc_setup(&fx, &model_mlp_ops, cfg_for(depth, ACT_SOFTPLUS),
					  LABELS_GAUSSIAN, 90 + depth),
				 0);
		assert_null(model_mlp_ops.gram);
		double err = mc_gram_error(fx.m, fx.theta);
		if (err > TOL)
			print_error("depth %zu: gram error %g\n", depth, err);
		assert_true(err < TOL);
		mc_teardown(&fx);
	}
}

/* f(x) = W_3 tanh(W_2 tanh(W_1 x)) evaluated directly, one sample at a time. */
static void test_forward_formula(void **state)
{
	(void)state;
	struct mc_fixture fx = {0};
	assert_int_equal(mc_setup(&fx, &model_mlp_ops, cfg_for(3, ACT_TANH), LABELS_GAUSSIAN, 6), 0);
	const double *W1 = fx.theta, *W2 = W1 + 5 * 4, *W3 = W2 + 5 * 5;
	double f[7];
	fx.m->ops->forward(fx.m, fx.theta, f);
	for (size_t i = 0; i < 7; i++) {
		const double *x = fx.ds->X + i * 4;
		double h1[5], h2[5], want = 0;
		for (size_t a = 0; a < 5; a++) {
			double z = 0;
			for (size_t b = 0; b < 4; b++)
				z += W1[a * 4 + b] * x[b];
			h1[a] = tanh(z);
		}
		for (size_t a = 0; a < 5; a++) {
			double z = 0;
			for (size_t b = 0; b < 5; b++)
				z += W2[a * 5 + b] * h1[b];
			h2[a] = tanh(z);
		}
		for (size_t b = 0; b < 5; b++)
			want += W3[b] * h2[b];
		assert_true(fabs(f[i] - want) <= 1e-13 * (1 + fabs(want)));
	}
	mc_teardown(&fx);
}

/* Layers L1 … L<depth> in order, contiguous, covering θ exactly, with the stated shapes. */
static void test_layers(void **state)
{
	(void)state;
	for (size_t depth = 1; depth <= MODEL_MAX_LAYERS; depth++) {
		struct mc_fixture fx = {0};
		struct model_cfg cfg = cfg_for(depth, ACT_TANH);
		assert_int_equal(mc_setup(&fx, &model_mlp_ops, cfg, LABELS_GAUSSIAN, depth), 0);
		struct model *m = fx.m;
		assert_int_equal(m->nlayers, depth);
		size_t at = 0;
		for (size_t l = 0; l < depth; l++) {
			char name[8];
			snprintf(name, sizeof name, "L%zu", l + 1);
			assert_string_equal(m->layer[l].name, name);
			assert_int_equal(m->layer[l].off, at);
			size_t in = l == 0 ? 4 : 5, out = l + 1 == depth ? 1 : 5;
			assert_int_equal(m->layer[l].len, in * out);
			assert_int_equal(model_layer_index(m, name), (int)l);
			at += m->layer[l].len;
		}
		assert_int_equal(at, m->p);
		cfg.n = 7;
		model_cfg_fill(&model_mlp_ops, &cfg);
		assert_true(model_mlp_ops.nparams(&cfg) == (double)m->p);
		mc_teardown(&fx);
	}
}

/* LeCun normal: the sample variance of each layer's entries is near 1/fan_in. */
static void test_init_scale(void **state)
{
	(void)state;
	struct mc_fixture fx = {0};
	struct model_cfg cfg = {.n = 3, .d = 50, .k = 200, .depth = 3, .act = -1, .gamma = NAN};
	assert_int_equal(mc_setup(&fx, &model_mlp_ops, cfg, LABELS_GAUSSIAN, 12), 0);
	for (size_t l = 0; l < 2; l++) {
		const struct layer *ly = &fx.m->layer[l];
		double s = 0, fan_in = l == 0 ? 50 : 200;
		for (size_t j = 0; j < ly->len; j++)
			s += fx.theta[ly->off + j] * fx.theta[ly->off + j];
		double var = s / (double)ly->len;
		/* ≥ 10 000 entries: the relative sd of the variance is ≤ √(2/10 000) ≈ 0.014 */
		assert_true(fabs(var * fan_in - 1) < 0.1);
	}
	mc_teardown(&fx);
}

static void test_config(void **state)
{
	(void)state;
	struct model_cfg cfg = {.act = -1, .gamma = NAN};
	model_cfg_fill(&model_mlp_ops, &cfg);
	assert_int_equal(cfg.n, 40);
	assert_int_equal(cfg.d, 10);
	assert_int_equal(cfg.k, 32);
	assert_int_equal(cfg.depth, 3);
	assert_int_equal(cfg.act, ACT_TANH);
	assert_true(model_mlp_ops.has_act);
	assert_true(model_mlp_ops.nparams(&cfg) == 32.0 * 10 + 32 * 32 + 32);

	/* depth > MODEL_MAX_LAYERS is refused with a cause that says so. */
	cfg = (struct model_cfg){.n = 4, .d = 3, .k = 2, .depth = MODEL_MAX_LAYERS + 1, .act = -1,
				 .gamma = NAN};
	model_cfg_fill(&model_mlp_ops, &cfg);
	struct dataset *ds = data_new(4, 3);
	char *cause = NULL;
	assert_null(model_new(&model_mlp_ops, &cfg, ds, &cause));
	assert_non_null(cause);
	assert_non_null(strstr(cause, "depth"));
	free(cause);
	data_free(ds);

	struct model_cfg huge = {.n = (size_t)1 << 40, .d = (size_t)1 << 40, .k = (size_t)1 << 40,
				 .depth = 16};
	assert_true(isfinite(model_mlp_ops.nparams(&huge)) && model_mlp_ops.nparams(&huge) > 1e24);
	assert_true(isfinite(model_mlp_ops.work_bytes(&huge)));
}

/* C outputs on class data (SPEC §3): the last layer is C × k, f has n·C entries (row i·C + c),
 * backpropagation over all outputs, a subset of rows, repeated rows, and forward mode agree
 * with finite differences, and predict() on other inputs is forward() on them. */
static void test_class_outputs(void **state)
{
	(void)state;
	enum { N = 6, D = 5, K = 4, C = 3 };
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(rng, 21);
	struct dataset *ds = data_new(N, D);
	assert_int_equal(data_set_outputs(ds, C), 0);
	ds->cls = calloc(N, sizeof(int));
	for (size_t i = 0; i < N * D; i++)
		ds->X[i] = gsl_ran_gaussian(rng, 1.0);
	for (size_t i = 0; i < N; i++) {
		ds->cls[i] = (int)(i % C);
		ds->y[i * C + i % C] = 1;
	}
	for (size_t depth = 1; depth <= 3; depth++) {
		struct model_cfg cfg = {.n = N, .d = D, .k = K, .depth = depth, .act = ACT_TANH,
					.gamma = NAN};
		model_cfg_fill(&model_mlp_ops, &cfg);
		char *cause = NULL;
		struct model *m = model_new(&model_mlp_ops, &cfg, ds, &cause);
		assert_non_null(m);
		assert_int_equal(m->n, N * C);
		assert_int_equal(m->nsamples, N);
		assert_int_equal(m->layer[depth - 1].len, C * (depth == 1 ? D : K));
		double *theta = calloc(m->p, sizeof(double));
		model_mlp_ops.init(m, rng, theta);
		static const size_t rows[] = {17, 0, 4, 5, 9}; /* two outputs of sample 1 */
		double e_all = mc_vjp_error(m, theta, NULL, 0, rng);
		double e_sub = mc_vjp_error(m, theta, rows, 5, rng);
		double e_jvp = mc_jvp_error(m, theta, rng);
		if (e_all > TOL || e_sub > TOL || e_jvp > TOL)
			print_error("depth %zu: vjp %g, subset %g, jvp %g\n", depth, e_all, e_sub, e_jvp);
		assert_true(e_all < TOL && e_sub < TOL && e_jvp < TOL);
		double f[N * C], g[N * C];
		model_mlp_ops.forward(m, theta, f);
		model_mlp_ops.predict(m, theta, ds->X, N, g);
		for (size_t i = 0; i < N * C; i++)
			assert_true(f[i] == g[i]);
		free(theta);
		model_free(m);
	}
	data_free(ds);
	gsl_rng_free(rng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_grads),           cmocka_unit_test(test_grads_wide_input),
	    cmocka_unit_test(test_vjp_repeated_rows), cmocka_unit_test(test_gram),
	    cmocka_unit_test(test_forward_formula), cmocka_unit_test(test_layers),
	    cmocka_unit_test(test_init_scale),      cmocka_unit_test(test_config),
	    cmocka_unit_test(test_class_outputs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
