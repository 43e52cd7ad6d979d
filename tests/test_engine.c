/* test_engine.c — whole runs against the papers' conclusions: Thm 2.4's tight examples,
 * the green region and the closest optimum for linear and GLM, the shallow net's
 * convergence and path bound, [Du18]'s pattern stability, optimizer identities,
 * bounded history and determinism. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "gdpath/act.h"
#include "gdpath/data.h"
#include "gdpath/run.h"
#include "gdpath/theory.h"
#include "gdpath/track.h"

static struct run *make(struct run_cfg *c)
{
	char *cause = NULL;
	int st = 0;
	struct run *r = run_new(c, &cause, &st);
	if (r == NULL)
		fail_msg("run_new: %s (status %d)", cause, st);
	return r;
}

static double relerr(double a, double b)
{
	return fabs(a - b) / fmax(fabs(b), 1e-300);
}

/* [OS19] Thm 2.4 (2.16)–(2.17): from θ0 = 0 with y along the σ_min (σ_max) left singular
 * vector, GD keeps misfit + α·distance (β·distance) equal to r0 at every step. */
static void tight_example(int labels, int use_beta)
{
	struct run_cfg c;
	run_cfg_default(&c);
	c.labels = labels;
	c.init = INIT_ZERO;
	c.mcfg.n = 20;
	c.mcfg.d = 60;
	c.eta_scale = labels == LABELS_ALIGN_MAX ? 0.05 : 1;
	struct run *r = make(&c);
	double r0 = r->th->r0, k = use_beta ? r->th->beta0 : r->th->alpha0;
	assert_true(r0 > 0 && k > 0);
	double worst = 0;
	for (int s = 0; s < 300; s++) {
		assert_int_equal(run_step(r), RUN_OK);
		double e = relerr(r->tr->cur.residual + k * r->tr->cur.distance, r0);
		worst = fmax(worst, e);
	}
	assert_true(worst < 1e-9);
	/* and it really moved: the misfit fell by orders of magnitude */
	assert_true(r->tr->cur.residual < 1e-3 * r0);
	run_free(r);
}

static void test_thm24_align_min(void **state)
{
	(void)state;
	tight_example(LABELS_ALIGN_MIN, 0);
}

static void test_thm24_align_max(void **state)
{
	(void)state;
	tight_example(LABELS_ALIGN_MAX, 1);
}

/* Generic linear / GLM runs: every step in the green region r0 − β̂d ≤ misfit ≤ r0 − α̂d
 * (for linear: (2.12) holds at every step for η ≤ 1/β²), and the run ends at ‖θ*−θ0‖. */
static void green_region_run(const struct model_ops *ops, long steps)
{
	struct run_cfg c;
	run_cfg_default(&c);
	c.ops = ops;
	c.mcfg.n = 20;
	c.mcfg.d = 100;
	c.seed = 7;
	struct run *r = make(&c);
	assert_true(r->th->have_star);
	double r0 = r->th->r0;
	for (long s = 0; s < steps; s++) {
		assert_int_equal(run_step(r), RUN_OK);
		double d = r->tr->cur.distance, m = r->tr->cur.residual;
		assert_true(m <= theory_green(r->th, d) + 1e-9 * r0);
		assert_true(m >= theory_red(r->th, d) - 1e-9 * r0);
	}
	assert_int_equal(r->th->outside, 0);
	assert_true(r->tr->cur.residual < 1e-9 * r0);
	assert_true(relerr(r->tr->cur.distance, r->th->star_dist) < 1e-6);
	run_free(r);
}

static void test_linear_green_region(void **state)
{
	(void)state;
	green_region_run(&model_linear_ops, 400);
}

static void test_glm_green_region(void **state)
{
	(void)state;
	green_region_run(&model_glm_ops, 12000);
}

/* α, β of the linear model are the extreme singular values of X (computed here
 * independently with GSL's SVD). */
