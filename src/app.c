/* app.c — the visualizer's state machine: runs (live, ghosts, forks, fans), what each key
 * does, stepping for a time budget, the status message and the export. No curses. */
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

static const double fan_factors[5] = {0.25, 0.5, 1, 2, 4};

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

static void meta_reset(struct app_run *m)
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
static int rebuild(struct app *a)
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
	meta_reset(&a->meta[0]);
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
	meta_reset(&a->meta[0]);
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
	if (rebuild(a) != 0) {
		a->base.run = old;
		a->meta[0].halted = true;
		return true;
	}
	app_message(a, warn, "%s", what);
	return true;
}

/* Key E: the step-size range test from the active run's data and θ0, on the pool; again:
 * hide it. */
static int range_test(struct app *a)
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
static bool safe_while_busy(enum action act)
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

static int set_eta(struct app *a, double eta)
{
	struct run *r = app_active(a);
	if (!(eta > 0) || !isfinite(eta)) {
		app_message(a, true, "η must be a positive finite number");
		return APP_REDRAW;
	}
	run_set_eta(r, eta);
	a->meta[a->active].fan_factor = 0; /* no longer the fan's η × f */
	a->base.run.eta = eta;
	a->base.run.eta_theory = false;
	if (r->th->spectrum_off) {
		app_message(a, false, "η = %.4g", eta);
	} else {
		double g = theory_eta_beta2(r->th, eta);
		app_message(a, g > 2, "η = %.3g (η·β² = %.3g%s)", eta, g, g > 2 ? " > 2: unstable" : "");
	}
	return APP_REDRAW;
}

/* A new model: its own default sizes and data; keep the optimizer and seed. */
static int switch_model(struct app *a, int dir)
{
	size_t n = model_count(), i = 0;
	while (i < n && model_at(i) != a->base.run.ops)
		i++;
	/* image models (lenet) need their data and an η of their own: --model or a preset */
	do
		i = (i + n + (size_t)(dir > 0 ? 1 : n - 1)) % n;
	while (model_at(i)->images && model_at(i) != a->base.run.ops);
	struct run_cfg *c = &a->base.run;
	struct run_cfg old = *c;
	c->ops = model_at(i);
	memset(&c->mcfg, 0, sizeof c->mcfg);
	c->mcfg.act = -1;
	c->mcfg.gamma = NAN;
	c->labels = -1;
	c->init = INIT_RANDOM;
	c->data_file = NULL;
	c->eta_theory = true;
	c->eta_scale = 1;
	if (rebuild(a) != 0) {
		*c = old;
		return APP_REDRAW;
	}
	/* A file's data and θ0 belong to the model they were made for: say that they go. */
	if (old.data_file || old.init == INIT_FILE)
		app_message(a, true, "switched to model %s: generated data and random θ0 (%s%s%s no longer used)",
			    c->ops->name, old.data_file ? "--data" : "",
			    old.data_file && old.init == INIT_FILE ? ", " : "",
			    old.init == INIT_FILE ? "--init" : "");
	else
		app_message(a, false, "switched to model %s", c->ops->name);
	return APP_REDRAW | APP_RELAYOUT;
}

static int switch_optim(struct app *a, int dir)
{
	struct run *r = app_active(a);
	int k = (r->cfg.ocfg.kind + (dir > 0 ? 1 : OPT_COUNT - 1)) % OPT_COUNT;
	struct optim_cfg oc = r->cfg.ocfg;
	oc.kind = k;
	char *cause = NULL;
	if (a->forked && a->nruns > 1) {
		/* after a fork, the copy continues from the current iterate with the new method */
		if (run_set_optim(r, &oc, &cause) != 0) {
			app_message(a, true, "%s", cause);
			free(cause);
			return APP_REDRAW;
		}
		app_message(a, false, "optimizer %s from step %ld", optim_name(k), r->step);
		return APP_REDRAW;
	}
	struct optim_cfg old = a->base.run.ocfg;
	a->base.run.ocfg = oc;
	if (rebuild(a) != 0) {
		a->base.run.ocfg = old;
		return APP_REDRAW;
	}
	app_message(a, false, "optimizer %s", optim_name(k));
	return APP_REDRAW;
}

