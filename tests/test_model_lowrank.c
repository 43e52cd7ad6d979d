/* test_model_lowrank.c — unit tests for the low-rank regression model (src/model_lowrank.c):
 * forward against the formula, derivatives and the Gram matrix against finite differences,
 * Theorem 4.2's initialisation and step size, and the singular-value extras. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort_vector.h>
#include <gsl/gsl_vector.h>

#include "gdpath/data.h"
#include "gdpath/model.h"
#include "model_check.h"

static struct model_cfg cfg_of(size_t n, size_t d, size_t r)
{
	return (struct model_cfg){.n = n, .d = d, .r = r, .act = -1, .gamma = NAN};
}

static double norm2(const double *x, size_t len)
{
	double s = 0;
	for (size_t i = 0; i < len; i++)
		s += x[i] * x[i];
	return sqrt(s);
}

/* Singular values of the d × r row-major Θ, largest first, into s (r). */
static void singular_values(const double *theta, size_t d, size_t r, double *s)
{
	gsl_matrix *A = gsl_matrix_alloc(d, r), *V = gsl_matrix_alloc(r, r);
	gsl_vector *S = gsl_vector_alloc(r);
	memcpy(A->data, theta, d * r * sizeof(double));
	/* One-sided Jacobi: a different algorithm from the model's Golub–Reinsch. */
	assert_int_equal(gsl_linalg_SV_decomp_jacobi(A, V, S), GSL_SUCCESS);
	gsl_sort_vector(S);
	for (size_t j = 0; j < r; j++)
		s[j] = gsl_vector_get(S, r - 1 - j);
	gsl_matrix_free(A);
	gsl_matrix_free(V);
	gsl_vector_free(S);
}

static void test_forward_values(void **state)
{
	(void)state;
	struct mc_fixture fx = {0};
	assert_int_equal(
	    mc_setup(&fx, &model_lowrank_ops, cfg_of(7, 6, 2), LABELS_RADEMACHER, 1), 0);
	size_t n = 7, d = 6, r = 2;
	double f[7];
	fx.m->ops->forward(fx.m, fx.theta, f);
	for (size_t i = 0; i < n; i++) {
		/* ⟨X_i, ΘΘᵀ⟩ = Σ_ab X_i[a][b] Σ_k Θ[a][k] Θ[b][k] */
		double s = 0;
		for (size_t a = 0; a < d; a++)
			for (size_t b = 0; b < d; b++) {
				double m = 0;
				for (size_t k = 0; k < r; k++)
					m += fx.theta[a * r + k] * fx.theta[b * r + k];
				s += fx.ds->X[i * d * d + a * d + b] * m;
			}
		assert_true(fabs(f[i] - s) <= 1e-12 * (1 + fabs(s)));
	}
	mc_teardown(&fx);
}

static void test_derivatives(void **state)
{
	(void)state;
	struct mc_fixture fx = {0};
	assert_int_equal(
	    mc_setup(&fx, &model_lowrank_ops, cfg_of(10, 8, 2), LABELS_RADEMACHER, 2), 0);
	for (size_t j = 0; j < fx.m->p; j++)
		fx.theta[j] = gsl_ran_gaussian(fx.rng, 1.0);
	size_t rows[] = {0, 2, 5, 9};
	assert_true(mc_vjp_error(fx.m, fx.theta, NULL, 0, fx.rng) < 1e-6);
	assert_true(mc_vjp_error(fx.m, fx.theta, rows, 4, fx.rng) < 1e-6);
	assert_true(mc_jvp_error(fx.m, fx.theta, fx.rng) < 1e-6);
	assert_true(mc_gram_error(fx.m, fx.theta) < 1e-6);
	mc_teardown(&fx);
}

/* A subset of rows ignores u elsewhere; rank one works too. */
static void test_vjp_rows_ignore_rest(void **state)
{
	(void)state;
	struct mc_fixture fx = {0};
	assert_int_equal(
	    mc_setup(&fx, &model_lowrank_ops, cfg_of(6, 5, 1), LABELS_RADEMACHER, 3), 0);
	size_t n = 6, p = fx.m->p;
	double u[6], um[6] = {0}, f[6], g1[5], g2[5];
	size_t rows[] = {4, 1};
	for (size_t i = 0; i < n; i++)
		u[i] = gsl_ran_gaussian(fx.rng, 1.0);
	um[1] = u[1];
	um[4] = u[4];
	fx.m->ops->forward(fx.m, fx.theta, f);
	fx.m->ops->vjp(fx.m, fx.theta, u, rows, 2, g1);
	fx.m->ops->vjp(fx.m, fx.theta, um, NULL, 0, g2);
	assert_true(norm2(g2, p) > 0);
	assert_true(mc_relerr(g1, g2, p) < 1e-12);
	assert_true(mc_vjp_error(fx.m, fx.theta, NULL, 0, fx.rng) < 1e-6);
	mc_teardown(&fx);
}

/* Θ0's singular values lie in [√‖y‖/(rn)^{1/4}, 2√‖y‖/(rn)^{1/4}] ([OS19] Thm 4.2), and
 * extras() reports them. */
