/* test_act.c — activations: derivatives against central differences, names, the sup of
 * |φ_γ'|, and the stability of softplus and sigmoid far from 0. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gdpath/act.h"

/* |a − b| ≤ tol in double precision (cmocka 1.1's float assertions round to float). */
#define assert_close(a, b, tol) check_close((a), (b), (tol), #a, __FILE__, __LINE__)

static void check_close(double a, double b, double tol, const char *what, const char *file,
			int line)
{
	if (!(fabs(a - b) <= tol)) {
		print_error("%s:%d: %s = %.17g, expected %.17g (tolerance %g)\n", file, line, what,
			    a, b, tol);
		fail();
	}
}

static const double gammas[] = {0.0, 0.3, 1.0};

/* φ_γ' against (φ_γ(z + h) − φ_γ(z − h)) / 2h on a grid over [−8, 8], away from the kink
 * of relu and leaky at 0. */
static void test_derivatives(void **state)
{
	(void)state;
	const double h = 1e-5;
	for (int kind = 0; kind < ACT_COUNT; kind++)
		for (size_t g = 0; g < sizeof gammas / sizeof gammas[0]; g++) {
			double worst = 0;
			int checked = 0;
			for (int s = -800; s <= 800; s++) {
				double z = s / 100.0 + 0.00371; /* off the grid of round numbers */
				if (act_is_relu_like(kind) && fabs(z) < 10 * h)
					continue;
				double fd = (act_f(kind, gammas[g], z + h) -
					     act_f(kind, gammas[g], z - h)) /
					    (2 * h);
				double an = act_df(kind, gammas[g], z);
				double err = fabs(an - fd) / fmax(1.0, fabs(fd));
				worst = fmax(worst, err);
				checked++;
			}
			if (worst > 1e-7)
				print_error("%s, gamma %g: derivative error %g\n", act_name(kind),
					    gammas[g], worst);
			assert_true(checked > 1500);
			assert_true(worst <= 1e-7);
		}
}

static void test_values(void **state)
{
	(void)state;
	assert_close(act_f(ACT_RELU, 0, -2), 0, 0);
	assert_close(act_f(ACT_RELU, 0, 3), 3, 0);
	assert_close(act_f(ACT_LEAKY, 0, -2), -0.2, 1e-15);
	assert_close(act_df(ACT_LEAKY, 0, -2), 0.1, 1e-15);
	assert_close(act_f(ACT_QUADRATIC, 0, -3), 9, 0);
	assert_close(act_f(ACT_LINEAR, 0, -3), -3, 0);
	assert_close(act_f(ACT_SOFTPLUS, 0, 0), log(2.0), 1e-15);
	assert_close(act_f(ACT_SIGMOID, 0, 0), 0.5, 1e-15);
	/* [Du18]'s convention ReLU'(0) = 1{0 ≥ 0} = 1. */
	assert_close(act_df(ACT_RELU, 0, 0), 1, 0);
	assert_close(act_df(ACT_LEAKY, 0, 0), 1, 0);
	/* The linear part of [OS19] Thm 4.3. */
	assert_close(act_f(ACT_RELU, 0.25, -4), -1, 1e-15);
	assert_close(act_df(ACT_RELU, 0.25, -4), 0.25, 1e-15);
	assert_close(act_f(ACT_TANH, 1, 0.7), 0.7, 1e-15);
}

/* softplus and sigmoid must neither overflow nor lose the tiny values for very negative z. */
static void test_stability(void **state)
{
	(void)state;
	assert_close(act_f(ACT_SOFTPLUS, 0, 1000), 1000, 1e-12);
	assert_close(act_df(ACT_SOFTPLUS, 0, 1000), 1, 0);
	double tiny = act_f(ACT_SOFTPLUS, 0, -700);
	assert_true(tiny > 0 && isfinite(tiny));
	assert_true(fabs(tiny / exp(-700.0) - 1) < 1e-12);
	assert_true(fabs(act_f(ACT_SOFTPLUS, 0, -40) / exp(-40.0) - 1) < 1e-12);
	assert_true(fabs(act_f(ACT_SOFTPLUS, 0, 40) - 40) < 1e-15 * 40 + 1e-17);
	double s = act_f(ACT_SIGMOID, 0, -700);
	assert_true(s > 0 && fabs(s / exp(-700.0) - 1) < 1e-12);
	assert_close(act_f(ACT_SIGMOID, 0, 1000), 1, 0);
	assert_false(isnan(act_df(ACT_SIGMOID, 0, -1000)));
	assert_false(isnan(act_df(ACT_SOFTPLUS, 0, -1000)));
	assert_false(isnan(act_df(ACT_TANH, 0, 1000)));
}

/* act_eval is act_f and act_df over an array, to the bit, for every kind and γ, at lengths
 * that leave every SIMD remainder, and with the awkward values (±0, ±∞, NaN, subnormal
 * results). */
