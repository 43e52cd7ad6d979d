/* test_model_shallow.c — the shallow net of [OS19b]: gradients and Jacobian–vector products
 * against finite differences for every activation, the Hadamard-form Gram matrix against
 * J Jᵀ, the fixed output weights v, layers, and the theory step size. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "gdpath/act.h"
#include "gdpath/util.h"
#include "model_check.h"

#define TOL 1e-6

static struct model_cfg cfg_for(int act, double gamma, bool train_v)
{
	return (struct model_cfg){
	    .n = 9, .d = 5, .k = 7, .act = act, .gamma = gamma, .train_output = train_v};
}

/* min over ℓ, i of |w_ℓᵀx_i|: finite differences of relu/leaky are honest only when no
 * pre-activation is within a step of the kink. */
static double kink_margin(const struct model *m, const double *theta)
{
	size_t n = m->n, d = m->cfg.d, k = m->cfg.k;
	double best = INFINITY;
	for (size_t l = 0; l < k; l++)
		for (size_t i = 0; i < n; i++) {
			double z = 0;
			for (size_t j = 0; j < d; j++)
				z += theta[l * d + j] * m->data->X[i * d + j];
			best = fmin(best, fabs(z));
		}
	return best;
}

static void check_grads(int act, double gamma, bool train_v, unsigned long seed)
{
	struct mc_fixture fx = {0};
	assert_int_equal(mc_setup(&fx, &model_shallow_ops, cfg_for(act, gamma, train_v),
				  LABELS_GAUSSIAN, seed),
			 0);
	if (act_is_relu_like(act))
		assert_true(kink_margin(fx.m, fx.theta) > 1e-4);
	static const size_t rows[] = {1, 4, 8, 6};
	double e_all = mc_vjp_error(fx.m, fx.theta, NULL, 0, fx.rng);
	double e_sub = mc_vjp_error(fx.m, fx.theta, rows, 4, fx.rng);
	double e_one = mc_vjp_error(fx.m, fx.theta, rows + 2, 1, fx.rng);
	double e_jvp = mc_jvp_error(fx.m, fx.theta, fx.rng);
	if (e_all > TOL || e_sub > TOL || e_one > TOL || e_jvp > TOL)
		print_error("%s gamma %g train_v %d: vjp %g, subset %g, one %g, jvp %g\n",
			    act_name(act), gamma, train_v, e_all, e_sub, e_one, e_jvp);
	assert_true(e_all < TOL);
	assert_true(e_sub < TOL);
	assert_true(e_one < TOL);
	assert_true(e_jvp < TOL);
	mc_teardown(&fx);
}

static void test_grads_every_act(void **state)
{
	(void)state;
	for (int act = 0; act < ACT_COUNT; act++)
		check_grads(act, 0.0, false, 11 + (unsigned long)act);
}

static void test_grads_gamma(void **state)
{
	(void)state;
	for (int act = 0; act < ACT_COUNT; act++)
		check_grads(act, 0.3, false, 31 + (unsigned long)act);
	check_grads(ACT_SOFTPLUS, 1.0, false, 5);
}

static void test_grads_train_output(void **state)
{
	(void)state;
	for (int act = 0; act < ACT_COUNT; act++)
		check_grads(act, act == ACT_TANH ? 0.5 : 0.0, true, 51 + (unsigned long)act);
}

/* Rows may repeat and outnumber n (SGD with replacement): each occurrence counts, so the
 * result equals the full vjp with u scaled by the multiplicities. */
static void test_vjp_repeated_rows(void **state)
{
	(void)state;
	for (int tv = 0; tv < 2; tv++) {
		struct mc_fixture fx = {0};
		assert_int_equal(mc_setup(&fx, &model_shallow_ops, cfg_for(ACT_TANH, 0.0, tv),
					  LABELS_GAUSSIAN, 3),
				 0);
		size_t n = fx.m->n, p = fx.m->p, nrows = 2 * n + 3;
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
		/* An empty minibatch is the zero vector. */
		fx.m->ops->vjp(fx.m, fx.theta, u, rows, 0, g);
		for (size_t j = 0; j < p; j++)
			assert_true(g[j] == 0.0);
		free(rows);
		free(u);
		free(uw);
		free(g);
		free(gw);
		free(f);
		mc_teardown(&fx);
	}
}

