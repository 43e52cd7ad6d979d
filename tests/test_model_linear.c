/* test_model_linear.c — unit tests for the linear and glm models (src/model_linear.c):
 * derivatives and Gram matrices against finite differences, the exact closest optimum, the
 * theory step size, and the align-min / align-max labels of src/data.c. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <gsl/gsl_cblas.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_vector.h>

#include "gdpath/data.h"
#include "gdpath/model.h"
#include "model_check.h"

static struct model_cfg cfg_of(size_t n, size_t d, double gamma)
{
	return (struct model_cfg){.n = n, .d = d, .act = -1, .gamma = gamma};
}

static double norm2(const double *x, size_t len)
{
	double s = 0;
	for (size_t i = 0; i < len; i++)
		s += x[i] * x[i];
	return sqrt(s);
}

static double dot(const double *x, const double *y, size_t len)
{
	double s = 0;
	for (size_t i = 0; i < len; i++)
		s += x[i] * y[i];
	return s;
}

/* Move θ away from θ0 so the checks run at a generic point. */
static void randomize(struct mc_fixture *fx, double scale)
{
	for (size_t j = 0; j < fx->m->p; j++)
		fx->theta[j] = scale * gsl_ran_gaussian(fx->rng, 1.0);
}

/* X X ᵀ (n × n), computed naively. */
static void naive_gram(const double *X, size_t n, size_t d, double *G)
{
	for (size_t a = 0; a < n; a++)
		for (size_t b = 0; b < n; b++)
			G[a * n + b] = dot(X + a * d, X + b * d, d);
}

/* Extreme eigenvalue of the symmetric n × n matrix G by gsl_eigen_symm. */
static double eig_extreme(const double *G, size_t n, int want_max)
{
	gsl_matrix *A = gsl_matrix_alloc(n, n);
	gsl_vector *ev = gsl_vector_alloc(n);
	gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(n);
	memcpy(A->data, G, n * n * sizeof(double));
	assert_int_equal(gsl_eigen_symm(A, ev, w), GSL_SUCCESS);
	double v = want_max ? gsl_vector_max(ev) : gsl_vector_min(ev);
	gsl_eigen_symm_free(w);
	gsl_vector_free(ev);
	gsl_matrix_free(A);
	return v;
}

/* Derivative checks (vjp over all rows, over a subset, jvp, gram) for one model. */
static void check_derivatives(const struct model_ops *ops, struct model_cfg cfg, double scale)
{
	struct mc_fixture fx = {0};
	assert_int_equal(mc_setup(&fx, ops, cfg, LABELS_GAUSSIAN, 11), 0);
	randomize(&fx, scale);
	size_t rows[] = {0, 3, 4, 7};
	assert_true(mc_vjp_error(fx.m, fx.theta, NULL, 0, fx.rng) < 1e-6);
	assert_true(mc_vjp_error(fx.m, fx.theta, rows, 4, fx.rng) < 1e-6);
	assert_true(mc_jvp_error(fx.m, fx.theta, fx.rng) < 1e-6);
	assert_true(mc_gram_error(fx.m, fx.theta) < 1e-6);
	mc_teardown(&fx);
}

static void test_linear_derivatives(void **state)
{
	(void)state;
	check_derivatives(&model_linear_ops, cfg_of(10, 20, NAN), 1.0);
}

static void test_glm_derivatives_gamma01(void **state)
{
	(void)state;
	check_derivatives(&model_glm_ops, cfg_of(10, 20, 0.1), 3.0);
}

static void test_glm_derivatives_gamma05(void **state)
{
	(void)state;
	check_derivatives(&model_glm_ops, cfg_of(10, 20, 0.5), 3.0);
}

