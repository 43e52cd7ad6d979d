/* sweep_eta.h — the step-size range test (`gdpath --batch --sweep eta`, key E in the view):
 * K log-spaced step sizes around the stability threshold 2/β0², each run for N steps from
 * the same data and θ0, in parallel on the thread pool (pool.h), each classified by what
 * it did. Unlike a learning-rate finder it knows the Jacobian: β0 = σ_max(J(θ0)), so GD on
 * the quadratic model at θ0 is stable exactly for η < 2/β0², and the model's theory step
 * (SPEC §3, Thm 2.2) is marked beside it. Numerics only: no I/O but the CSV writer, no
 * curses; results depend on the index alone, so any --jobs gives the same bytes. */
#ifndef GDPATH_SWEEP_ETA_H
#define GDPATH_SWEEP_ETA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct run;
struct pool;
struct shard;

/* What a run did in its N steps. These are measurements, not theorems:
 *   diverged     the loss turned non-finite, or grew past 1000× the initial loss (the
 *                interactive view's blow-up rule);
 *   converged    ‖r_N‖/r0 ≤ tol;
 *   oscillating  neither, and the misfit rose on at least 10% of the steps of the second
 *                half (the period-2 wobble of GD just above 2/β²);
 *   descending   neither: still falling, not yet at tol. */
enum eta_verdict { ETA_PENDING, ETA_CONVERGED, ETA_DESCENDING, ETA_OSCILLATING, ETA_DIVERGED,
		   ETA_FAILED };
const char *eta_verdict_name(int v);

struct eta_point {
	double eta;
	int verdict;          /* enum eta_verdict */
	double misfit;        /* final ‖r‖/r0 (NAN when it turned non-finite) */
	long diverged_step;   /* first step that diverged, or -1 */
};

enum { ETA_SWEEP_DEFAULT_K = 25, ETA_SWEEP_MAX_K = 10000 };
#define ETA_SWEEP_DEFAULT_STEPS 200
#define ETA_SWEEP_DEFAULT_TOL 1e-6
/* Default range: 2/β0² × 2^-6 … 2/β0² × 2^2 (with K = 25, three points an octave and
 * 2/β0² itself on the grid). */
#define ETA_SWEEP_LO_FACTOR 0.015625
#define ETA_SWEEP_HI_FACTOR 4.0

struct eta_sweep {
	size_t k;
	long steps;
	double lo, hi, tol;
	double beta0, threshold; /* β0 and 2/β0² of the base run */
	double eta_theory;       /* the model's theory η (or 1/(2β0²), Thm 2.2) */
	bool theory_fallback;
	struct eta_point *pt;    /* k, in increasing η */
	struct run **runs;       /* k forks of the base run (freed by eta_sweep_free: forks share
	                          * the data, whose reference count is not atomic) */
	struct pool *pool;       /* not owned */
	bool started;
};

/* K log-spaced η from lo to hi (lo, hi ≤ 0: the default range around 2/β0²), forks of
 * base started over from its θ0. NULL with *cause on failure (no β0, out of memory). */
struct eta_sweep *eta_sweep_new(const struct run *base, size_t k, double lo, double hi,
				long steps, double tol, char **cause);
/* Cancels a running sweep first. NULL is fine. */
void eta_sweep_free(struct eta_sweep *s);
/* Make the runs (forks of base, on the caller's thread) for the items shard sh owns (NULL:
 * all). Call once before eta_sweep_start() or eta_sweep_run_one(). -1 with *cause. */
int eta_sweep_prepare(struct eta_sweep *s, const struct run *base, const struct shard *sh,
		      char **cause);
/* Run every η on the pool (returns at once); -1 with *cause. */
int eta_sweep_start(struct eta_sweep *s, struct pool *p, char **cause);
/* Run index i now, on the caller's thread (for a shard's own items or a test). */
void eta_sweep_run_one(struct eta_sweep *s, size_t i);
/* Whether point i has its verdict (safe while the pool runs). */
bool eta_sweep_point_done(const struct eta_sweep *s, size_t i);
size_t eta_sweep_done(const struct eta_sweep *s);
/* The largest η, among those done, that converged or is still descending; NAN if none. */
double eta_sweep_largest_stable(const struct eta_sweep *s);

/* The CSV: `#` metadata (the base run's, then the sweep's, β0 and 2/β0² included, and
 * `# rows: K`), the shard line, a header and one row per η of the shard
 * (eta,eta_beta0_sq,verdict,final_misfit,diverged_step). */
void eta_sweep_write_csv(FILE *out, const struct eta_sweep *s, const struct run *base,
			 const struct shard *sh);

#endif