static int change_model_cfg(struct app *a, struct model_cfg mc, const char *what)
{
	struct run_cfg old = a->base.run;
	a->base.run.mcfg = mc;
	if (rebuild(a) != 0) {
		a->base.run = old;
		return APP_REDRAW;
	}
	app_message(a, false, "%s", what);
	return APP_REDRAW;
}

static int next_activation(struct app *a)
{
	const struct model *m = app_active(a)->m;
	if (!m->ops->has_act || m->ops == &model_glm_ops) {
		app_message(a, true, "model %s has no activation to choose", m->ops->name);
		return APP_REDRAW;
	}
	struct model_cfg mc = a->base.run.mcfg;
	mc.act = (m->cfg.act + 1) % ACT_COUNT;
	char what[64];
	snprintf(what, sizeof what, "activation %s", act_name(mc.act));
	return change_model_cfg(a, mc, what);
}

static int change_width(struct app *a, bool up)
{
	const struct model *m = app_active(a)->m;
	if (m->ops != &model_shallow_ops && m->ops != &model_rf_ops && m->ops != &model_du_ops && m->ops != &model_mlp_ops) {
		app_message(a, true, "model %s has no width", m->ops->name);
		return APP_REDRAW;
	}
	struct model_cfg mc = a->base.run.mcfg;
	size_t k = m->cfg.k;
	if (!up && k <= 1) {
		app_message(a, true, "width is already 1");
		return APP_REDRAW;
	}
	mc.k = up ? 2 * k : k / 2;
	char what[64];
	snprintf(what, sizeof what, "width %zu", mc.k);
	return change_model_cfg(a, mc, what);
}

static int restart_all(struct app *a)
{
	char *cause = NULL;
	for (int i = 0; i < a->nruns; i++) {
		if (run_restart(a->run[i], false, &cause) != 0) {
			app_message(a, true, "%s", cause);
			free(cause);
			return APP_REDRAW;
		}
		double f = a->meta[i].fan_factor;
		meta_reset(&a->meta[i]);
		a->meta[i].fan_factor = f;
	}
	a->paused = false;
	a->cursor = -1;
	app_message(a, false, "restarted: same data, same θ0");
	return APP_REDRAW;
}

/* R: a new seed. Data from --data stay (a seed cannot redraw them) and the message says
 * so; a θ0 from --init is replaced by a random one, and the message says that too. */
static int reseed(struct app *a)
{
	struct run *r = app_active(a);
	bool had_init = a->base.run.init == INIT_FILE;
	a->base.run.seed = r->cfg.seed + 1;
	if (had_init)
		a->base.run.init = INIT_RANDOM;
	if (rebuild(a) != 0) {
		if (had_init)
			a->base.run.init = INIT_FILE;
		return APP_REDRAW;
	}
	const char *df = a->base.run.data_file;
	if (df && had_init)
		app_message(a, true, "seed %lu: data from %s kept; random θ0 instead of --init",
			    a->base.run.seed, df);
	else if (df)
		app_message(a, false, "seed %lu: data from %s kept; new θ0", a->base.run.seed, df);
	else if (had_init)
		app_message(a, true, "seed %lu: new data; random θ0 instead of --init", a->base.run.seed);
	else
		app_message(a, false, "seed %lu: new data and θ0", a->base.run.seed);
	return APP_REDRAW;
}

static int fork_run(struct app *a)
{
	if (a->nruns >= APP_MAX_RUNS) {
		app_message(a, true, "at most %d runs: C clears the ghosts", APP_MAX_RUNS);
		return APP_REDRAW;
	}
	char *cause = NULL;
	struct run *src = app_active(a);
	struct run *r = run_fork(src, &cause);
	if (r == NULL) {
		app_message(a, true, "%s", cause);
		free(cause);
		return APP_REDRAW;
	}
	a->run[a->nruns] = r;
	a->meta[a->nruns] = a->meta[a->active];
	a->meta[a->nruns].fan_factor = 0;
	a->active = a->nruns++;
	a->forked = true;
	app_message(a, false, "forked at step %ld: change η or the optimizer; the ghost keeps its own",
		    r->step);
	return APP_REDRAW;
}