static void test_linear_spectrum(void **state)
{
	(void)state;
	struct run_cfg c;
	run_cfg_default(&c);
	c.mcfg.n = 15;
	c.mcfg.d = 40;
	struct run *r = make(&c);
	size_t n = 15, d = 40;
	gsl_matrix *A = gsl_matrix_alloc(d, n), *V = gsl_matrix_alloc(n, n);
	gsl_vector *S = gsl_vector_alloc(n), *w = gsl_vector_alloc(n);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < d; j++)
			gsl_matrix_set(A, j, i, r->data->X[i * d + j]);
	assert_int_equal(gsl_linalg_SV_decomp(A, V, S, w), 0);
	assert_true(relerr(r->th->beta0, gsl_vector_get(S, 0)) < 1e-10);
	assert_true(relerr(r->th->alpha0, gsl_vector_get(S, n - 1)) < 1e-10);
	assert_true(relerr(r->th->eta_theory, 1 / (r->th->beta0 * r->th->beta0)) < 1e-10);
	gsl_matrix_free(A);
	gsl_matrix_free(V);
	gsl_vector_free(S);
	gsl_vector_free(w);
	run_free(r);
}

/* n > p: α = 0 and the theory says no guarantee applies. */
static void test_underparameterized_no_guarantee(void **state)
{
	(void)state;
	struct run_cfg c;
	run_cfg_default(&c);
	c.mcfg.n = 30;
	c.mcfg.d = 10;
	struct run *r = make(&c);
	assert_true(r->th->alpha0 == 0);
	assert_true(r->th->no_guarantee);
	assert_true(isinf(theory_dist_max(r->th)));
	run_free(r);
}

/* [OS19b] Sec. 4: softplus, n = 100, d = k = 20, η = 0.15 fits the data; the path stays
 * below (2.5)'s 4r0/α̂. */
static void test_shallow_softplus_converges(void **state)
{
	(void)state;
	struct run_cfg c;
	run_cfg_default(&c);
	c.ops = &model_shallow_ops;
	c.mcfg.act = ACT_SOFTPLUS;
	c.mcfg.n = 100;
	c.mcfg.d = 20;
	c.mcfg.k = 20;
	c.eta_theory = false;
	c.eta = 0.15;
	struct run *r = make(&c);
	long s;
	for (s = 0; s < 15000; s++) {
		assert_int_equal(run_step(r), RUN_OK);
		assert_true(r->tr->cur.path < theory_path_bound_thm21(r->th));
		if (track_nresidual(r->tr, r->tr->cur.residual) < 1e-3)
			break;
	}
	print_message("softplus: normalized misfit %.3g after %ld steps, path %.4g, 4r0/alpha %.4g\n",
		      track_nresidual(r->tr, r->tr->cur.residual), r->step, r->tr->cur.path,
		      theory_path_bound_thm21(r->th));
	assert_true(track_nresidual(r->tr, r->tr->cur.residual) < 1e-3);
	run_free(r);
}

/* [Du18]: the wider the net, the fewer activation patterns flip on the way. */
static double du_flips(size_t m)
{
	struct run_cfg c;
	run_cfg_default(&c);
	c.ops = &model_du_ops;
	c.mcfg.n = 10;
	c.mcfg.d = 5;
	c.mcfg.k = m;
	c.seed = 3;
	struct run *r = make(&c);
	for (long s = 0; s < 20000; s++) {
		assert_int_equal(run_step(r), RUN_OK);
		if (track_nresidual(r->tr, r->tr->cur.residual) < 1e-3)
			break;
	}
	assert_true(track_nresidual(r->tr, r->tr->cur.residual) < 1e-3);
	run_update_extras(r);
	assert_string_equal(r->extra_names[0], "flips");
	double f = r->extras[0];
	print_message("du m=%zu: flips %.4g after %ld steps\n", m, f, r->step);
	run_free(r);
	return f;
}

static void test_du_flips_fall_with_width(void **state)
{
	(void)state;
	double narrow = du_flips(100), wide = du_flips(10000);
	assert_true(narrow > 0);
	assert_true(wide < narrow / 3);
}

/* Each optimizer's first two steps on linear regression, against a hand computation that
 * uses only X, y and θ0 (gradient Σ_i r_i x_i written out here, not the model's vjp). */
