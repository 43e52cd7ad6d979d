/* test_model_du.c — the [Du18] two-layer ReLU net: gradients against finite differences,
 * H(θ) against J Jᵀ, λ0 = λ_min(H∞) against an independent computation, Lemma 3.1's
 * concentration of H(0) around H∞ at large width, and the live extras. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "gdpath/util.h"
#include "model_check.h"

#define TOL 1e-6
#define PI 3.14159265358979323846

static struct model_cfg cfg_for(size_t n, size_t d, size_t m)
{
	return (struct model_cfg){.n = n, .d = d, .k = m, .act = -1, .gamma = NAN};
}

/* min |w_rᵀx_i|: finite differences of ReLU are honest only away from the kink. */
static double kink_margin(const struct model *m, const double *theta)
{
	size_t n = m->n, d = m->cfg.d, w = m->cfg.k;
	double best = INFINITY;
	for (size_t r = 0; r < w; r++)
		for (size_t i = 0; i < n; i++) {
			double z = 0;
			for (size_t j = 0; j < d; j++)
				z += theta[r * d + j] * m->data->X[i * d + j];
			best = fmin(best, fabs(z));
		}
	return best;
}

static void test_grads(void **state)
{
	(void)state;
	static const size_t rows[] = {0, 3, 7, 9, 2};
	for (unsigned long seed = 1; seed <= 3; seed++) {
		struct mc_fixture fx = {0};
		assert_int_equal(mc_setup(&fx, &model_du_ops, cfg_for(10, 6, 40), LABELS_GAUSSIAN,
					  seed),
				 0);
		assert_true(kink_margin(fx.m, fx.theta) > 1e-4);
		double e_all = mc_vjp_error(fx.m, fx.theta, NULL, 0, fx.rng);
		double e_sub = mc_vjp_error(fx.m, fx.theta, rows, 5, fx.rng);
		double e_one = mc_vjp_error(fx.m, fx.theta, rows + 1, 1, fx.rng);
		double e_jvp = mc_jvp_error(fx.m, fx.theta, fx.rng);
		if (e_all > TOL || e_sub > TOL || e_one > TOL || e_jvp > TOL)
			print_error("seed %lu: vjp %g, subset %g, one %g, jvp %g\n", seed, e_all,
				    e_sub, e_one, e_jvp);
		assert_true(e_all < TOL);
		assert_true(e_sub < TOL);
		assert_true(e_one < TOL);
		assert_true(e_jvp < TOL);
		mc_teardown(&fx);
	}
}

/* f(x) = (1/√m) Σ_r a_r ReLU(w_rᵀx) with a_r = +1 for even r, −1 for odd r. */
static void test_forward_formula(void **state)
{
	(void)state;
	struct mc_fixture fx = {0};
	assert_int_equal(mc_setup(&fx, &model_du_ops, cfg_for(6, 4, 9), LABELS_GAUSSIAN, 5), 0);
	double f[6];
	fx.m->ops->forward(fx.m, fx.theta, f);
	for (size_t i = 0; i < 6; i++) {
		double want = 0;
		for (size_t r = 0; r < 9; r++) {
			double z = 0;
			for (size_t j = 0; j < 4; j++)
				z += fx.theta[r * 4 + j] * fx.ds->X[i * 4 + j];
			want += (r % 2 ? -1.0 : 1.0) * fmax(z, 0.0);
		}
		want /= 3.0;
		assert_true(fabs(f[i] - want) <= 1e-13 * (1 + fabs(want)));
	}
	mc_teardown(&fx);
}

static void test_gram(void **state)
{
	(void)state;
	struct mc_fixture fx = {0};
	assert_int_equal(mc_setup(&fx, &model_du_ops, cfg_for(8, 5, 30), LABELS_GAUSSIAN, 7), 0);
	assert_true(kink_margin(fx.m, fx.theta) > 1e-4);
	double err = mc_gram_error(fx.m, fx.theta);
	if (err > TOL)
		print_error("gram error %g\n", err);
	assert_true(err < TOL);
	mc_teardown(&fx);
}

/* H∞ computed independently: the angle between x_i and x_j by atan2 (not arccos), then
 * x_iᵀx_j (π − angle) / (2π) ([Du18] Thm 3.1, the arc-cosine kernel). */