static int clear_ghosts(struct app *a)
{
	struct run *keep = app_active(a);
	struct app_run m = a->meta[a->active];
	for (int i = 0; i < a->nruns; i++)
		if (a->run[i] != keep)
			run_free(a->run[i]);
	a->run[0] = keep;
	a->meta[0] = m;
	a->meta[0].fan_factor = 0;
	a->nruns = 1;
	a->active = 0;
	a->fan = a->forked = false;
	a->cursor = -1;
	app_message(a, false, "ghosts cleared");
	return APP_REDRAW;
}

/* Five runs at η × ¼ … 4 from the same data and θ0. */
static int fan(struct app *a)
{
	char *cause = NULL;
	struct run *base = app_active(a);
	double eta = base->eta; /* around the η in force now */
	if (run_restart(base, false, &cause) != 0) {
		app_message(a, true, "%s", cause);
		free(cause);
		return APP_REDRAW;
	}
	struct run *runs[5] = {NULL};
	for (int i = 0; i < 5; i++) {
		runs[i] = i == 2 ? base : run_fork(base, &cause);
		if (runs[i] == NULL) {
			for (int j = 0; j < i; j++)
				if (runs[j] != base)
					run_free(runs[j]);
			app_message(a, true, "%s", cause);
			free(cause);
			return APP_REDRAW;
		}
	}
	for (int i = 0; i < a->nruns; i++)
		if (a->run[i] != base)
			run_free(a->run[i]);
	for (int i = 0; i < 5; i++) {
		struct run *r = runs[i];
		r->eta = eta * fan_factors[i];
		r->tr->cur.eta = r->tr->h[0].eta = r->eta;
		r->tr->mark_eta[0] = r->eta;
		a->run[i] = r;
		meta_reset(&a->meta[i]);
		a->meta[i].fan_factor = fan_factors[i];
	}
	a->nruns = 5;
	a->active = 2;
	a->fan = true;
	a->forked = false;
	a->fan_base = eta;
	a->cursor = -1;
	a->fan_threshold = base->th->beta0 > 0 ? 2 / (base->th->beta0 * base->th->beta0) : NAN;
	a->paused = false;
	app_message(a, false, "fan: η × ¼ ½ 1 2 4 around %.3g; stability threshold 2/β0² = %.3g", eta,
		    a->fan_threshold);
	return APP_REDRAW;
}

static int next_preset(struct app *a)
{
	size_t n = preset_count(), i = 0;
	if (a->base.preset)
		while (i < n && strcmp(preset_at(i)->name, a->base.preset) != 0)
			i++;
	i = a->base.preset ? (i + 1) % n : 0;
	const struct preset *p;
	struct opts o;
	/* the image presets (lenet-*) take seconds to load: --preset only, not this cycle */
	for (size_t tries = 0;; tries++, i = (i + 1) % n) {
		p = preset_at(i);
		o = a->base;
		unsigned long seed = o.run.seed;
		run_cfg_default(&o.run);
		o.run.seed = seed;
		o.preset = p->name;
		/* a preset starts from the defaults: no sweep, nothing "given" on a command line */
		int jobs = o.sw.jobs;
		memset(&o.sw, 0, sizeof o.sw);
		o.sw.tol = NAN;
		o.sw.jobs = jobs;
		shard_whole(&o.sw.shard);
		memset(o.given, 0, sizeof o.given);
		p->apply(&o);
		if (!o.run.ops->images || tries >= n)
			break;
	}
	struct phase_live *pl = NULL;
	if (o.sw.name) {
		char *cause = NULL;
		if ((pl = phase_live_new(&o, &o.run, &cause)) == NULL) {
			app_message(a, true, "%s", cause);
			free(cause);
			return APP_REDRAW;
		}
	}
	struct opts old = a->base;
	a->base = o;
	if (rebuild(a) != 0) {
		a->base = old;
		phase_live_free(pl);
		return APP_REDRAW;
	}
	phase_live_free(a->phase);
	a->phase = pl;
	a->phase_seen = 0;
	app_message(a, false, "preset %s: %s", p->name, p->summary);
	return APP_REDRAW | APP_RELAYOUT;
}