/* vjp over rows must ignore u outside rows, and jacobian must agree with vjp and jvp. */
static void check_rows_and_jacobian(const struct model_ops *ops, struct model_cfg cfg)
{
	struct mc_fixture fx = {0};
	assert_int_equal(mc_setup(&fx, ops, cfg, LABELS_GAUSSIAN, 5), 0);
	randomize(&fx, 2.0);
	size_t n = fx.m->n, p = fx.m->p;
	double *u = malloc(n * sizeof(double)), *um = calloc(n, sizeof(double));
	double *g1 = malloc(p * sizeof(double)), *g2 = malloc(p * sizeof(double));
	double *f = malloc(n * sizeof(double)), *J = malloc(n * p * sizeof(double));
	double *v = malloc(p * sizeof(double)), *jv = malloc(n * sizeof(double));
	size_t rows[] = {1, 2, 6};
	for (size_t i = 0; i < n; i++)
		u[i] = gsl_ran_gaussian(fx.rng, 1.0);
	for (size_t j = 0; j < 3; j++)
		um[rows[j]] = u[rows[j]];
	fx.m->ops->forward(fx.m, fx.theta, f);
	fx.m->ops->vjp(fx.m, fx.theta, u, rows, 3, g1);
	fx.m->ops->vjp(fx.m, fx.theta, um, NULL, 0, g2);
	assert_true(mc_relerr(g1, g2, p) < 1e-12);

	assert_int_equal(model_jacobian(fx.m, fx.theta, J), 0);
	fx.m->ops->forward(fx.m, fx.theta, f);
	fx.m->ops->vjp(fx.m, fx.theta, u, NULL, 0, g2);
	for (size_t j = 0; j < p; j++) {
		double s = 0;
		for (size_t i = 0; i < n; i++)
			s += J[i * p + j] * u[i];
		g1[j] = s;
	}
	assert_true(mc_relerr(g1, g2, p) < 1e-12);
	for (size_t j = 0; j < p; j++)
		v[j] = gsl_ran_gaussian(fx.rng, 1.0);
	fx.m->ops->jvp(fx.m, fx.theta, v, jv);
	for (size_t i = 0; i < n; i++)
		f[i] = dot(J + i * p, v, p);
	assert_true(mc_relerr(f, jv, n) < 1e-12);
	free(u);
	free(um);
	free(g1);
	free(g2);
	free(f);
	free(J);
	free(v);
	free(jv);
	mc_teardown(&fx);
}

static void test_linear_rows_jacobian(void **state)
{
	(void)state;
	check_rows_and_jacobian(&model_linear_ops, cfg_of(10, 20, NAN));
}

static void test_glm_rows_jacobian(void **state)
{
	(void)state;
	check_rows_and_jacobian(&model_glm_ops, cfg_of(10, 20, 0.1));
}

/* forward against the formulas written out: x_iᵀθ and (1−γ)log(1+e^z) + γz. */
static void test_forward_values(void **state)
{
	(void)state;
	const double gamma = 0.3;
	struct mc_fixture fl = {0}, fg = {0};
	assert_int_equal(mc_setup(&fl, &model_linear_ops, cfg_of(6, 9, NAN), LABELS_GAUSSIAN, 3),
			 0);
	assert_int_equal(mc_setup(&fg, &model_glm_ops, cfg_of(6, 9, gamma), LABELS_GAUSSIAN, 3),
			 0);
	double f[6], g[6];
	fl.m->ops->forward(fl.m, fl.theta, f);
	fg.m->ops->forward(fg.m, fl.theta, g);
	for (size_t i = 0; i < 6; i++) {
		double z = dot(fl.ds->X + i * 9, fl.theta, 9);
		assert_true(fabs(f[i] - z) <= 1e-12 * (1 + fabs(z)));
		double phi = (1 - gamma) * log(1 + exp(z)) + gamma * z;
		assert_true(fabs(g[i] - phi) <= 1e-12 * (1 + fabs(phi)));
	}
	/* Far in the tails softplus must neither overflow nor lose the linear part. */
	for (size_t j = 0; j < 9; j++)
		fl.theta[j] = 1e4 * fl.ds->X[j];
	fg.m->ops->forward(fg.m, fl.theta, g);
	double z0 = dot(fg.ds->X, fl.theta, 9);
	assert_true(z0 > 100);
	assert_true(fabs(g[0] - z0) <= 1e-12 * z0);
	for (size_t j = 0; j < 9; j++)
		fl.theta[j] = -fl.theta[j];
	fg.m->ops->forward(fg.m, fl.theta, g);
	assert_true(fabs(g[0] + gamma * z0) <= 1e-12 * z0);
	mc_teardown(&fl);
	mc_teardown(&fg);
}

/* z in the null space of X: w minus its projection Xᵀ(XXᵀ)⁻¹Xw (Cholesky, independent of the
 * model's SVD). Needs X of full row rank. */