/* The structured Gram matrix against J Jᵀ from finite differences. */
static void test_gram(void **state)
{
	(void)state;
	static const struct {
		int act;
		double gamma;
		bool train_v;
	} cases[] = {
	    {ACT_SOFTPLUS, 0.0, false}, {ACT_SOFTPLUS, 0.0, true}, {ACT_TANH, 0.5, true},
	    {ACT_RELU, 0.0, false},     {ACT_QUADRATIC, 0.2, true},
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		struct mc_fixture fx = {0};
		assert_int_equal(mc_setup(&fx, &model_shallow_ops,
					  cfg_for(cases[c].act, cases[c].gamma, cases[c].train_v),
					  LABELS_GAUSSIAN, 70 + c),
				 0);
		if (act_is_relu_like(cases[c].act))
			assert_true(kink_margin(fx.m, fx.theta) > 1e-4);
		double err = mc_gram_error(fx.m, fx.theta);
		if (err > TOL)
			print_error("gram case %zu: error %g\n", c, err);
		assert_true(err < TOL);
		mc_teardown(&fx);
	}
}

/* [OS19b] Thm 2.1: ⌊k/2⌋ entries +‖y‖/√(kn), ⌊k/2⌋ entries −‖y‖/√(kn), odd k a last 0. */
static void expected_v(const struct model *m, double *v)
{
	size_t k = m->cfg.k, n = m->n;
	double a = vec_norm(m->data->y, n) / sqrt((double)(k * n));
	for (size_t l = 0; l < k; l++)
		v[l] = l < k / 2 ? a : l < 2 * (k / 2) ? -a : 0.0;
}

static void test_v_values(void **state)
{
	(void)state;
	for (size_t k = 6; k <= 7; k++) {
		/* Trained v: init writes the same values into θ0. */
		struct model_cfg cfg = cfg_for(ACT_SOFTPLUS, 0.0, true);
		cfg.k = k;
		struct mc_fixture fx = {0};
		assert_int_equal(mc_setup(&fx, &model_shallow_ops, cfg, LABELS_GAUSSIAN, 8), 0);
		double v[8];
		expected_v(fx.m, v);
		assert_true(v[0] > 0);
		for (size_t l = 0; l < k; l++)
			assert_true(fabs(fx.theta[k * 5 + l] - v[l]) <= 1e-15 * fabs(v[0]));
		assert_true(k % 2 == 0 || fx.theta[k * 5 + k - 1] == 0.0);
		mc_teardown(&fx);

		/* Fixed v, at a θ not drawn by init (as from --init FILE): f = vᵀφ(Wx). */
		cfg.train_output = false;
		assert_int_equal(mc_setup(&fx, &model_shallow_ops, cfg, LABELS_GAUSSIAN, 9), 0);
		expected_v(fx.m, v);
		size_t n = fx.m->n, d = 5;
		for (size_t j = 0; j < fx.m->p; j++)
			fx.theta[j] = gsl_ran_gaussian(fx.rng, 2.0);
		double f[9];
		fx.m->ops->forward(fx.m, fx.theta, f);
		for (size_t i = 0; i < n; i++) {
			double want = 0;
			for (size_t l = 0; l < k; l++) {
				double z = 0;
				for (size_t j = 0; j < d; j++)
					z += fx.theta[l * d + j] * fx.ds->X[i * d + j];
				want += v[l] * log1p(exp(z));
			}
			assert_true(fabs(f[i] - want) <= 1e-12 * (1 + fabs(want)));
		}
		mc_teardown(&fx);
	}
}

static void test_layers(void **state)
{
	(void)state;
	for (int tv = 0; tv < 2; tv++) {
		struct mc_fixture fx = {0};
		struct model_cfg cfg = cfg_for(ACT_SOFTPLUS, 0.0, tv);
		assert_int_equal(mc_setup(&fx, &model_shallow_ops, cfg, LABELS_GAUSSIAN, 1), 0);
		struct model *m = fx.m;
		assert_int_equal(m->p, 7 * 5 + (tv ? 7 : 0));
		assert_true(model_shallow_ops.nparams(&m->cfg) == (double)m->p);
		assert_int_equal(m->nlayers, tv ? 2 : 1);
		assert_string_equal(m->layer[0].name, "W");
		assert_int_equal(m->layer[0].off, 0);
		assert_int_equal(m->layer[0].len, 35);
		if (tv) {
			assert_string_equal(m->layer[1].name, "v");
			assert_int_equal(m->layer[1].off, 35);
			assert_int_equal(m->layer[1].len, 7);
		}
		mc_teardown(&fx);
	}
	/* Sizes far beyond memory: counted in double, no overflow. */
	struct model_cfg huge = {.n = (size_t)1 << 40, .d = (size_t)1 << 40, .k = (size_t)1 << 40,
				 .train_output = true};
	double p = model_shallow_ops.nparams(&huge), w = model_shallow_ops.work_bytes(&huge);
	assert_true(isfinite(p) && p > 1e24);
	assert_true(isfinite(w) && w > 1e24);
	assert_int_equal(model_shallow_ops.features(&huge), (size_t)1 << 40);
}