static void test_eval_matches_scalar(void **state)
{
	(void)state;
	enum { N = 1037 };
	static double z[N], f[N], df[N];
	for (int i = 0; i < N; i++)
		z[i] = (i - N / 2) * 0.0371 + 1e-3 * sin(i);
	z[0] = 0.0;
	z[1] = -0.0;
	z[2] = INFINITY;
	z[3] = -INFINITY;
	z[4] = -745.0;
	z[5] = -700.5;
	z[6] = 1e-300;
	z[7] = -1e-12;
	for (int kind = 0; kind < ACT_COUNT; kind++)
		for (size_t g = 0; g < sizeof gammas / sizeof gammas[0]; g++)
			for (size_t len = N - 8; len <= N; len++) {
				act_eval(kind, gammas[g], z, len, f, df);
				for (size_t i = 0; i < len; i++) {
					double a = act_f(kind, gammas[g], z[i]),
					       b = act_df(kind, gammas[g], z[i]);
					if (memcmp(&a, &f[i], sizeof a) != 0 ||
					    memcmp(&b, &df[i], sizeof b) != 0) {
						print_error("%s gamma %g z %.17g: %.17g %.17g vs %.17g %.17g\n",
							    act_name(kind), gammas[g], z[i], f[i], df[i], a, b);
						fail();
					}
				}
			}
	z[8] = NAN;
	act_eval(ACT_SOFTPLUS, 0, z, 9, f, df);
	assert_true(isnan(f[8]) && isnan(df[8]));
}

/* Distance in units in the last place of the reference. */
static double ulps(double got, double want)
{
	if (got == want)
		return 0;
	double u = nextafter(fabs(want), INFINITY) - fabs(want);
	return fabs(got - want) / u;
}

/* The own exp/expm1/log1p against glibc: softplus, σ and tanh within 4 ulp, σ' and tanh'
 * within 8 ulp of accurate formulas (e/(1 + e)², 1/cosh²), over [−40, 40]. */
static void test_eval_accuracy(void **state)
{
	(void)state;
	double w[5] = {0};
	for (int i = -400000; i <= 400000; i++) {
		double z = i * 1e-4 + 1e-9 * (i % 7);
		double e = exp(-fabs(z)), sg = z >= 0 ? 1 / (1 + e) : e / (1 + e);
		double want[5] = {fmax(z, 0) + log1p(e), sg, e / ((1 + e) * (1 + e)), tanh(z),
				  1 / (cosh(z) * cosh(z))};
		double got[5] = {act_f(ACT_SOFTPLUS, 0, z), act_f(ACT_SIGMOID, 0, z),
				 act_df(ACT_SIGMOID, 0, z), act_f(ACT_TANH, 0, z),
				 act_df(ACT_TANH, 0, z)};
		for (int k = 0; k < 5; k++)
			w[k] = fmax(w[k], ulps(got[k], want[k]));
	}
	print_message("worst ulp: softplus %g, sigmoid %g, sigmoid' %g, tanh %g, tanh' %g\n", w[0],
		      w[1], w[2], w[3], w[4]);
	assert_true(w[0] <= 4 && w[1] <= 4 && w[3] <= 4);
	assert_true(w[2] <= 8 && w[4] <= 8);
	assert_true(act_df(ACT_SOFTPLUS, 0, 0.0) == 0.5);
	assert_true(act_f(ACT_TANH, 0, 0.0) == 0.0 && !signbit(act_f(ACT_TANH, 0, 0.0)));
	assert_true(signbit(act_f(ACT_TANH, 0, -0.0)));
}

static void test_names(void **state)
{
	(void)state;
	static const char *const want[ACT_COUNT] = {"softplus", "relu",      "leaky", "tanh",
						    "sigmoid",  "quadratic", "linear"};
	for (int kind = 0; kind < ACT_COUNT; kind++) {
		assert_string_equal(act_name(kind), want[kind]);
		assert_int_equal(act_lookup(act_name(kind)), kind);
	}
	assert_int_equal(act_lookup("swish"), -1);
	assert_int_equal(act_lookup(""), -1);
	assert_int_equal(act_lookup("RELU"), -1);
	assert_string_equal(act_name(-1), "?");
	assert_string_equal(act_name(ACT_COUNT), "?");
	assert_true(act_is_relu_like(ACT_RELU));
	assert_true(act_is_relu_like(ACT_LEAKY));
	assert_false(act_is_relu_like(ACT_SOFTPLUS));
	assert_false(act_is_relu_like(ACT_LINEAR));
}

/* act_dmax is sup |φ_γ'|: known values, never below a sampled |φ_γ'|, and approached. */
static void test_dmax(void **state)
{
	(void)state;
	assert_close(act_dmax(ACT_SOFTPLUS, 0), 1, 1e-15);
	assert_close(act_dmax(ACT_RELU, 0), 1, 1e-15);
	assert_close(act_dmax(ACT_LEAKY, 0), 1, 1e-15);
	assert_close(act_dmax(ACT_TANH, 0), 1, 1e-15);
	assert_close(act_dmax(ACT_SIGMOID, 0), 0.25, 1e-15);
	assert_close(act_dmax(ACT_SIGMOID, 0.5), 0.625, 1e-15);
	assert_close(act_dmax(ACT_LINEAR, 0.3), 1, 1e-15);
	assert_true(isinf(act_dmax(ACT_QUADRATIC, 0)));
	assert_true(isinf(act_dmax(ACT_QUADRATIC, 0.5)));
	for (int kind = 0; kind < ACT_COUNT; kind++) {
		if (kind == ACT_QUADRATIC)
			continue;
		for (size_t g = 0; g < sizeof gammas / sizeof gammas[0]; g++) {
			double B = act_dmax(kind, gammas[g]), seen = 0;
			for (int s = -4000; s <= 4000; s++)
				seen = fmax(seen, fabs(act_df(kind, gammas[g], s / 100.0)));
			assert_true(seen <= B + 1e-15);
			assert_true(seen >= 0.999 * B);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_derivatives), cmocka_unit_test(test_values),
	    cmocka_unit_test(test_stability),   cmocka_unit_test(test_names),
	    cmocka_unit_test(test_dmax),        cmocka_unit_test(test_eval_matches_scalar),
	    cmocka_unit_test(test_eval_accuracy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