static void hinf(const struct dataset *ds, gsl_matrix *H)
{
	size_t n = ds->n, d = ds->nfeat;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			const double *a = ds->X + i * d, *b = ds->X + j * d;
			double dot = 0, cross2 = 0;
			for (size_t s = 0; s < d; s++)
				dot += a[s] * b[s];
			/* ‖a‖²‖b‖² − (a·b)² = ‖a ∧ b‖², by Lagrange's identity over pairs */
			for (size_t s = 0; s < d; s++)
				for (size_t t = s + 1; t < d; t++) {
					double c = a[s] * b[t] - a[t] * b[s];
					cross2 += c * c;
				}
			double angle = atan2(sqrt(cross2), dot);
			gsl_matrix_set(H, i, j, dot * (PI - angle) / (2 * PI));
		}
}

/* λ_min of a symmetric positive semidefinite matrix as its smallest singular value (SVD,
 * not the symmetric eigensolver the model uses). */
static double psd_min_eig(const gsl_matrix *H)
{
	size_t n = H->size1;
	gsl_matrix *A = gsl_matrix_alloc(n, n), *V = gsl_matrix_alloc(n, n);
	gsl_vector *s = gsl_vector_alloc(n), *w = gsl_vector_alloc(n);
	gsl_matrix_memcpy(A, H);
	assert_int_equal(gsl_linalg_SV_decomp(A, V, s, w), 0);
	double mn = gsl_vector_get(s, n - 1);
	gsl_matrix_free(A);
	gsl_matrix_free(V);
	gsl_vector_free(s);
	gsl_vector_free(w);
	return mn;
}

/* ‖A‖₂ of a symmetric matrix: the largest |eigenvalue|. */
static double sym_norm(const gsl_matrix *A0)
{
	size_t n = A0->size1;
	gsl_matrix *A = gsl_matrix_alloc(n, n);
	gsl_vector *ev = gsl_vector_alloc(n);
	gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(n);
	gsl_matrix_memcpy(A, A0);
	assert_int_equal(gsl_eigen_symm(A, ev, w), 0);
	double mx = fmax(fabs(gsl_vector_min(ev)), fabs(gsl_vector_max(ev)));
	gsl_matrix_free(A);
	gsl_vector_free(ev);
	gsl_eigen_symm_free(w);
	return mx;
}

static double extra(struct model *m, const double *theta, const double *theta0,
		    const char *name)
{
	const char *names[MODEL_MAX_EXTRAS];
	double vals[MODEL_MAX_EXTRAS];
	size_t cnt = m->ops->extras(m, theta, theta0, names, vals);
	for (size_t j = 0; j < cnt; j++)
		if (strcmp(names[j], name) == 0)
			return vals[j];
	fail_msg("no extra called %s", name);
	return NAN;
}

static void test_lambda0(void **state)
{
	(void)state;
	for (unsigned long seed = 1; seed <= 3; seed++) {
		struct mc_fixture fx = {0};
		assert_int_equal(mc_setup(&fx, &model_du_ops, cfg_for(20, 10, 50), LABELS_GAUSSIAN,
					  seed),
				 0);
		gsl_matrix *H = gsl_matrix_alloc(20, 20);
		hinf(fx.ds, H);
		for (size_t i = 0; i < 20; i++)
			assert_true(fabs(gsl_matrix_get(H, i, i) - 0.5) < 1e-12);
		double want = psd_min_eig(H), got = extra(fx.m, fx.theta, fx.theta, "lambda0");
		assert_true(want > 0);
		assert_true(fabs(got - want) <= 1e-12 * want);
		gsl_matrix_free(H);
		mc_teardown(&fx);
	}
}

/* What Lemma 3.1 needs from one seed and width m. */
struct h0 {
	double dev;     /* ‖H(0) − H∞‖₂ */
	double lambda0; /* λ_min(H∞) */
	double h0min;   /* λ_min(H(0)) */
	double K;       /* ‖X‖² = ‖X Xᵀ‖₂ */
	double hnorm;   /* ‖H∞‖₂ */
};