static void null_vector(const double *X, size_t n, size_t d, gsl_rng *rng, double *z)
{
	double *G = malloc(n * n * sizeof(double));
	naive_gram(X, n, d, G);
	gsl_matrix_view Gv = gsl_matrix_view_array(G, n, n);
	gsl_vector *b = gsl_vector_alloc(n), *c = gsl_vector_alloc(n);
	for (size_t j = 0; j < d; j++)
		z[j] = gsl_ran_gaussian(rng, 1.0);
	for (size_t i = 0; i < n; i++)
		gsl_vector_set(b, i, dot(X + i * d, z, d));
	assert_int_equal(gsl_linalg_cholesky_decomp1(&Gv.matrix), GSL_SUCCESS);
	assert_int_equal(gsl_linalg_cholesky_solve(&Gv.matrix, b, c), GSL_SUCCESS);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < d; j++)
			z[j] -= X[i * d + j] * gsl_vector_get(c, i);
	gsl_vector_free(b);
	gsl_vector_free(c);
	free(G);
}

static void test_linear_closest(void **state)
{
	(void)state;
	struct mc_fixture fx = {0};
	assert_int_equal(
	    mc_setup(&fx, &model_linear_ops, cfg_of(12, 30, NAN), LABELS_GAUSSIAN, 21), 0);
	size_t n = fx.m->n, d = fx.m->p;
	double *ts = malloc(d * sizeof(double)), *f = malloc(n * sizeof(double));
	double *z = malloc(d * sizeof(double)), *delta = calloc(d, sizeof(double));
	char *cause = NULL;
	assert_int_equal(fx.m->ops->closest(fx.m, fx.theta, ts, &cause), 0);
	fx.m->ops->forward(fx.m, ts, f);
	assert_true(mc_relerr(f, fx.ds->y, n) < 1e-10);

	null_vector(fx.ds->X, n, d, fx.rng, z);
	fx.m->ops->forward(fx.m, z, f);
	assert_true(norm2(f, n) < 1e-10 * norm2(z, d));
	for (size_t j = 0; j < d; j++)
		delta[j] = ts[j] - fx.theta[j];
	assert_true(fabs(dot(delta, z, d)) < 1e-10 * norm2(delta, d) * norm2(z, d));
	/* θ* + z is another solution, and farther from θ0 (by Pythagoras). */
	double dstar = norm2(delta, d);
	for (size_t j = 0; j < d; j++)
		delta[j] += 0.1 * z[j];
	assert_true(norm2(delta, d) > dstar * (1 + 1e-6));
	free(ts);
	free(f);
	free(z);
	free(delta);
	mc_teardown(&fx);
}

/* n > d: θ* solves the normal equations Xᵀ(Xθ* − y) = 0. */
static void test_linear_closest_tall(void **state)
{
	(void)state;
	struct mc_fixture fx = {0};
	assert_int_equal(
	    mc_setup(&fx, &model_linear_ops, cfg_of(25, 8, NAN), LABELS_GAUSSIAN, 22), 0);
	size_t n = fx.m->n, d = fx.m->p;
	double *ts = malloc(d * sizeof(double)), *r = malloc(n * sizeof(double));
	double g[8], xty[8];
	char *cause = NULL;
	assert_int_equal(fx.m->ops->closest(fx.m, fx.theta, ts, &cause), 0);
	model_residual(fx.m, ts, r);
	assert_true(norm2(r, n) > 1e-3); /* y is not reachable: a real least-squares problem */
	fx.m->ops->vjp(fx.m, ts, r, NULL, 0, g);
	fx.m->ops->vjp(fx.m, ts, fx.ds->y, NULL, 0, xty);
	assert_true(norm2(g, d) < 1e-10 * norm2(xty, d));
	free(ts);
	free(r);
	mc_teardown(&fx);
}

