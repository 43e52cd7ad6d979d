/* app.c — the visualizer's state machine: runs (live, ghosts, forks, fans), stepping for a
 * time budget (in this thread or on a worker), the background work (phase sweep, range
 * test) and the status message. What each key does is app_keys.c. No curses. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gdpath/act.h"
#include "gdpath/app.h"
#include "app_impl.h"
#include "gdpath/band.h"
#include "gdpath/batch.h"
#include "gdpath/phase_live.h"
#include "gdpath/pool.h"
#include "gdpath/preset.h"
#include "gdpath/run.h"
#include "gdpath/sweep_eta.h"
#include "gdpath/theory.h"
#include "gdpath/track.h"
#include "gdpath/util.h"

#define CONVERGED 1e-6 /* misfit / r0 that counts as converged */
#define DONE 1e-13     /* misfit / r0 below which a run has nothing left to show */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void app_message(struct app *a, bool warn, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->msg, sizeof a->msg, fmt, ap);
	va_end(ap);
	a->msg_warn = warn;
}

void app_set_colours(struct app *a, int ncolours)
{
	a->colours = ncolours;
	a->region_fill = ncolours < 256 || a->theme.style[ROLE_REGION].bg == COLOUR_DEFAULT;
}

double app_speed(const struct app *a)
{
	if (!a->speed_auto)
		return a->speed;
	const struct track *t = app_active(a)->tr;
	double q = t->r0 > 0 ? t->cur.residual / t->r0 : NAN;
	long tau = t->cur.step;
	if (tau < 5 || !(q > 0) || !(q < 1))
		return 10;
	double rho = pow(q, 1.0 / (double)tau); /* misfit ratio per step so far */
	double n1 = log(0.01) / log(rho);       /* steps to 1 % of r0 at that ratio */
	double v = n1 / APP_PACE_SECONDS;
	return !(v >= 10) ? 10 : v > 20000 ? 20000 : v;
}

const struct track_point *app_view_point(const struct app *a, int i)
{
	const struct track *t = a->run[i]->tr;
	if (a->cursor < 0)
		return &t->cur;
	/* the cursor is a step of the active run; other runs show their point at that step */
	const struct track *ta = app_active(a)->tr;
	size_t c = (size_t)a->cursor < ta->len ? (size_t)a->cursor : ta->len - 1;
	long step = ta->h[c].step;
	size_t best = 0;
	for (size_t j = 0; j < t->len && t->h[j].step <= step; j++)
		best = j;
	return t->cur.step <= step ? &t->cur : &t->h[best];
}

struct run *app_active(const struct app *a)
{
	return a->nruns ? a->run[a->active] : NULL;
}

int app_run_role(const struct app *a, int i)
{
	if (i == a->active)
		return ROLE_TRAJECTORY;
	int g = i < a->active ? i : i - 1;
	return ROLE_GHOST1 + g % 8;
}

void app_meta_reset(struct app_run *m)
{
	m->halted = false;
	m->converged_step = -1;
	m->fan_factor = 0;
}

static void drop_runs(struct app *a)
{
	for (int i = 0; i < a->nruns; i++)
		run_free(a->run[i]);
	a->nruns = 0;
	a->active = 0;
	a->fan = a->forked = false;
	a->cursor = -1;
}

/* Replace all runs by one built from the base configuration. On failure the old runs
 * stay and the message says why. */
int app_rebuild(struct app *a)
{
	char *cause = NULL;
	int st;
	struct run *r = run_new(&a->base.run, &cause, &st);
	if (r == NULL) {
		app_message(a, true, "%s", cause);
		free(cause);
		return -1;
	}
	drop_runs(a);
	a->run[0] = r;
	a->nruns = 1;
	app_meta_reset(&a->meta[0]);
	a->paused = false;
	a->slow = r->th->spectrum_off; /* image models: seconds per measured step */
	return 0;
}