/* The next theme that loads; one that does not is reported and skipped. */
static int next_theme(struct app *a)
{
	char **names = theme_list();
	size_t n = 0, i = 0;
	while (names && names[n])
		n++;
	if (n == 0) {
		theme_strv_free(names);
		return 0;
	}
	while (i < n && strcmp(names[i], a->theme_name) != 0)
		i++;
	size_t start = i < n ? i : n - 1;
	char skipped[160] = "";
	for (size_t k = 1; k <= n; k++) {
		size_t j = (start + k) % n;
		char *why = NULL;
		struct theme t;
		if (theme_load(names[j], &t, &why) != 0) {
			char *nl = why ? strchr(why, '\n') : NULL;
			if (nl)
				*nl = '\0';
			if (!skipped[0])
				snprintf(skipped, sizeof skipped, "%s", why ? why : names[j]);
			free(why);
			continue;
		}
		a->theme = t;
		snprintf(a->theme_name, sizeof a->theme_name, "%s", names[j]);
		app_set_colours(a, a->colours);
		if (skipped[0])
			app_message(a, true, "skipped a theme that does not load (%s); theme %s", skipped,
				    names[j]);
		else
			app_message(a, false, "theme %s", names[j]);
		theme_strv_free(names);
		return APP_REDRAW | APP_THEME;
	}
	app_message(a, true, "no theme loads (%s)", skipped);
	theme_strv_free(names);
	return APP_REDRAW;
}

