/* test_sweep_phase.c — [OS19b] Sec. 4's protocol on tiny grids: a cell with kd ≥ 4n fits
 * in every trial, one with kd < n/2 in none; the stop rule stops at the first step under
 * the tolerance (checked against the full engine replaying the same trial from its seed);
 * the same trial gives the same result whatever the pool's --jobs; the rf baseline fits
 * exactly when k ≥ n and never below. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gdpath/act.h"
#include "gdpath/data.h"
#include "gdpath/model.h"
#include "gdpath/pool.h"
#include "gdpath/run.h"
#include "gdpath/shard.h"
#include "gdpath/sweep_phase.h"
#include "gdpath/track.h"

static struct phase_cfg cfg(size_t n, const size_t *ks, size_t nk, const size_t *ds, size_t nd,
			    unsigned trials)
{
	struct phase_cfg c = {
	    .ops = &model_shallow_ops, .act = ACT_SOFTPLUS, .n = n, .ks = ks, .nk = nk,
	    .ds = ds, .nd = nd, .trials = trials, .tol = 2.5e-3, .max_steps = 15000,
	    .eta = 0.15, .seed = 1,
	};
	return c;
}

static struct phase_run *run_all(const struct phase_cfg *c, int jobs)
{
	char *cause = NULL;
	struct shard whole;
	shard_whole(&whole);
	struct phase_run *pr = phase_run_new(c, &whole, jobs, &cause);
	assert_non_null(pr);
	assert_int_equal(phase_run_start(pr, &cause), 0);
	assert_true(pool_wait(pr->pool, -1));
	for (size_t i = 0; i < pr->ncells; i++)
		assert_true(phase_run_cell_done(pr, i));
	return pr;
}

/* n = 20: kd = 80, 100, 160 ≥ 4n succeed in all 5 trials; kd = 4, 8 < n/2 = 10 in none. */
static void test_regimes(void **state)
{
	(void)state;
	static const size_t ks[] = {2, 8, 10}, ds[] = {2, 4, 10, 16};
	struct phase_cfg c = cfg(20, ks, 3, ds, 4, 5);
	struct phase_run *pr = run_all(&c, 2);
	size_t over = 0, under = 0;
	for (size_t i = 0; i < pr->ncells; i++) {
		struct phase_cell cell;
		phase_run_cell(pr, i, &cell);
		assert_int_equal(cell.k, ks[i / 4]);
		assert_int_equal(cell.d, ds[i % 4]);
		if (cell.k * cell.d >= 4 * c.n) {
			over++;
			assert_int_equal(cell.successes, 5);
			assert_true(cell.rate == 1);
			assert_true(cell.median_misfit < c.tol);
			assert_true(cell.median_steps > 0 && cell.median_steps <= c.max_steps);
		} else if (2 * cell.k * cell.d < c.n) {
			under++;
			assert_int_equal(cell.successes, 0);
			assert_true(cell.rate == 0);
			assert_true(isnan(cell.median_steps));
			assert_true(cell.median_misfit >= c.tol);
		}
	}
	assert_int_equal(over, 4);
	assert_int_equal(under, 2);
	phase_run_free(pr);
}

/* The stop rule: the trial stops at step S with misfit/‖y‖ < tol, and the engine's own run
 * of the same seed (run_new: same data, same W0) is still at or above tol at step S − 1
 * and under it at S. */
static void test_stop_rule(void **state)
{
	(void)state;
	static const size_t ks[] = {10}, ds[] = {10};
	struct phase_cfg c = cfg(20, ks, 1, ds, 1, 1);
	struct phase_trial tr;
	phase_trial(&c, 10, 10, 0, NULL, &tr);
	assert_int_equal(tr.outcome, PHASE_SUCCESS);
	assert_true(tr.steps > 1 && tr.misfit < c.tol);

	struct run_cfg rc;
	run_cfg_default(&rc);
	rc.ops = &model_shallow_ops;
	rc.mcfg.n = 20;
	rc.mcfg.d = 10;
	rc.mcfg.k = 10;
	rc.mcfg.act = ACT_SOFTPLUS;
	rc.eta_theory = false;
	rc.eta = 0.15;
	rc.seed = phase_trial_seed(1, 10, 10, 0);
	char *cause = NULL;
	int st;
	struct run *r = run_new(&rc, &cause, &st);
	assert_non_null(r);
	double ynorm = 0;
	for (size_t i = 0; i < r->m->n; i++)
		ynorm += r->data->y[i] * r->data->y[i];
	ynorm = sqrt(ynorm);
	double first_under = -1;
	for (long s = 1; s <= tr.steps; s++) {
		run_step(r);
		double rel = r->tr->cur.residual / ynorm;
		if (s < tr.steps)
			assert_true(rel >= c.tol);
		else
			first_under = rel;
	}
	assert_true(first_under >= 0 && first_under < c.tol);
	assert_true(fabs(first_under - tr.misfit) <= 1e-9 * c.tol);
	run_free(r);

	/* one step fewer allowed: the same trial fails, at max_steps, above tol */
	c.max_steps = tr.steps - 1;
	struct phase_trial t2;
	phase_trial(&c, 10, 10, 0, NULL, &t2);
	assert_int_equal(t2.outcome, PHASE_FAIL);
	assert_int_equal(t2.steps, tr.steps - 1);
	assert_true(t2.misfit >= c.tol);
}

/* The same results, bit for bit, with 1 and 3 threads, and trial t of a cell does not
 * depend on the grid it is part of. */
static void test_jobs(void **state)
{
	(void)state;
	static const size_t ks[] = {3, 6}, ds[] = {5, 9};
	struct phase_cfg c = cfg(16, ks, 2, ds, 2, 3);
	c.max_steps = 3000;
	struct phase_run *a = run_all(&c, 1), *b = run_all(&c, 3);
	assert_memory_equal(a->tr, b->tr, a->ncells * c.trials * sizeof *a->tr);
	static const size_t k1[] = {6}, d1[] = {9};
	struct phase_cfg c1 = cfg(16, k1, 1, d1, 1, 3);
	c1.max_steps = 3000;
	struct phase_run *one = run_all(&c1, 2);
	assert_memory_equal(one->tr, a->tr + 3 * 3, 3 * sizeof *a->tr);
	phase_run_free(a);
	phase_run_free(b);
	phase_run_free(one);
}

/* Random features ([OS19b] Sec. 3): with d large enough, the least-squares fit over v is
 * exact (and λ_min(ΦΦᵀ) > 0) for k ≥ n, impossible for k < n (λ_min = 0). */
static void test_rf(void **state)
{
	(void)state;
	static const size_t ks[] = {10, 19, 20, 40}, ds[] = {20};
	struct phase_cfg c = cfg(20, ks, 4, ds, 1, 3);
	c.ops = &model_rf_ops;
	c.eta = NAN;
	struct phase_run *pr = run_all(&c, 2);
	for (size_t i = 0; i < pr->ncells; i++) {
		struct phase_cell cell;
		phase_run_cell(pr, i, &cell);
		if (cell.k >= c.n) {
			assert_int_equal(cell.successes, 3);
			assert_true(cell.median_lmin > 0);
		} else {
			assert_int_equal(cell.successes, 0);
			assert_true(cell.median_lmin == 0);
			assert_true(cell.median_misfit > 0.01);
		}
		assert_true(isnan(cell.median_steps));
	}
	phase_run_free(pr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_regimes),
	    cmocka_unit_test(test_stop_rule),
	    cmocka_unit_test(test_jobs),
	    cmocka_unit_test(test_rf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