int app_init(struct app *a, const struct opts *o, char **cause, int *status)
{
	memset(a, 0, sizeof *a);
	a->base = *o;
	a->bounds = true;
	a->loss_log = true;
	a->axis = AXIS_RAW;
	a->speed = o->speed;
	a->ascii = o->ascii;
	a->paused = o->paused;
	a->speed_auto = o->speed_auto;
	a->cursor = -1;
	a->legends = true;
	a->stop_at = o->mode == MODE_TUI && o->steps >= 0 ? o->steps : -1;
	theme_builtin("default", &a->theme);
	if (o->theme) {
		/* A theme named on the command line or in the config file that cannot be loaded
		 * is a usage error (exit 2), whatever the reason: unknown name, bad file. */
		char *why = NULL;
		if (theme_load(o->theme, &a->theme, &why) != 0) {
			*cause = xasprintf("theme: %s", why ? why : o->theme);
			free(why);
			*status = EXIT_USAGE;
			return -1;
		}
	}
	snprintf(a->theme_name, sizeof a->theme_name, "%s", a->theme.name);
	app_set_colours(a, 256);
	if (o->band) {
		a->band = calloc(1, sizeof *a->band);
		if (a->band == NULL || band_read(o->band, a->band, cause) != 0) {
			if (a->band == NULL)
				*cause = xstrdup("out of memory");
			free(a->band);
			a->band = NULL;
			*status = 1;
			return -1;
		}
	}
	if (o->sw.name) {
		/* the phase presets: the sweep in the background, its trials shown one by one */
		if ((a->phase = phase_live_new(o, &a->base.run, cause)) == NULL) {
			*status = EXIT_USAGE;
			app_free(a);
			return -1;
		}
	}
	struct run *r = run_new(&a->base.run, cause, status);
	if (r == NULL) {
		app_free(a);
		return -1;
	}
	a->run[0] = r;
	a->nruns = 1;
	app_meta_reset(&a->meta[0]);
	app_update_planes(a);
	if (a->paused)
		app_message(a, false, "paused: space runs, s steps");
	a->slow = r->th->spectrum_off;
	return 0;
}

void app_free(struct app *a)
{
	pool_free(a->step_pool); /* waits for a step in progress */
	a->step_pool = NULL;
	a->busy = false;
	eta_sweep_free(a->eta_sweep); /* before the runs: it cancels its threads */
	a->eta_sweep = NULL;
	pool_free(a->pool);
	a->pool = NULL;
	drop_runs(a);
	if (a->band) {
		band_release(a->band);
		free(a->band);
		a->band = NULL;
	}
	phase_live_free(a->phase);
	a->phase = NULL;
}

bool app_take_changed(struct app *a)
{
	if (a->phase == NULL)
		return false;
	size_t done = pool_done(a->phase->pr->pool);
	if (done == a->phase_seen)
		return false;
	a->phase_seen = done;
	return true;
}

/* The phase presets: when the trial shown meets the stop rule, show the next one (a new
 * run on that trial's seed). True when the shown run changed or ended. */
static bool phase_check(struct app *a)
{
	struct phase_live *pl = a->phase;
	int outcome;
	if (pl == NULL || a->nruns != 1 || !phase_live_trial_over(pl, a->run[0], &outcome))
		return false;
	const struct run_cfg *was = &a->run[0]->cfg;
	char what[160];
	int o = snprintf(what, sizeof what, "k=%zu d=%zu trial %u: %s at step %ld", was->mcfg.k,
			 was->mcfg.d, pl->trial + 1,
			 outcome == PHASE_SUCCESS    ? "fitted"
			 : outcome == PHASE_DIVERGED ? "diverged"
						     : "not fitted",
			 a->run[0]->step);
	/* the sweep ran the same trial from the same seed: say whether it agrees (it must,
	 * unless keys changed the run shown) */
	size_t idx = pl->cur * pl->pr->cfg.trials + pl->trial;
	bool warn = false;
	if (pool_is_done(pl->pr->pool, idx) && pl->pr->cfg.ops != &model_rf_ops) {
		const struct phase_trial *t = &pl->pr->tr[idx];
		bool same = t->outcome == outcome && t->steps == a->run[0]->step;
		warn = !same;
		snprintf(what + o, sizeof what - (size_t)o, "%s", same ? " (the sweep's run agrees)"
								       : " (the sweep's run differs)");
	}
	if (!phase_live_next(pl)) {
		a->meta[0].halted = true;
		app_message(a, warn, "%s; every cell shown", what);
		return true;
	}
	struct run_cfg next;
	phase_live_trial_cfg(pl, &a->base.run, pl->cur, pl->trial, &next);
	struct run_cfg old = a->base.run;
	a->base.run = next;
	if (app_rebuild(a) != 0) {
		a->base.run = old;
		a->meta[0].halted = true;
		return true;
	}
	app_message(a, warn, "%s", what);
	return true;
}

/* Key E: the step-size range test from the active run's data and θ0, on the pool; again:
 * hide it. */