static struct h0 h0_deviation(size_t m, unsigned long seed)
{
	const size_t n = 20, d = 10;
	struct h0 out;
	struct mc_fixture fx = {0};
	assert_int_equal(mc_setup(&fx, &model_du_ops, cfg_for(n, d, m), LABELS_GAUSSIAN, seed), 0);
	gsl_matrix *H = gsl_matrix_alloc(n, n), *G = gsl_matrix_alloc(n, n);
	gsl_matrix *XXt = gsl_matrix_alloc(n, n);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			double s = 0;
			for (size_t t = 0; t < d; t++)
				s += fx.ds->X[i * d + t] * fx.ds->X[j * d + t];
			gsl_matrix_set(XXt, i, j, s);
		}
	out.K = sym_norm(XXt);
	hinf(fx.ds, H);
	out.lambda0 = psd_min_eig(H);
	out.hnorm = sym_norm(H);
	assert_int_equal(model_gram(fx.m, fx.theta, G->data, NULL), 0);
	out.h0min = psd_min_eig(G);
	gsl_matrix_sub(G, H);
	out.dev = sym_norm(G);
	gsl_matrix_free(H);
	gsl_matrix_free(G);
	gsl_matrix_free(XXt);
	mc_teardown(&fx);
	return out;
}

/* [Du18] Lemma 3.1 (proof in App. A) bounds ‖H(0) − H∞‖ by concentration of the average
 * H(0) = (1/m) Σ_r Z_r, Z_r = D_r X Xᵀ D_r, D_r = diag(1{w_rᵀx_i ≥ 0}), E Z_r = H∞. The paper
 * uses entrywise Hoeffding; the matrix Bernstein inequality (Tropp 2012, Thm 1.4) is sharper
 * and as rigorous: Y_r = (Z_r − H∞)/m has ‖Y_r‖ ≤ K/m with K = ‖X‖² (Z_r, H∞ ⪰ 0, norms ≤ K)
 * and Σ E Y_r² ⪯ (1/m) E Z_r² ⪯ (K/m) H∞, so with probability ≥ 1 − δ
 * ‖H(0) − H∞‖ ≤ Lℓ/3 + √((Lℓ/3)² + 2vℓ), L = K/m, v = K‖H∞‖/m, ℓ = log(2n/δ). */
static double bernstein_bound(const struct h0 *h, size_t n, size_t m, double delta)
{
	double L = h->K / (double)m, v = h->K * h->hnorm / (double)m;
	double l = log(2.0 * (double)n / delta);
	return L * l / 3 + sqrt(L * l / 3 * (L * l / 3) + 2 * v * l);
}

static void test_lemma31(void **state)
{
	(void)state;
	for (unsigned long seed = 1; seed <= 3; seed++) {
		struct h0 wide = h0_deviation(20000, seed);
		double bound = bernstein_bound(&wide, 20, 20000, 1e-3); /* ≈ 0.08 */
		if (wide.dev > bound)
			print_error("m = 20000: |H(0) - Hinf| = %g > %g\n", wide.dev, bound);
		assert_true(wide.dev <= bound);
		/* Lemma 3.1's conclusion, λ_min(H(0)) ≥ ¾λ0 (its m = Ω(n²/λ0² log²(n/δ)) has an
		 * unstated constant; here ‖H(0) − H∞‖ ≈ 0.012 < λ0/4 ≈ 0.03). */
		assert_true(wide.h0min >= 0.75 * wide.lambda0);
		/* The same bound is not met by a narrow net (m = 10 on the same data): the
		 * assertion above has teeth. */
		struct h0 narrow = h0_deviation(10, seed);
		if (narrow.dev <= bound)
			print_error("m = 10: |H(0) - Hinf| = %g <= %g\n", narrow.dev, bound);
		assert_true(narrow.dev > bound);
	}
}