/* Rank-deficient X (a repeated row) with consistent labels: still an exact fit. */
static void test_linear_closest_rank_deficient(void **state)
{
	(void)state;
	const size_t n = 8, d = 15;
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(rng, 9);
	struct model_cfg cfg = cfg_of(n, d, NAN);
	model_cfg_fill(&model_linear_ops, &cfg);
	struct dataset *ds = data_new(n, d);
	model_linear_ops.gen_x(&cfg, rng, ds->X);
	char *cause = NULL;
	assert_int_equal(data_labels(ds, LABELS_GAUSSIAN, rng, &cause), 0);
	memcpy(ds->X + 1 * d, ds->X + 4 * d, d * sizeof(double));
	ds->y[1] = ds->y[4];
	struct model *m = model_new(&model_linear_ops, &cfg, ds, &cause);
	assert_non_null(m);
	double theta0[15], ts[15], f[8];
	m->ops->init(m, rng, theta0);
	assert_int_equal(m->ops->closest(m, theta0, ts, &cause), 0);
	for (size_t j = 0; j < d; j++)
		assert_true(isfinite(ts[j]));
	m->ops->forward(m, ts, f);
	assert_true(mc_relerr(f, ds->y, n) < 1e-10);
	model_free(m);
	data_free(ds);
	gsl_rng_free(rng);
}

static void check_glm_closest(double gamma, double yscale)
{
	struct mc_fixture fx = {0};
	assert_int_equal(
	    mc_setup(&fx, &model_glm_ops, cfg_of(12, 30, gamma), LABELS_GAUSSIAN, 31), 0);
	size_t n = fx.m->n, d = fx.m->p;
	for (size_t i = 0; i < n; i++)
		fx.ds->y[i] *= yscale; /* far into both tails of φ */
	double *ts = malloc(d * sizeof(double)), *f = malloc(n * sizeof(double));
	double *z = malloc(d * sizeof(double)), *delta = calloc(d, sizeof(double));
	char *cause = NULL;
	assert_int_equal(fx.m->ops->closest(fx.m, fx.theta, ts, &cause), 0);
	fx.m->ops->forward(fx.m, ts, f);
	for (size_t i = 0; i < n; i++)
		assert_true(fabs(f[i] - fx.ds->y[i]) <= 1e-9 * fmax(1.0, fabs(fx.ds->y[i])));
	/* The closest optimum: θ* − θ0 lies in the row space of X. */
	null_vector(fx.ds->X, n, d, fx.rng, z);
	for (size_t j = 0; j < d; j++)
		delta[j] = ts[j] - fx.theta[j];
	assert_true(fabs(dot(delta, z, d)) < 1e-10 * norm2(delta, d) * norm2(z, d));
	free(ts);
	free(f);
	free(z);
	free(delta);
	mc_teardown(&fx);
}

static void test_glm_closest(void **state)
{
	(void)state;
	check_glm_closest(0.1, 1.0);
	check_glm_closest(0.5, 1.0);
	check_glm_closest(0.1, 50.0);
	check_glm_closest(1.0, 3.0);
}

/* n > d: φ(Xθ) = y has no solution in general, so glm declines to name θ*. */
static void test_glm_closest_tall_refused(void **state)
{
	(void)state;
	struct mc_fixture fx = {0};
	assert_int_equal(mc_setup(&fx, &model_glm_ops, cfg_of(9, 4, 0.1), LABELS_GAUSSIAN, 32), 0);
	double ts[4];
	char *cause = NULL;
	assert_int_equal(fx.m->ops->closest(fx.m, fx.theta, ts, &cause), -1);
	assert_non_null(cause);
	free(cause);
	mc_teardown(&fx);
}

static void test_glm_rejects_gamma(void **state)
{
	(void)state;
	const double bad[] = {0.0, -0.5, 1.5};
	for (size_t k = 0; k < 3; k++) {
		struct model_cfg cfg = cfg_of(5, 7, bad[k]);
		model_cfg_fill(&model_glm_ops, &cfg);
		struct dataset *ds = data_new(5, 7);
		char *cause = NULL;
		struct model *m = model_new(&model_glm_ops, &cfg, ds, &cause);
		assert_null(m);
		assert_non_null(cause);
		assert_non_null(strstr(cause, "gamma"));
		free(cause);
		data_free(ds);
	}
	/* γ = NAN means the default, 0.1: accepted. */
	struct mc_fixture fx = {0};
	assert_int_equal(mc_setup(&fx, &model_glm_ops, cfg_of(5, 7, NAN), LABELS_GAUSSIAN, 1), 0);
	assert_true(fx.m->cfg.gamma == 0.1);
	mc_teardown(&fx);
}

