/* app_keys.c — what each key does to the visualizer's state (app.c): step sizes, models,
 * optimizers, presets, themes, forks and fans, the export, the history cursor, the η and
 * caption entries. No curses. */
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

static const double fan_factors[5] = {0.25, 0.5, 1, 2, 4}; /* the fan's η multiples */

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
	if (app_rebuild(a) != 0) {
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
	if (app_rebuild(a) != 0) {
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
	if (app_rebuild(a) != 0) {
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
		app_meta_reset(&a->meta[i]);
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
	if (app_rebuild(a) != 0) {
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
		app_meta_reset(&a->meta[i]);
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
	if (app_rebuild(a) != 0) {
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
		return app_range_test(a);
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
	if (a->busy && (a->editing ? key == '\n' || key == '\r' : !app_safe_while_busy(keymap_lookup(key)))) {
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
