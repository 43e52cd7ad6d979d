/* phase_live.h — the phase diagram filling in live (presets phase-softplus, phase-relu):
 * the sweep of sweep_phase.h runs on the thread pool in the background while the view
 * replays, with the full tracker, one trial of the cell the pool is working on (the same
 * seed, so the same data, W0 and path as the pool's trial). When the replayed trial meets
 * the stop rule, the next one is shown. No curses. */
#ifndef GDPATH_PHASE_LIVE_H
#define GDPATH_PHASE_LIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "gdpath/run.h"
#include "gdpath/sweep_phase.h"

struct app;
struct opts;

struct phase_live {
	struct phase_run *pr;
	size_t cur;      /* the shard cell whose trial is shown (marked on the map) */
	unsigned trial;  /* and which trial */
	bool finished;   /* every cell done and the last trial shown */
	double ynorm;    /* ‖y‖ of the shown trial */
	int last_outcome; /* of the previous shown trial (enum phase_outcome), -1 none */
	long last_steps;
};

/* Start the sweep the options ask for (o->sw.name is "phase") and fill *rc with the run
 * configuration of its first trial. --snapshot waits for the whole sweep here, so its
 * picture does not depend on timing. NULL with *cause on failure. */
struct phase_live *phase_live_new(const struct opts *o, struct run_cfg *rc, char **cause);
void phase_live_free(struct phase_live *pl);

/* The run configuration of trial t of shard cell i (base: the options' run). */
void phase_live_trial_cfg(const struct phase_live *pl, const struct run_cfg *base, size_t i,
			  unsigned t, struct run_cfg *out);
/* Whether the shown run r has met the stop rule; then *outcome, and the next trial to show
 * (false from then on when finished). */
bool phase_live_trial_over(struct phase_live *pl, const struct run *r, int *outcome);
/* Advance to the next trial to show: the next trial of the current cell, or the first cell
 * the pool has not finished if that is further on. false when all are shown. */
bool phase_live_next(struct phase_live *pl);
/* Pause or resume the pool with the view. */
void phase_live_pause(struct phase_live *pl, bool paused);
/* Cells finished (in this shard) and in all. */
size_t phase_live_done(const struct phase_live *pl);

#endif