static void test_theory_eta(void **state)
{
	(void)state;
	struct mc_fixture fx = {0};
	assert_int_equal(
	    mc_setup(&fx, &model_linear_ops, cfg_of(15, 25, NAN), LABELS_GAUSSIAN, 41), 0);
	size_t n = fx.m->n, d = fx.m->p;
	double *G = malloc(n * n * sizeof(double));
	naive_gram(fx.ds->X, n, d, G);
	double lmax = eig_extreme(G, n, 1);
	double eta = fx.m->ops->theory_eta(fx.m, fx.theta);
	assert_true(fabs(eta * lmax - 1) < 1e-10);

	/* The glm on the same data: Γ = 1, so the same step. */
	char *cause = NULL;
	struct model_cfg cfg = cfg_of(15, 25, 0.2);
	model_cfg_fill(&model_glm_ops, &cfg);
	struct model *g = model_new(&model_glm_ops, &cfg, fx.ds, &cause);
	assert_non_null(g);
	assert_true(fabs(g->ops->theory_eta(g, fx.theta) * lmax - 1) < 1e-10);
	model_free(g);
	free(G);
	mc_teardown(&fx);
}

/* [OS19] Thm 2.4's tight examples: X Xᵀ y = σ² y with σ = σ_min / σ_max of X. */
static void check_align(int kind)
{
	struct mc_fixture fx = {0};
	assert_int_equal(mc_setup(&fx, &model_linear_ops, cfg_of(10, 24, NAN), kind, 51), 0);
	size_t n = fx.m->n, d = fx.m->p;
	double *G = malloc(n * n * sizeof(double)), *Gy = malloc(n * sizeof(double));
	double *s2y = malloc(n * sizeof(double));
	naive_gram(fx.ds->X, n, d, G);
	double lam = eig_extreme(G, n, kind == LABELS_ALIGN_MAX);
	for (size_t i = 0; i < n; i++) {
		Gy[i] = dot(G + i * n, fx.ds->y, n);
		s2y[i] = lam * fx.ds->y[i];
	}
	assert_true(norm2(fx.ds->y, n) > 0.5);
	assert_true(mc_relerr(Gy, s2y, n) < 1e-10);
	free(G);
	free(Gy);
	free(s2y);
	mc_teardown(&fx);
}

static void test_align_min(void **state)
{
	(void)state;
	check_align(LABELS_ALIGN_MIN);
}

static void test_align_max(void **state)
{
	(void)state;
	check_align(LABELS_ALIGN_MAX);
}

static void test_sizes(void **state)
{
	(void)state;
	struct model_cfg c = {.n = 40, .d = 100};
	assert_true(model_linear_ops.nparams(&c) == 100);
	assert_int_equal(model_linear_ops.features(&c), 100);
	assert_true(model_linear_ops.work_bytes(&c) > 8 * 40 * 40);
	c.n = c.d = SIZE_MAX / 2;
	double p = model_glm_ops.nparams(&c), w = model_glm_ops.work_bytes(&c);
	assert_true(isfinite(p) && p > 1e18);
	assert_true(isfinite(w) && w > 1e36);
	struct mc_fixture fx = {0};
	assert_int_equal(mc_setup(&fx, &model_linear_ops, cfg_of(4, 6, NAN), LABELS_GAUSSIAN, 2),
			 0);
	assert_int_equal(fx.m->nlayers, 1);
	assert_string_equal(fx.m->layer[0].name, "theta");
	assert_int_equal(fx.m->layer[0].len, 6);
	mc_teardown(&fx);
}

int main(void)
{
	gsl_set_error_handler_off();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_linear_derivatives),
	    cmocka_unit_test(test_glm_derivatives_gamma01),
	    cmocka_unit_test(test_glm_derivatives_gamma05),
	    cmocka_unit_test(test_linear_rows_jacobian),
	    cmocka_unit_test(test_glm_rows_jacobian),
	    cmocka_unit_test(test_forward_values),
	    cmocka_unit_test(test_linear_closest),
	    cmocka_unit_test(test_linear_closest_tall),
	    cmocka_unit_test(test_linear_closest_rank_deficient),
	    cmocka_unit_test(test_glm_closest),
	    cmocka_unit_test(test_glm_closest_tall_refused),
	    cmocka_unit_test(test_glm_rejects_gamma),
	    cmocka_unit_test(test_theory_eta),
	    cmocka_unit_test(test_align_min),
	    cmocka_unit_test(test_align_max),
	    cmocka_unit_test(test_sizes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