int app_range_test(struct app *a)
{
	if (a->eta_sweep) {
		eta_sweep_free(a->eta_sweep);
		a->eta_sweep = NULL;
		app_message(a, false, "range test closed");
		return APP_REDRAW | APP_RELAYOUT;
	}
	char *cause = NULL;
	struct run *r = app_active(a);
	struct eta_sweep *s = eta_sweep_new(r, ETA_SWEEP_DEFAULT_K, 0, 0, ETA_SWEEP_DEFAULT_STEPS,
					    ETA_SWEEP_DEFAULT_TOL, &cause);
	if (s && eta_sweep_prepare(s, r, NULL, &cause) != 0) {
		eta_sweep_free(s);
		s = NULL;
	}
	if (s && a->pool == NULL && (a->pool = pool_new(0, &cause)) == NULL) {
		eta_sweep_free(s);
		s = NULL;
	}
	if (s && eta_sweep_start(s, a->pool, &cause) != 0) {
		eta_sweep_free(s);
		s = NULL;
	}
	if (s == NULL) {
		app_message(a, true, "range test: %s", cause ? cause : "out of memory");
		free(cause);
		return APP_REDRAW;
	}
	/* A recording must replay the same screens: wait for the whole test. */
	if (a->deterministic)
		pool_wait(a->pool, -1);
	a->eta_sweep = s;
	a->eta_seen = 0;
	app_message(a, false, "range test: %zu step sizes × %ld steps around 2/β0² = %.3g", s->k,
		    s->steps, s->threshold);
	return APP_REDRAW | APP_RELAYOUT;
}

bool app_busy(const struct app *a)
{
	return a->busy || (a->eta_sweep && eta_sweep_done(a->eta_sweep) < a->eta_sweep->k);
}

bool app_poll(struct app *a)
{
	if (a->eta_sweep == NULL)
		return false;
	size_t d = eta_sweep_done(a->eta_sweep);
	if (d == a->eta_seen)
		return false;
	a->eta_seen = d;
	return true;
}

static bool runnable(const struct app *a, int i)
{
	return a->run[i]->status == RUN_OK && !a->meta[i].halted;
}

/* Notice what a step did to run i: divergence, blow-up, convergence. */
static void after_step(struct app *a, int i)
{
	struct run *r = a->run[i];
	struct app_run *m = &a->meta[i];
	if (r->status == RUN_DIVERGED) {
		app_message(a, true, "run %d diverged at step %ld (the loss is not finite)", i + 1,
			    r->status_step);
	} else if (r->status == RUN_FAILED) {
		app_message(a, true, "run %d: the ODE integrator gave up at step %ld", i + 1,
			    r->status_step);
	} else if (r->blowup_step == r->step && a->phase == NULL) {
		/* (a phase trial runs on to its own stop rule: misfit × 1000 or non-finite) */
		m->halted = true;
		if (a->nruns == 1)
			app_message(a, true, "blew up at step %ld (loss × 1000): stopped; space goes on",
				    r->step);
		else
			app_message(a, true, "run %d (η=%.3g) blew up at step %ld (loss × 1000): it stopped, "
				    "the others run; space resumes it", i + 1, r->eta, r->step);
	}
	if (m->converged_step < 0 && r->tr->cur.residual <= CONVERGED * r->tr->r0)
		m->converged_step = r->step;
}

static bool all_done(const struct app *a)
{
	for (int i = 0; i < a->nruns; i++)
		if (runnable(a, i) && a->run[i]->tr->cur.residual > DONE * a->run[i]->tr->r0)
			return false;
	return true;
}

/* One step of every run that was runnable when the worker started (a->stepping). */
static void step_work(void *ctx, size_t index, int worker)
{
	struct app *a = ctx;
	(void)worker;
	run_step_begin(a->run[a->stepping[index]]);
}

/* Keys that only change what is shown act at once while a step is in progress. */
bool app_safe_while_busy(enum action act)
{
	switch (act) {
	case ACTION_NONE:
	case ACTION_PAUSE:
	case ACTION_FASTER:
	case ACTION_SLOWER:
	case ACTION_BOUNDS:
	case ACTION_AXIS:
	case ACTION_LOSS_LOG:
	case ACTION_STEP_LOG:
	case ACTION_THEME:
	case ACTION_HELP:
	case ACTION_QUIT:
		return true;
	default:
		return false;
	}
}

/* The async path: start the active run's step on the worker, or finish the one in
 * progress when it is done (waiting at most budget seconds). Returns the steps finished. */