static void grad_by_hand(const struct dataset *ds, const double *theta, const size_t *rows,
			 size_t nrows, double *g)
{
	size_t n = ds->n, d = ds->nfeat;
	memset(g, 0, d * sizeof(double));
	for (size_t k = 0; k < (rows ? nrows : n); k++) {
		size_t i = rows ? rows[k] : k;
		double r = -ds->y[i];
		for (size_t j = 0; j < d; j++)
			r += ds->X[i * d + j] * theta[j];
		for (size_t j = 0; j < d; j++)
			g[j] += r * ds->X[i * d + j];
	}
}

static void check_two_steps(int kind)
{
	enum { D = 10 };
	const double eta = 0.05, b1 = 0.9, b2 = 0.999, eps = 1e-8;
	struct run_cfg c;
	run_cfg_default(&c);
	c.mcfg.n = 6;
	c.mcfg.d = D;
	c.eta_theory = false;
	c.eta = eta;
	/* a minibatch for sgd; adam without --minibatch takes the full batch */
	c.ocfg = (struct optim_cfg){kind, kind == OPT_SGD ? 3 : 0, b1, b2, eps};
	c.spectrum_every = 1000;
	struct run *r = make(&c);
	double th[D], v[D] = {0}, m2[D] = {0}, g[D], ahead[D];
	memcpy(th, r->theta0, sizeof th);
	/* SGD's draws: the run's optimizer stream, replayed */
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(rng, run_seed_mix(c.seed, 1));
	size_t all[6] = {0, 1, 2, 3, 4, 5}, batch[3];
	for (int t = 1; t <= 2; t++) {
		switch (kind) {
		case OPT_SGD:
			gsl_ran_choose(rng, batch, 3, all, 6, sizeof(size_t));
			grad_by_hand(r->data, th, batch, 3, g);
			for (int j = 0; j < D; j++)
				th[j] -= eta * g[j];
			break;
		case OPT_MOMENTUM:
			grad_by_hand(r->data, th, NULL, 0, g);
			for (int j = 0; j < D; j++) {
				v[j] = b1 * v[j] - eta * g[j];
				th[j] += v[j];
			}
			break;
		case OPT_NESTEROV:
			for (int j = 0; j < D; j++)
				ahead[j] = th[j] + b1 * v[j];
			grad_by_hand(r->data, ahead, NULL, 0, g);
			for (int j = 0; j < D; j++) {
				v[j] = b1 * v[j] - eta * g[j];
				th[j] += v[j];
			}
			break;
		case OPT_ADAM:
			grad_by_hand(r->data, th, NULL, 0, g);
			for (int j = 0; j < D; j++) {
				v[j] = b1 * v[j] + (1 - b1) * g[j];
				m2[j] = b2 * m2[j] + (1 - b2) * g[j] * g[j];
				double mh = v[j] / (1 - pow(b1, t)), vh = m2[j] / (1 - pow(b2, t));
				th[j] -= eta * mh / (sqrt(vh) + eps);
				/* the first bias-corrected step is η·g/(|g| + ε): about η in size */
				if (t == 1 && fabs(g[j]) > 0 &&
				    !(fabs(fabs(r->theta0[j] - th[j]) - eta) <=
				      eta * 1.01 * eps / fabs(g[j]) + 1e-15))
					fail_msg("adam first step %d: %.17g (g %.3g)", j,
						 fabs(r->theta0[j] - th[j]), g[j]);
			}
			break;
		default:
			grad_by_hand(r->data, th, NULL, 0, g);
			for (int j = 0; j < D; j++)
				th[j] -= eta * g[j];
		}
		assert_int_equal(run_step(r), RUN_OK);
		for (int j = 0; j < D; j++)
			if (fabs(r->theta[j] - th[j]) > 1e-12 * (1 + fabs(th[j])))
				fail_msg("%s step %d: theta[%d] = %.17g, by hand %.17g", optim_name(kind), t, j,
					 r->theta[j], th[j]);
	}
	gsl_rng_free(rng);
	run_free(r);
}

static void test_optimizer_steps_by_hand(void **state)
{
	(void)state;
	int kinds[] = {OPT_GD, OPT_SGD, OPT_MOMENTUM, OPT_NESTEROV, OPT_ADAM};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		check_two_steps(kinds[i]);
}