/* ‖X‖ independently: the largest eigenvalue of XᵀX. */
static double data_norm(const struct dataset *ds)
{
	size_t n = ds->n, d = ds->nfeat;
	gsl_matrix *A = gsl_matrix_calloc(d, d);
	gsl_vector *ev = gsl_vector_alloc(d);
	gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(d);
	for (size_t a = 0; a < d; a++)
		for (size_t b = 0; b < d; b++) {
			double s = 0;
			for (size_t i = 0; i < n; i++)
				s += ds->X[i * d + a] * ds->X[i * d + b];
			gsl_matrix_set(A, a, b, s);
		}
	assert_int_equal(gsl_eigen_symm(A, ev, w), 0);
	double mx = gsl_vector_max(ev);
	gsl_matrix_free(A);
	gsl_vector_free(ev);
	gsl_eigen_symm_free(w);
	return sqrt(mx);
}

/* [OS19b] Thm 2.1: n/(2B²‖y‖²‖X‖²); Thm 2.3: n/(3‖y‖²‖X‖²); quadratic: none. */
static void test_theory_eta(void **state)
{
	(void)state;
	static const struct {
		int act;
		double gamma, B; /* B = 0: the ReLU rule; B = INFINITY: NAN */
	} cases[] = {
	    {ACT_SOFTPLUS, 0.0, 1.0},  {ACT_SIGMOID, 0.0, 0.25}, {ACT_SIGMOID, 0.5, 0.625},
	    {ACT_TANH, 0.2, 1.0},      {ACT_RELU, 0.0, 0.0},     {ACT_LEAKY, 0.3, 0.0},
	    {ACT_QUADRATIC, 0.0, INFINITY},
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		struct mc_fixture fx = {0};
		struct model_cfg cfg = {.n = 30, .d = 6, .k = 4, .act = cases[c].act,
					.gamma = cases[c].gamma};
		assert_int_equal(mc_setup(&fx, &model_shallow_ops, cfg, LABELS_GAUSSIAN, 2 + c), 0);
		double xn = data_norm(fx.ds), yn = vec_norm(fx.ds->y, 30);
		double eta = fx.m->ops->theory_eta(fx.m, fx.theta), want;
		if (isinf(cases[c].B))
			want = NAN;
		else if (cases[c].B == 0)
			want = 30 / (3 * yn * yn * xn * xn);
		else
			want = 30 / (2 * cases[c].B * cases[c].B * yn * yn * xn * xn);
		if (isnan(want))
			assert_true(isnan(eta));
		else
			assert_true(fabs(eta - want) <= 1e-10 * want);
		mc_teardown(&fx);
	}
}

static void test_bad_gamma(void **state)
{
	(void)state;
	static const double bad[] = {-0.1, 1.5};
	for (size_t b = 0; b < 2; b++) {
		struct model_cfg cfg = {.n = 5, .d = 3, .k = 4, .act = -1, .gamma = bad[b]};
		model_cfg_fill(&model_shallow_ops, &cfg);
		struct dataset *ds = data_new(5, 3);
		for (size_t j = 0; j < 15; j++)
			ds->X[j] = (double)j;
		char *cause = NULL;
		struct model *m = model_new(&model_shallow_ops, &cfg, ds, &cause);
		assert_null(m);
		assert_non_null(cause);
		assert_non_null(strstr(cause, "gamma"));
		free(cause);
		data_free(ds);
	}
	/* The defaults: softplus, γ = 0. */
	struct model_cfg cfg = {.act = -1, .gamma = NAN};
	model_cfg_fill(&model_shallow_ops, &cfg);
	assert_int_equal(cfg.act, ACT_SOFTPLUS);
	assert_true(cfg.gamma == 0.0);
	assert_int_equal(cfg.n, 100);
	assert_int_equal(cfg.d, 20);
	assert_int_equal(cfg.k, 20);
	assert_ptr_equal(model_lookup("shallow"), &model_shallow_ops);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_grads_every_act), cmocka_unit_test(test_grads_gamma),
	    cmocka_unit_test(test_grads_train_output), cmocka_unit_test(test_vjp_repeated_rows),
	    cmocka_unit_test(test_gram),          cmocka_unit_test(test_v_values),
	    cmocka_unit_test(test_layers),        cmocka_unit_test(test_theory_eta),
	    cmocka_unit_test(test_bad_gamma),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