static long advance_async(struct app *a, long max_steps, double budget)
{
	if (!a->busy) {
		a->nstepping = 0;
		for (int i = 0; i < a->nruns; i++)
			if (runnable(a, i))
				a->stepping[a->nstepping++] = i;
		if (max_steps <= 0 || a->nstepping == 0)
			return 0;
		char *cause = NULL;
		if (a->step_pool == NULL && (a->step_pool = pool_new(1, &cause)) == NULL) {
			free(cause);
			a->async = false; /* no thread: step in this one */
			return 0;
		}
		if (pool_start(a->step_pool, (size_t)a->nstepping, step_work, a, &cause) != 0) {
			free(cause);
			a->async = false;
			return 0;
		}
		a->busy = true;
	}
	if (!pool_wait(a->step_pool, budget > 0 ? budget : 0))
		return 0;
	a->busy = false;
	for (int k = 0; k < a->nstepping; k++) {
		run_step_end(a->run[a->stepping[k]]);
		after_step(a, a->stepping[k]);
	}
	/* keys that waited for the step, in the order typed */
	int keys[16], n = a->npending, k = 0;
	memcpy(keys, a->pending, sizeof keys);
	a->npending = 0;
	while (k < n && !a->busy)
		app_key(a, keys[k++]);
	for (; k < n; k++) /* a key started another step: the rest wait for it */
		a->pending[a->npending++] = keys[k];
	return 1;
}

long app_advance(struct app *a, long max_steps, double budget)
{
	/* No step, no change: what the app shows is a function of the rounds of stepping
	 * (a->ticks) and the keys, which is what makes a recording replay exactly. */
	if (max_steps <= 0 && !a->busy) /* (a step in progress on the worker may end) */
		return 0;
	double t0 = now();
	long steps = 0;
	long left = a->stop_at >= 0 ? a->stop_at - app_active(a)->step : -1;
	if (left >= 0 && max_steps > left)
		max_steps = left;
	/* recording or replaying: steps in this thread, so keys land on the same steps */
	bool async = a->async && !a->deterministic && (a->slow || a->busy) && a->phase == NULL;
	if (async)
		steps = advance_async(a, max_steps, budget);
	while (!async && steps < max_steps) {
		bool any = false;
		for (int i = 0; i < a->nruns; i++) {
			if (!runnable(a, i))
				continue;
			double ts = now();
			run_step(a->run[i]);
			/* slow steps go to the worker from now on (never where the screen reads θ) */
			if (now() - ts > APP_SLOW_STEP && !a->run[i]->th->have_star && a->phase == NULL)
				a->slow = true;
			if (phase_check(a)) {
				steps++;
				a->ticks++;
				goto phase_moved;
			}
			after_step(a, i);
			any = true;
		}
		if (!any)
			break;
		steps++;
		a->ticks++;
		if (all_done(a))
			break;
		if (budget > 0 && now() - t0 >= budget)
			break;
	}
phase_moved:;
	if (steps > 0)
		a->cursor = -1; /* the runs moved on: back to the live point */
	/* Steps per wall-clock second over windows of half a second or more (so --speed's
	 * pacing shows as it is); a pause starts a new window. */
	double t1 = now();
	if (a->paused || a->rate_t0 == 0 || t1 - a->rate_t0 > 5) {
		a->rate_t0 = t0;
		a->rate_steps = 0;
		a->rate_busy = 0;
	}
	a->rate_steps += steps;
	a->rate_busy += t1 - t0;
	if (t1 - a->rate_t0 >= 0.5) {
		a->steps_per_sec = (double)a->rate_steps / (t1 - a->rate_t0);
		a->engine_sps = a->rate_busy > 0 ? (double)a->rate_steps / a->rate_busy : 0;
		a->rate_t0 = t1;
		a->rate_steps = 0;
		a->rate_busy = 0;
	}
	if (a->deterministic)
		a->steps_per_sec = 0; /* the wall clock would make a replay differ */
	if (!a->busy) { /* else the worker is moving θ */
		for (int i = 0; i < a->nruns; i++)
			run_update_extras(a->run[i]);
		app_update_planes(a);
	}
	if (a->stop_at >= 0 && app_active(a)->step >= a->stop_at && !a->paused) {
		/* --steps N: stop there once; space runs on */
		a->paused = true;
		app_message(a, false, "stopped at step %ld (--steps); space runs on", a->stop_at);
		a->stop_at = -1;
	}
	/* (the phase presets: not while the sweep still fills the map, which must be drawn) */
	if (!a->paused && !a->busy && all_done(a) && !(a->phase && !pool_wait(a->phase->pr->pool, 0))) {
		a->paused = true;
		bool bad = false;
		for (int i = 0; i < a->nruns; i++)
			bad |= !runnable(a, i);
		if (!bad)
			app_message(a, false, "converged: misfit below 1e-13 r0; paused");
	}
	return steps;
}