/* SGD on all n samples is GD, step for step; momentum with β1 = 0 is GD. */
static void same_as_gd(struct optim_cfg oc)
{
	struct run_cfg c;
	run_cfg_default(&c);
	c.ops = &model_shallow_ops;
	c.mcfg.n = 12;
	c.mcfg.d = 6;
	c.mcfg.k = 8;
	struct run *a = make(&c);
	c.ocfg = oc;
	struct run *b = make(&c);
	for (int s = 0; s < 50; s++) {
		run_step(a);
		run_step(b);
	}
	for (size_t j = 0; j < a->m->p; j++)
		assert_true(fabs(a->theta[j] - b->theta[j]) <= 1e-12 * (1 + fabs(a->theta[j])));
	run_free(a);
	run_free(b);
}

static void test_sgd_full_batch_is_gd(void **state)
{
	(void)state;
	same_as_gd((struct optim_cfg){OPT_SGD, 12, NAN, NAN, NAN});
}

static void test_momentum_zero_is_gd(void **state)
{
	(void)state;
	same_as_gd((struct optim_cfg){OPT_MOMENTUM, 1, 0.0, NAN, NAN});
	same_as_gd((struct optim_cfg){OPT_NESTEROV, 1, 0.0, NAN, NAN});
}

/* Gradient flow on linear regression from θ0: r(t) = exp(−t X Xᵀ) r0 along each
 * eigendirection; for y along the σ_min direction, ‖r(t)‖ = e^{−σ²t} r0 exactly. */
static void test_flow_closed_form(void **state)
{
	(void)state;
	struct run_cfg c;
	run_cfg_default(&c);
	c.labels = LABELS_ALIGN_MIN;
	c.init = INIT_ZERO;
	c.mcfg.n = 10;
	c.mcfg.d = 30;
	c.ocfg.kind = OPT_FLOW;
	c.eta_theory = false;
	c.eta = 0.05;
	struct run *r = make(&c);
	double a2 = r->th->alpha0 * r->th->alpha0, r0 = r->th->r0;
	for (int s = 0; s < 40; s++) {
		assert_int_equal(run_step(r), RUN_OK);
		double want = exp(-a2 * 0.05 * r->step) * r0;
		assert_true(relerr(r->tr->cur.residual, want) < 1e-6);
	}
	run_free(r);
}

/* Along gradient flow the loss never increases: dL/dt = −‖∇L‖². On [Du18]'s ReLU net the
 * right-hand side jumps at every activation switch; the fixed-step integrator must still
 * follow it (and finish) with the loss falling at every step. */
static void test_flow_on_relu_net(void **state)
{
	(void)state;
	struct run_cfg c;
	run_cfg_default(&c);
	c.ops = &model_du_ops;
	c.mcfg.n = 10;
	c.mcfg.d = 5;
	c.mcfg.k = 200;
	c.ocfg.kind = OPT_FLOW;
	struct run *r = make(&c);
	assert_true(r->m->kinks);
	double prev = r->tr->cur.loss;
	for (int s = 0; s < 100; s++) {
		assert_int_equal(run_step(r), RUN_OK);
		assert_true(r->tr->cur.loss <= prev * (1 + 1e-12));
		prev = r->tr->cur.loss;
	}
	assert_true(r->tr->cur.loss < 0.5 * r->tr->h[0].loss);
	run_free(r);
}

static void test_adam_and_sgd_descend(void **state)
{
	(void)state;
	int kinds[] = {OPT_ADAM, OPT_SGD};
	for (int i = 0; i < 2; i++) {
		struct run_cfg c;
		run_cfg_default(&c);
		c.ops = &model_shallow_ops;
		c.mcfg.n = 20;
		c.mcfg.d = 10;
		c.mcfg.k = 20;
		c.ocfg.kind = kinds[i];
		c.ocfg.minibatch = 4;
		c.eta_theory = false;
		c.eta = kinds[i] == OPT_ADAM ? 0.01 : 0.1;
		struct run *r = make(&c);
		for (int s = 0; s < 2000; s++)
			assert_int_equal(run_step(r), RUN_OK);
		assert_true(r->tr->cur.residual < 0.5 * r->th->r0);
		run_free(r);
	}
}

