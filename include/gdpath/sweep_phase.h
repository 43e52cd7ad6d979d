/* sweep_phase.h — the phase transition of [OS19b] Sec. 4, Fig. 2: for every (k, d) of a
 * grid, T independent trials of plain GD on a one-hidden-layer net (only W trained, v
 * fixed as in the shallow model) or on the random-features baseline (only v trained, W
 * fixed at W0: model rf, [OS19b] Sec. 3), fitting n random labels. A trial stops at
 * max_steps or at the first step τ with ‖f(W_τ) − y‖/‖y‖ < tol (success); a misfit that
 * turns non-finite or exceeds 1000·‖f(W_0) − y‖ is a failure counted as diverged.
 *
 * rf is linear least squares in v, (3.1), and GD on it at a stable step converges to the
 * closest solution, r_∞ = (I − P) r_0 with P the projection onto the range of ΦΦᵀ
 * ([OS19] Sec. 1.2). At the stable step 1/λ_max that takes about κ(ΦΦᵀ) ≈ 10⁴…10⁶ steps
 * per digit (softplus features have a large mean), far beyond 15 000, so an rf trial is
 * that limit, computed exactly from the eigen-decomposition of ΦΦᵀ (GSL): success when
 * ‖r_∞‖/‖y‖ < tol, no step count. The live rf model runs the GD steps themselves.
 *
 * Trial t of cell (k, d) at seed s draws its data and θ0 from the generator seeded by
 * run_seed_mix(phase_trial_seed(s, k, d, t), 0) — exactly what `gdpath -m shallow -k K
 * -d D --seed phase_trial_seed(...)` would draw — so it is the same whatever --jobs,
 * --shard or machine runs it, and the live view can replay it with the full tracker.
 * Numerics only, no curses. */
#ifndef GDPATH_SWEEP_PHASE_H
#define GDPATH_SWEEP_PHASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "gdpath/shard.h"

struct opts;
struct pool;
struct model_ops;

enum phase_outcome { PHASE_FAIL, PHASE_SUCCESS, PHASE_DIVERGED, PHASE_CANCELLED, PHASE_ERROR };

struct phase_cfg {
	const struct model_ops *ops; /* shallow or rf */
	int act;
	size_t n;
	const size_t *ks, *ds; /* not owned (phase_run copies them) */
	size_t nk, nd;
	unsigned trials;
	double tol;       /* relative misfit for success, in (0, 1) */
	long max_steps;
	double eta;       /* NAN: the model's theory step, per trial (rf) */
	unsigned long seed;
};

struct phase_trial {
	int outcome;   /* enum phase_outcome */
	long steps;    /* the step it stopped at */
	double misfit; /* ‖f − y‖/‖y‖ there */
	double lmin;   /* rf: λ_min(ΦΦᵀ) at W0 (Thm 3.2); NAN otherwise */
};

struct phase_cell {
	size_t k, d;
	unsigned trials, successes, diverged;
	double rate;          /* successes / trials */
	double median_steps;  /* over the successful trials; NAN if none */
	double median_misfit; /* final ‖f − y‖/‖y‖ over all trials */
	double median_lmin;   /* rf: median λ_min(ΦΦᵀ); NAN otherwise */
};

/* The sweep's settings from the command line (defaults: shallow softplus, n = 100,
 * k, d = 1..25, 10 trials, tol 2.5e-3, 15000 steps, η = 0.15 softplus / 0.1 relu / theory
 * for rf). -1 with *cause on a usage error. */
int phase_cfg_from_opts(const struct opts *o, struct phase_cfg *c, char **cause);

/* The --seed of trial t of cell (k, d) (32 bits, a splitmix64 mix of all four). */
unsigned long phase_trial_seed(unsigned long seed, size_t k, size_t d, unsigned t);

/* Run one trial (no tracker, no spectrum: the step and the stop rule only). pool may be
 * NULL; with one, the trial returns PHASE_CANCELLED soon after pool_cancel(). */
void phase_trial(const struct phase_cfg *c, size_t k, size_t d, unsigned t,
		 const struct pool *p, struct phase_trial *out);

/* A sweep over this shard's cells on a thread pool. Cells in k-major order: j = ik·nd + id;
 * pool index = position of the cell in the shard · trials + t, so cells fill in order. */
struct phase_run {
	struct phase_cfg cfg;
	size_t *ks, *ds;
	struct shard shard;
	size_t ncells;        /* this shard's cells */
	size_t *cell;         /* their grid indices j */
	struct phase_trial *tr; /* ncells × trials */
	struct pool *pool;
};

struct phase_run *phase_run_new(const struct phase_cfg *c, const struct shard *sh, int jobs,
				char **cause);
int phase_run_start(struct phase_run *pr, char **cause);
/* All trials of this shard's cell i finished (and their results readable). */
bool phase_run_cell_done(struct phase_run *pr, size_t i);
void phase_run_cell(const struct phase_run *pr, size_t i, struct phase_cell *out);
void phase_run_free(struct phase_run *pr);
/* Metadata, header and one row per cell of the shard (all must be done). */
void phase_write_csv(FILE *out, const struct phase_run *pr);

#endif
