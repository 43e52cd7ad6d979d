/* pool.h — a small fixed-size pthread pool over an index range [0, n), for sweeps and
 * realizations (SPEC §7 --jobs). Deterministic by construction: the caller's function gets
 * an index and writes that index's result into its own slot; which thread ran it, and in
 * what order, never shows in the results. No I/O, no curses.
 *
 * Use (blocking, the batch sweeps):
 *
 *     static void work(void *ctx, size_t i, int worker) { ... res[i] = ...; }
 *     struct pool *p = pool_new(jobs, &cause);          // jobs ≤ 0: pool_default_jobs()
 *     pool_start(p, n, work, ctx);                       // returns at once
 *     while (!pool_wait(p, 0.5))                         // seconds; true when all done
 *             progress(pool_done(p), n);
 *     pool_free(p);                                      // joins the threads
 *
 * Use (the live view): pool_start(), then each frame pool_is_done(p, i) / pool_done(p) to
 * pick up finished indices; pool_cancel() stops handing out new indices and waits for the
 * running ones, which may poll pool_cancelled() to return early (their results are then
 * garbage and must be ignored).
 *
 * Rules for work(): write only to per-index (or per-worker: 0 ≤ worker < pool_jobs(p))
 * memory; allocate per worker or per index, not shared; the result of index i must depend
 * on i alone (seed random streams from i, e.g. with pool_seed()). BLAS runs one thread per
 * worker (blas_threads_single() is called by pool_new), so jobs × BLAS threads never
 * oversubscribe the machine. Indices are handed out in increasing order, so the low ones
 * finish first: order the work the way a viewer wants to see it fill in.
 */
#ifndef GDPATH_POOL_H
#define GDPATH_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pool;

typedef void (*pool_fn)(void *ctx, size_t index, int worker);

/* Online processors (sysconf), at least 1: the default --jobs. */
int pool_default_jobs(void);

/* A pool of jobs threads (jobs ≤ 0: pool_default_jobs(); capped at POOL_MAX_JOBS). The
 * threads start with the first pool_start(). NULL with *cause on failure. */
enum { POOL_MAX_JOBS = 256 };
struct pool *pool_new(int jobs, char **cause);
/* Cancel what is running, join the threads, free. NULL is fine. */
void pool_free(struct pool *p);
int pool_jobs(const struct pool *p);

/* Run fn(ctx, i, worker) for every i in [0, n) on the pool's threads; returns at once.
 * A pool runs one range at a time: a second start waits for (or cancel ends) the first.
 * -1 with *cause when threads cannot be created. jobs = 1 still uses one thread, so the
 * caller's thread stays free (for keys and drawing). */
int pool_start(struct pool *p, size_t n, pool_fn fn, void *ctx, char **cause);
/* Wait up to seconds (< 0: without limit) for the range to finish; true when it has. */
bool pool_wait(struct pool *p, double seconds);
/* Indices finished so far, and whether index i is (both safe from any thread; a finished
 * index's results are visible to the caller once pool_is_done() said so). */
size_t pool_done(struct pool *p);
bool pool_is_done(struct pool *p, size_t i);
/* Stop handing out indices, wait for the running ones, leave the pool idle. */
void pool_cancel(struct pool *p);
/* Paused: no new index starts (running ones finish); resumed: work goes on. */
void pool_pause(struct pool *p, bool paused);
/* For work(): true once pool_cancel() or pool_free() was called. */
bool pool_cancelled(const struct pool *p);

/* A 64-bit seed mixing a base seed and up to four coordinates (e.g. k, d, trial) with
 * splitmix64 rounds, so nearby coordinates give unrelated streams; never 0. */
uint64_t pool_seed(uint64_t seed, uint64_t a, uint64_t b, uint64_t c, uint64_t d);

#endif