/* History stays bounded over many steps, keeps step 0 and stays in order. */
static void test_history_bounded(void **state)
{
	(void)state;
	struct run_cfg c;
	run_cfg_default(&c);
	c.mcfg.n = 4;
	c.mcfg.d = 8;
	c.history = 64;
	c.spectrum_every = 1000000;
	struct run *r = make(&c);
	for (int s = 0; s < 100000; s++)
		run_step(r);
	const struct track *t = r->tr;
	assert_true(t->len <= 64);
	assert_true(t->len >= 32);
	assert_int_equal(t->h[0].step, 0);
	for (size_t i = 1; i < t->len; i++)
		assert_true(t->h[i].step > t->h[i - 1].step);
	assert_int_equal(t->cur.step, 100000);
	run_free(r);
}

/* Path length ≥ distance (triangle inequality), directness ≥ 1, per-layer distances
 * add up in squares to the total. */
static void test_track_consistency(void **state)
{
	(void)state;
	struct run_cfg c;
	run_cfg_default(&c);
	c.ops = &model_mlp_ops;
	struct run *r = make(&c);
	for (int s = 0; s < 200; s++)
		run_step(r);
	const struct track *t = r->tr;
	assert_true(t->cur.path >= t->cur.distance * (1 - 1e-12));
	double sq = 0;
	for (size_t l = 0; l < t->nlayers; l++) {
		sq += t->ldist[l] * t->ldist[l];
		assert_true(t->lpath[l] >= t->ldist[l] * (1 - 1e-12));
	}
	assert_true(relerr(sqrt(sq), t->cur.distance) < 1e-12);
	run_free(r);
}

/* Same options and seed: bit-identical θ; a fork continues exactly like its parent. */
static void test_determinism_and_fork(void **state)
{
	(void)state;
	struct run_cfg c;
	run_cfg_default(&c);
	c.ops = &model_shallow_ops;
	c.ocfg.kind = OPT_SGD;
	c.ocfg.minibatch = 5;
	c.eta_theory = false;
	c.eta = 0.05;
	struct run *a = make(&c), *b = make(&c);
	for (int s = 0; s < 100; s++) {
		run_step(a);
		run_step(b);
	}
	assert_memory_equal(a->theta, b->theta, a->m->p * sizeof(double));
	char *cause = NULL;
	struct run *f = run_fork(a, &cause);
	assert_non_null(f);
	for (int s = 0; s < 100; s++) {
		run_step(a);
		run_step(f);
	}
	assert_memory_equal(a->theta, f->theta, a->m->p * sizeof(double));
	assert_true(a->tr->cur.path == f->tr->cur.path);
	/* restart: back to θ0, same first step as a fresh run */
	assert_int_equal(run_restart(b, false, &cause), 0);
	struct run *fresh = make(&c);
	run_step(b);
	run_step(fresh);
	assert_memory_equal(b->theta, fresh->theta, b->m->p * sizeof(double));
	run_free(a);
	run_free(b);
	run_free(f);
	run_free(fresh);
}

int main(void)
{
	gsl_set_error_handler_off();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_thm24_align_min),
	    cmocka_unit_test(test_thm24_align_max),
	    cmocka_unit_test(test_linear_green_region),
	    cmocka_unit_test(test_glm_green_region),
	    cmocka_unit_test(test_linear_spectrum),
	    cmocka_unit_test(test_underparameterized_no_guarantee),
	    cmocka_unit_test(test_shallow_softplus_converges),
	    cmocka_unit_test(test_du_flips_fall_with_width),
	    cmocka_unit_test(test_optimizer_steps_by_hand),
	    cmocka_unit_test(test_sgd_full_batch_is_gd),
	    cmocka_unit_test(test_momentum_zero_is_gd),
	    cmocka_unit_test(test_flow_closed_form),
	    cmocka_unit_test(test_flow_on_relu_net),
	    cmocka_unit_test(test_adam_and_sgd_descend),
	    cmocka_unit_test(test_history_bounded),
	    cmocka_unit_test(test_track_consistency),
	    cmocka_unit_test(test_determinism_and_fork),
	};
	return cmocka_run_group_tests_name("engine", tests, NULL, NULL);
}
