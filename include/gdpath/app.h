/* app.h — the visualizer's state and what keys do to it, without curses: the runs shown
 * (one live run plus ghosts, forks or a step-size fan), the view switches, the theme and
 * the status message. ui.c feeds it keys and time; view.c draws it; --snapshot drives it
 * with a fixed number of steps. */
#ifndef GDPATH_APP_H
#define GDPATH_APP_H

#include <stdbool.h>

#include "gdpath/cli.h"
#include "gdpath/keymap.h"
#include "gdpath/theme.h"

struct track_point;
struct pool;
struct band;

enum { APP_MAX_RUNS = 8 };

struct eta_sweep;
struct pool;

enum axis_mode { AXIS_RAW, AXIS_NORMALIZED, AXIS_SCALED, AXIS_COUNT };

/* What an action asks of the screen. */
enum {
	APP_REDRAW = 1,   /* something visible changed */
	APP_RELAYOUT = 2, /* sizes or panels changed */
	APP_THEME = 4,    /* colours changed: re-initialise colour pairs */
	APP_QUIT = 8,
};

/* What the app knows about each run beyond the run itself. */
struct app_run {
	bool halted;          /* paused itself (blew up); space resumes */
	long converged_step;  /* first step with misfit ≤ 1e-6·r0, or -1 */
	double fan_factor;    /* η multiple in a fan (0: not a fan run) */
};

struct app {
	struct opts base;           /* what new runs are built from (keys change it) */
	struct run *run[APP_MAX_RUNS];
	int nruns;
	struct app_run meta[APP_MAX_RUNS];
	int active;                 /* the run keys act on; others are ghosts */
	bool forked;                /* after 'c': the next optimizer change applies in place */
	bool fan;                   /* the runs are a step-size fan */
	double fan_threshold;       /* 2/β0², the stability threshold */
	double fan_base;            /* η × 1 of the fan */

	bool paused;
	bool bounds;                /* bounds overlay */
	bool param_toggled;         /* the parameter-space panel flipped from its default */
	struct eta_sweep *eta_sweep; /* the range test shown (key E), or NULL */
	struct pool *pool;          /* its threads, made on first use */
	size_t eta_seen;            /* its points drawn so far */
	bool deterministic;         /* recording or replaying: no wall-clock on screen, and
	                             * the range test finishes before the key returns */
	long ticks;                 /* rounds of stepping since the start (app_advance) */
	bool recording;             /* --record: key K adds a mark */
	bool captioning;            /* typing a mark's caption */
	char caption[96];
	int nmarks;
	bool mark_added;            /* a mark was just added (the recorder takes it) */
	bool help;                  /* help overlay shown */
	bool legends;               /* plot legends shown (k) */
	bool loss_log, step_log;    /* loss plot axes */
	int axis;                   /* enum axis_mode */
	bool ascii;

	struct theme theme;
	char theme_name[64];
	int colours;                /* colours the terminal shows (ui.c; 256 for --snapshot) */
	bool region_fill;           /* the region shows by a fill glyph (no background for it) */

	bool editing;               /* typing an exact η */
	char edit[32];

	char msg[256];              /* one-line status message */
	bool msg_warn;

	double steps_per_sec;       /* steps of the active run per wall-clock second */
	double rate_t0;             /* start of the current rate window */
	long rate_steps;            /* steps in it */
	double rate_busy;           /* seconds of it spent stepping */
	double engine_sps;          /* steps per second of stepping time: the optimizer's own
				     * rate, which --speed may cap the wall-clock rate below */
	double speed;               /* steps per second at most (0: unlimited); ui.c paces */

	/* Slow steps on a worker thread (ui.c sets async): runs whose steps take
	 * longer than APP_SLOW_STEP seconds (or that trains on images) steps on the pool's
	 * thread while keys and drawing go on; keys that would change the run wait in
	 * `pending` and act when the step in progress ends. */
	struct band *band;          /* --band: realizations drawn behind the live run, or NULL */
	bool async, slow, busy;
	struct pool *step_pool;         /* the worker for slow steps (async), made on first use */
	int pending[16], npending;
	int stepping[APP_MAX_RUNS], nstepping; /* the runs the worker is stepping */
	struct phase_live *phase;   /* the live phase diagram (phase presets), or NULL */
	size_t phase_seen;          /* trials the pool had finished at the last look */
	long stop_at;               /* --steps in the visualizer: pause at this step (-1: none) */
	bool speed_auto;            /* the adaptive pace (no --speed, no ] or [ yet) */
	long cursor;                /* ←/→: index into the active run's history, -1: live */
};

#define APP_SLOW_STEP 0.03

/* Build the first run from o. -1 with *cause and *status (exit status) on failure. */
int app_init(struct app *a, const struct opts *o, char **cause, int *status);
void app_free(struct app *a);

/* Apply an action; returns APP_* flags. */
int app_action(struct app *a, enum action act);
/* A key: while typing η, digits and editing keys go to the entry; otherwise the key's
 * binding. Unbound keys are ignored (returns 0). 27 = Esc, '\n' or '\r' = Enter,
 * 127 or 8 = Backspace. */
int app_key(struct app *a, int key);

/* Advance every running run by steps in turn until max_steps steps of the active run
 * have been taken or budget_seconds have passed (budget ≤ 0: no time limit). Runs that
 * diverge or blow up pause the app and say so. Returns the steps taken by the active run. */
long app_advance(struct app *a, long max_steps, double budget_seconds);

/* The range test's threads are still working, or a step on the worker thread (async). */
bool app_busy(const struct app *a);
/* True once when more of the range test finished since the last call (redraw). */
bool app_poll(struct app *a);

/* Recompute the parameter-space plane of the active run (proj.h) after steps or keys. */
void app_update_planes(struct app *a);
/* True once after work in the background (the phase sweep's pool) changed what the view
 * shows, so a screen whose runs are idle still redraws. */
bool app_take_changed(struct app *a);

/* The terminal shows ncolours colours (0: none): decides whether the region is drawn
 * with a fill glyph (fewer than 256 colours, or a theme without a region colour). */
void app_set_colours(struct app *a, int ncolours);
/* Steps per second ui.c paces the runs at (0: unlimited): --speed or ]/[, or else the
 * adaptive pace — the active run's geometric decay so far, extrapolated, reaches 1 % of r0
 * in APP_PACE_SECONDS (10 to 20000 steps per second; 10 before there are 5 steps). */
enum { APP_PACE_SECONDS = 6 };
double app_speed(const struct app *a);
/* The point the view shows: the history point under the cursor, or the current one. */
const struct track_point *app_view_point(const struct app *a, int run);
/* Arrow keys as app_key codes (above any character). */
enum { APP_KEY_LEFT = 0x110000, APP_KEY_RIGHT, APP_KEY_HOME, APP_KEY_END };
/* The run keys act on. */
struct run *app_active(const struct app *a);
/* The colour role of run i (ROLE_TRAJECTORY for the active run, ghosts ROLE_GHOST1+). */
int app_run_role(const struct app *a, int i);
/* Set the status message (printf-style). */
void app_message(struct app *a, bool warn, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