static void test_extras(void **state)
{
	(void)state;
	struct mc_fixture fx = {0};
	assert_int_equal(mc_setup(&fx, &model_du_ops, cfg_for(12, 5, 60), LABELS_GAUSSIAN, 4), 0);
	struct model *m = fx.m;
	size_t n = m->n, p = m->p, d = 5;
	static const char *const want[] = {"flips", "max_move", "R_prime", "lambda0"};
	const char *names[MODEL_MAX_EXTRAS];
	double vals[MODEL_MAX_EXTRAS];
	assert_int_equal(m->ops->extras(m, fx.theta, fx.theta, names, NULL), 4);
	for (size_t j = 0; j < 4; j++)
		assert_string_equal(names[j], want[j]);
	assert_int_equal(m->ops->extras(m, fx.theta, fx.theta, names, vals), 4);
	assert_true(vals[0] == 0.0);
	assert_true(vals[1] == 0.0);
	/* R' = 4√n‖y − u(0)‖/(√m λ0), [Du18] Cor. 4.1. */
	double *u0 = malloc(n * sizeof(double));
	m->ops->forward(m, fx.theta, u0);
	double rp = 4 * sqrt((double)n) * vec_dist(fx.ds->y, u0, n) / (sqrt(60.0) * vals[3]);
	assert_true(vals[2] > 0 && fabs(vals[2] - rp) <= 1e-12 * rp);

	/* Perturb: some patterns flip, and max_move is the largest row distance. */
	double *theta = malloc(p * sizeof(double));
	double best = 0;
	for (size_t r = 0; r < 60; r++) {
		double s = 0;
		for (size_t j = 0; j < d; j++) {
			double e = gsl_ran_gaussian(fx.rng, 0.5);
			theta[r * d + j] = fx.theta[r * d + j] + e;
			s += e * e;
		}
		best = fmax(best, sqrt(s));
	}
	m->ops->extras(m, theta, fx.theta, names, vals);
	assert_true(vals[0] > 0 && vals[0] < 1);
	assert_true(fabs(vals[1] - best) <= 1e-12 * best);
	assert_true(fabs(vals[2] - rp) <= 1e-12 * rp); /* R' depends on θ0 only */
	/* Flips counted directly. */
	size_t flips = 0;
	for (size_t r = 0; r < 60; r++)
		for (size_t i = 0; i < n; i++) {
			double z = 0, z0 = 0;
			for (size_t j = 0; j < d; j++) {
				z += theta[r * d + j] * fx.ds->X[i * d + j];
				z0 += fx.theta[r * d + j] * fx.ds->X[i * d + j];
			}
			flips += (z >= 0) != (z0 >= 0);
		}
	assert_true(flips > 0);
	assert_true(fabs(vals[0] - (double)flips / (60.0 * (double)n)) < 1e-15);

	/* extras() between forward() and vjp() leaves forward's cache alone. */
	double *u = malloc(n * sizeof(double)), *g1 = malloc(p * sizeof(double)),
	       *g2 = malloc(p * sizeof(double));
	for (size_t i = 0; i < n; i++)
		u[i] = gsl_ran_gaussian(fx.rng, 1.0);
	m->ops->forward(m, fx.theta, u0);
	m->ops->vjp(m, fx.theta, u, NULL, 0, g1);
	m->ops->extras(m, theta, fx.theta, names, vals);
	m->ops->vjp(m, fx.theta, u, NULL, 0, g2);
	assert_true(mc_relerr(g2, g1, p) == 0.0);
	free(u);
	free(g1);
	free(g2);
	free(u0);
	free(theta);
	mc_teardown(&fx);
}

static void test_defaults_layers(void **state)
{
	(void)state;
	struct model_cfg cfg = {.act = -1, .gamma = NAN};
	model_cfg_fill(&model_du_ops, &cfg);
	assert_int_equal(cfg.n, 20);
	assert_int_equal(cfg.d, 10);
	assert_int_equal(cfg.k, 1000);
	assert_false(model_du_ops.has_act);
	assert_int_equal(model_du_ops.default_labels, LABELS_GAUSSIAN);
	assert_true(model_du_ops.nparams(&cfg) == 10000.0);
	struct mc_fixture fx = {0};
	assert_int_equal(mc_setup(&fx, &model_du_ops, cfg_for(7, 3, 11), LABELS_GAUSSIAN, 2), 0);
	assert_int_equal(fx.m->p, 33);
	assert_int_equal(fx.m->nlayers, 1);
	assert_string_equal(fx.m->layer[0].name, "W");
	assert_int_equal(fx.m->layer[0].off, 0);
	assert_int_equal(fx.m->layer[0].len, 33);
	assert_true(isnan(fx.m->ops->theory_eta(fx.m, fx.theta)));
	/* Inputs on the unit sphere. */
	for (size_t i = 0; i < 7; i++)
		assert_true(fabs(vec_norm(fx.ds->X + i * 3, 3) - 1) < 1e-12);
	mc_teardown(&fx);
	struct model_cfg huge = {.n = (size_t)1 << 40, .d = (size_t)1 << 40, .k = (size_t)1 << 40};
	assert_true(isfinite(model_du_ops.nparams(&huge)) && model_du_ops.nparams(&huge) > 1e24);
	assert_true(isfinite(model_du_ops.work_bytes(&huge)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_grads),   cmocka_unit_test(test_forward_formula),
	    cmocka_unit_test(test_gram),    cmocka_unit_test(test_lambda0),
	    cmocka_unit_test(test_lemma31), cmocka_unit_test(test_extras),
	    cmocka_unit_test(test_defaults_layers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