static void test_init_and_extras(void **state)
{
	(void)state;
	const size_t n = 12, d = 9, r = 3;
	struct mc_fixture fx = {0};
	assert_int_equal(
	    mc_setup(&fx, &model_lowrank_ops, cfg_of(n, d, r), LABELS_RADEMACHER, 4), 0);
	double a = sqrt(norm2(fx.ds->y, n)) / pow((double)(r * n), 0.25);
	double s[3];
	singular_values(fx.theta, d, r, s);
	for (size_t j = 0; j < r; j++) {
		assert_true(s[j] >= a * (1 - 1e-12));
		assert_true(s[j] <= 2 * a * (1 + 1e-12));
	}
	/* Θ0 is not a trivially structured matrix: it has no zero row. */
	for (size_t i = 0; i < d; i++)
		assert_true(norm2(fx.theta + i * r, r) > 0);

	const char *names[MODEL_MAX_EXTRAS];
	double vals[MODEL_MAX_EXTRAS];
	assert_int_equal(fx.m->ops->extras(fx.m, fx.theta, fx.theta, names, NULL), r);
	assert_int_equal(fx.m->ops->extras(fx.m, fx.theta, fx.theta, names, vals), r);
	assert_string_equal(names[0], "sv1");
	assert_string_equal(names[2], "sv3");
	for (size_t j = 0; j < r; j++)
		assert_true(fabs(vals[j] - s[j]) <= 1e-12 * s[0]);
	/* Over many draws the singular values stay inside and fill the interval. */
	double t1 = fx.theta[0], lo = INFINITY, hi = 0;
	for (int k = 0; k < 60; k++) {
		fx.m->ops->init(fx.m, fx.rng, fx.theta);
		singular_values(fx.theta, d, r, s);
		assert_true(s[r - 1] >= a * (1 - 1e-12));
		assert_true(s[0] <= 2 * a * (1 + 1e-12));
		lo = fmin(lo, s[r - 1]);
		hi = fmax(hi, s[0]);
	}
	assert_true(fx.theta[0] != t1);
	assert_true(lo < 1.1 * a);
	assert_true(hi > 1.9 * a);
	mc_teardown(&fx);
}

static void test_extras_capped(void **state)
{
	(void)state;
	struct mc_fixture fx = {0};
	assert_int_equal(
	    mc_setup(&fx, &model_lowrank_ops, cfg_of(3, 20, 18), LABELS_RADEMACHER, 5), 0);
	const char *names[MODEL_MAX_EXTRAS];
	double vals[MODEL_MAX_EXTRAS];
	assert_int_equal(fx.m->ops->extras(fx.m, fx.theta, fx.theta, names, vals),
			 MODEL_MAX_EXTRAS);
	assert_string_equal(names[15], "sv16");
	for (size_t j = 1; j < MODEL_MAX_EXTRAS; j++)
		assert_true(vals[j] <= vals[j - 1]);
	mc_teardown(&fx);
}

static void test_theory_eta(void **state)
{
	(void)state;
	const size_t n = 10, d = 8, r = 2;
	struct mc_fixture fx = {0};
	assert_int_equal(
	    mc_setup(&fx, &model_lowrank_ops, cfg_of(n, d, r), LABELS_RADEMACHER, 6), 0);
	/* Rademacher labels: ‖y‖ = √n. */
	double want = sqrt((double)n) / ((double)(r * r * d) * sqrt((double)n));
	assert_true(fabs(fx.m->ops->theory_eta(fx.m, fx.theta) / want - 1) < 1e-12);
	fx.ds->y[0] = 3.0;
	want = sqrt((double)n) / ((double)(r * r * d) * norm2(fx.ds->y, n));
	assert_true(fabs(fx.m->ops->theory_eta(fx.m, fx.theta) / want - 1) < 1e-12);
	mc_teardown(&fx);
}

static void test_setup_and_sizes(void **state)
{
	(void)state;
	struct model_cfg c = cfg_of(0, 0, 0);
	model_cfg_fill(&model_lowrank_ops, &c);
	assert_int_equal(c.d, 100);
	assert_int_equal(c.r, 4);
	assert_int_equal(c.n, 50);
	assert_int_equal(model_lowrank_ops.default_labels, LABELS_RADEMACHER);
	assert_int_equal(model_lowrank_ops.features(&c), 10000);
	assert_true(model_lowrank_ops.nparams(&c) == 400);
	c.d = SIZE_MAX / 2;
	c.r = SIZE_MAX / 4;
	assert_int_equal(model_lowrank_ops.features(&c), SIZE_MAX);
	assert_true(isfinite(model_lowrank_ops.nparams(&c)));
	assert_true(isfinite(model_lowrank_ops.work_bytes(&c)));

	/* r > d is refused with a reason. */
	c = cfg_of(4, 3, 5);
	struct dataset *ds = data_new(4, 9);
	char *cause = NULL;
	assert_null(model_new(&model_lowrank_ops, &c, ds, &cause));
	assert_non_null(cause);
	assert_non_null(strstr(cause, "rank"));
	free(cause);
	data_free(ds);

	struct mc_fixture fx = {0};
	assert_int_equal(
	    mc_setup(&fx, &model_lowrank_ops, cfg_of(4, 5, 2), LABELS_RADEMACHER, 7), 0);
	assert_int_equal(fx.m->p, 10);
	assert_string_equal(fx.m->layer[0].name, "Theta");
	assert_null(fx.m->ops->closest);
	mc_teardown(&fx);
}

int main(void)
{
	gsl_set_error_handler_off();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_forward_values),   cmocka_unit_test(test_derivatives),
	    cmocka_unit_test(test_vjp_rows_ignore_rest), cmocka_unit_test(test_init_and_extras),
	    cmocka_unit_test(test_extras_capped),    cmocka_unit_test(test_theory_eta),
	    cmocka_unit_test(test_setup_and_sizes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