/* Write one run's CSV to dir/name atomically: a temporary file beside it, then rename. */
static int export_one(struct run *r, const char *dir, const char *name, char **cause)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path ||
	    snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", dir, name) >= (int)sizeof tmp) {
		*cause = xasprintf("%s: the path is too long", dir);
		return -1;
	}
	int fd = mkstemp(tmp);
	if (fd < 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	mode_t um = umask(0);
	umask(um);
	if (fchmod(fd, 0666 & ~um) != 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	FILE *f = fdopen(fd, "w");
	if (f == NULL) {
		close(fd);
		unlink(tmp);
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	batch_write_meta(f, r);
	batch_write_header(f, r);
	batch_write_history(f, r);
	int bad = fflush(f) != 0 || ferror(f);
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path) != 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* x: every run's history as CSV in --export-dir (default: the current directory); the
 * message gives the full path. */
static int export_runs(struct app *a)
{
	char dir[PATH_MAX], first[PATH_MAX + 128] = "", last[128] = "";
	const char *want = a->base.export_dir ? a->base.export_dir : ".";
	if (realpath(want, dir) == NULL) {
		app_message(a, true, "export failed: %s: %s", want, strerror(errno));
		return APP_REDRAW;
	}
	for (int i = 0; i < a->nruns; i++) {
		struct run *r = a->run[i];
		char name[128];
		if (a->nruns == 1)
			snprintf(name, sizeof name, "gdpath-%s-s%lu-%ld.csv", r->m->ops->name, r->cfg.seed,
				 r->step);
		else
			snprintf(name, sizeof name, "gdpath-%s-s%lu-%ld-run%d.csv", r->m->ops->name,
				 r->cfg.seed, r->step, i + 1);
		char *cause = NULL;
		if (export_one(r, dir, name, &cause) != 0) {
			app_message(a, true, "export failed: %s", cause);
			free(cause);
			return APP_REDRAW;
		}
		if (i == 0)
			snprintf(first, sizeof first, "%s/%s", strcmp(dir, "/") ? dir : "", name);
		snprintf(last, sizeof last, "%s", name);
	}
	if (a->nruns == 1)
		app_message(a, false, "exported %s", first);
	else
		app_message(a, false, "exported %d runs: %s … %s", a->nruns, first, last);
	return APP_REDRAW;
}

void app_update_planes(struct app *a)
{
	if (a->nruns > 0)
		run_update_plane(app_active(a));
}

static int do_action(struct app *a, enum action act);

/* ←/→: a cursor along the active run's history (about 200 presses end to end); the runs
 * pause, and the panels show the values at the cursor. Past the end: the live point. */
static int move_cursor(struct app *a, bool fwd)
{
	const struct track *t = app_active(a)->tr;
	long len = (long)t->len;
	/* the last history point may be the current one */
	long last = len > 0 && t->h[len - 1].step == t->cur.step ? len - 2 : len - 1;
	long stride = len > 200 ? len / 200 : 1;
	a->paused = true;
	if (last < 0)
		return APP_REDRAW;
	if (!fwd)
		a->cursor = a->cursor < 0 ? last : a->cursor - stride < 0 ? 0 : a->cursor - stride;
	else if (a->cursor >= 0)
		a->cursor = a->cursor + stride > last ? -1 : a->cursor + stride;
	if (a->cursor >= 0)
		app_message(a, false, "cursor at step %ld of %ld: ← → move, space runs on",
			    t->h[a->cursor].step, t->cur.step);
	else
		app_message(a, false, "at the live point (step %ld)", t->cur.step);
	return APP_REDRAW;
}

int app_action(struct app *a, enum action act)
{
	int f = do_action(a, act);
	app_update_planes(a);
	return f;
}

static int do_action(struct app *a, enum action act)
{
	struct run *r = app_active(a);
	switch (act) {
	case ACTION_NONE:
		return 0;
	case ACTION_PAUSE:
		a->paused = !a->paused;
		if (a->phase)
			phase_live_pause(a->phase, a->paused);
		if (!a->paused)
			for (int i = 0; i < a->nruns; i++)
				a->meta[i].halted = false;
		a->msg[0] = '\0';
		return APP_REDRAW;
	case ACTION_STEP:
		a->paused = true;
		for (int i = 0; i < a->nruns; i++)
			a->meta[i].halted = false;
		app_advance(a, 1, 0);
		a->paused = true;
		return APP_REDRAW;
	case ACTION_FASTER:
		if (a->speed_auto)
			a->speed = round(app_speed(a)); /* from the pace in force */
		a->speed_auto = false;
		a->speed = a->speed <= 0 || a->speed >= 1e6 ? 0 : a->speed * 2;
		if (a->speed > 0)
			app_message(a, false, "at most %.0f steps per second", a->speed);
		else
			app_message(a, false, "as many steps per second as fit");
		return APP_REDRAW;
	case ACTION_SLOWER:
		if (a->speed_auto)
			a->speed = round(app_speed(a));
		a->speed_auto = false;
		a->speed = a->speed <= 0 ? 1e6 : a->speed / 2 < 1 ? 1 : a->speed / 2;
		app_message(a, false, "at most %.0f steps per second", a->speed);
		return APP_REDRAW;
	case ACTION_ETA_DOUBLE:
		return set_eta(a, r->eta * 2);
	case ACTION_ETA_HALVE:
		return set_eta(a, r->eta / 2);
	case ACTION_ETA_UP:
		return set_eta(a, r->eta * 1.25);
	case ACTION_ETA_DOWN:
		return set_eta(a, r->eta / 1.25);
	case ACTION_ETA_THEORY:
		return set_eta(a, r->th->eta_theory);
	case ACTION_ETA_ENTER:
		a->editing = true;
		a->edit[0] = '\0';
		return APP_REDRAW;
	case ACTION_MODEL_NEXT:
		return switch_model(a, 1);
	case ACTION_MODEL_PREV:
		return switch_model(a, -1);
	case ACTION_OPTIM_NEXT:
		return switch_optim(a, 1);
	case ACTION_OPTIM_PREV:
		return switch_optim(a, -1);
	case ACTION_ACTIVATION_NEXT:
		return next_activation(a);
	case ACTION_WIDTH_UP:
		return change_width(a, true);
	case ACTION_WIDTH_DOWN:
		return change_width(a, false);
	case ACTION_RESTART:
		return restart_all(a);
	case ACTION_RESEED:
		return reseed(a);
	case ACTION_FORK:
		return fork_run(a);
	case ACTION_CLEAR_GHOSTS:
		return clear_ghosts(a);
	case ACTION_FAN:
		return fan(a);
	case ACTION_BOUNDS:
		a->bounds = !a->bounds;
		return APP_REDRAW;
	case ACTION_RANGE_TEST:
		return range_test(a);
	case ACTION_MARK:
		if (!a->recording) {
			app_message(a, true, "K adds a mark to a recording: start with --record FILE");
			return APP_REDRAW;
		}
		a->captioning = true;
		a->caption[0] = '\0';
		return APP_REDRAW;
	case ACTION_PARAM_PANEL:
		a->param_toggled = !a->param_toggled;
		return APP_REDRAW | APP_RELAYOUT;
	case ACTION_AXIS:
		a->axis = (a->axis + 1) % AXIS_COUNT;
		return APP_REDRAW;
	case ACTION_LOSS_LOG:
		a->loss_log = !a->loss_log;
		return APP_REDRAW;
	case ACTION_STEP_LOG:
		a->step_log = !a->step_log;
		a->loss_log = a->loss_log || a->step_log;
		return APP_REDRAW;
	case ACTION_PRESET:
		return next_preset(a);
	case ACTION_THEME:
		return next_theme(a);
	case ACTION_EXPORT:
		return export_runs(a);
	case ACTION_HELP:
		a->help = !a->help;
		return APP_REDRAW;
	case ACTION_CURSOR_BACK:
	case ACTION_CURSOR_FWD:
		return move_cursor(a, act == ACTION_CURSOR_FWD);
	case ACTION_LEGEND:
		a->legends = !a->legends;
		return APP_REDRAW;
	case ACTION_QUIT:
		return APP_QUIT;
	case ACTION_COUNT:
		break;
	}
	return 0;
}

/* The exact-η entry keeps every character typed (a byte above ASCII shows as '?'), so
 * that what is parsed is what the user sees: "1,5", "1/8" or "0x10" are rejected whole,
 * never read as 15, 18 or 10. Enter accepts a positive finite number or "theory". */
static int edit_key(struct app *a, int key)
{
	size_t len = strlen(a->edit);
	if (key == 27) {
		a->editing = false;
		app_message(a, false, "η unchanged");
	} else if (key == '\n' || key == '\r') {
		double v;
		a->editing = false;
		if (strcmp(a->edit, "theory") == 0)
			return set_eta(a, app_active(a)->th->eta_theory);
		if (parse_double(a->edit, &v) != 0 || !(v > 0) || !isfinite(v)) {
			app_message(a, true, "'%s' is not a positive number (or 'theory'): η unchanged",
				    a->edit);
			return APP_REDRAW;
		}
		return set_eta(a, v);
	} else if (key == 127 || key == 8) {
		if (len > 0)
			a->edit[len - 1] = '\0';
	} else if (len + 1 < sizeof a->edit) {
		if (key >= 0x20 && key < 0x7f)
			a->edit[len++] = (char)key;
		else if ((key >= 0xc0 && key < 0x110000) || (key >= 0 && key < 0x20) || key == 0x7f)
			a->edit[len++] = '?'; /* control or non-ASCII: never a digit */
		a->edit[len] = '\0';
	}
	return APP_REDRAW;
}

/* Typing a mark's caption: printable characters (UTF-8 bytes too), Backspace, Enter adds
 * the mark, Esc gives up. */
static int caption_key(struct app *a, int key)
{
	size_t len = strlen(a->caption);
	if (key == 27) {
		a->captioning = false;
		app_message(a, false, "no mark added");
	} else if (key == '\n' || key == '\r') {
		a->captioning = false;
		a->nmarks++;
		a->mark_added = true;
		app_message(a, false, "mark %d%s%s", a->nmarks, a->caption[0] ? ": " : "", a->caption);
	} else if (key == 127 || key == 8) {
		while (len > 0 && ((unsigned char)a->caption[len - 1] & 0xC0) == 0x80)
			len--; /* a whole UTF-8 character */
		if (len > 0)
			a->caption[len - 1] = '\0';
		else
			a->caption[0] = '\0';
	} else if (key >= 32 && key != 127 && key < 256 && len + 1 < sizeof a->caption) {
		a->caption[len] = (char)key;
		a->caption[len + 1] = '\0';
	}
	return APP_REDRAW;
}

int app_key(struct app *a, int key)
{
	if (a->captioning)
		return caption_key(a, key);
	if (a->busy && (a->editing ? key == '\n' || key == '\r' : !safe_while_busy(keymap_lookup(key)))) {
		/* it would change the run the worker is stepping: after the step */
		if (a->npending < (int)(sizeof a->pending / sizeof a->pending[0]))
			a->pending[a->npending++] = key;
		app_message(a, false, "key waits for the step in progress (%d queued)", a->npending);
		return APP_REDRAW;
	}
	if (a->editing)
		return edit_key(a, key);
	a->msg[0] = '\0';
	if (a->help) { /* any key closes the help, q included */
		a->help = false;
		return APP_REDRAW;
	}
	return app_action(a, keymap_lookup(key));
}
