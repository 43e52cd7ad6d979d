/* replay.c — recording, replaying and casting sessions (replay.h).
 *
 * Why a replay matches the recording byte for byte: the screen is a function of the app's
 * state (the view reads nothing else), and the state after n rounds of stepping (app.ticks)
 * is a function of the options, the seed and the keys with the ticks they acted at —
 * provided nothing on screen reads the wall clock (a->deterministic hides the steps-per-
 * second figure and makes the range test finish before its key returns). So the recording
 * keeps the keys and, for each frame drawn, its tick; the replay brings the app to each
 * event's tick with app_advance(), applies the keys, and draws where a frame was drawn. */
#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "gdpath/app.h"
#include "gdpath/canvas.h"
#include "gdpath/cast.h"
#include "gdpath/cli.h"
#include "gdpath/record.h"
#include "gdpath/replay.h"
#include "gdpath/theme.h"
#include "gdpath/ui.h"
#include "gdpath/util.h"
#include "gdpath/view.h"

static double mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

struct session {
	struct recorder *rec;
	struct cast *cast;
	struct theme cast_theme;
	bool cast_theme_set;
	double t0;
	/* replay */
	struct recording *rc;
	size_t idx;
	double clock_ms, wall_prev, speed;
	bool viewer_paused, pending, pause_after_frame, finished, skip, quit;
	double frame_ms;
	int cols, rows;
	long frames;  /* drawn while recording */
	size_t nplay; /* events up to the last frame: what came after it (the key that quit)
		       * never reached the screen, and a replay ends on that frame */
};

static size_t events_to_play(const struct recording *rc)
{
	size_t n = rc->nev;
	while (n > 0 && rc->ev[n - 1].kind != REC_FRAME)
		n--;
	return n;
}

/* The canvas size a replay draws at: the recorded one, where the terminal has room. */
static void replay_size(void *ctx, int *w, int *h)
{
	struct session *s = ctx;
	if (*w >= s->cols && *h >= s->rows) {
		*w = s->cols;
		*h = s->rows;
	}
}

/* Bring the app to round `tick` of stepping, as the recorded session got there. */
static int reach(struct app *a, long tick)
{
	while (a->ticks < tick) {
		long before = a->ticks;
		if (a->paused)
			return -1;
		app_advance(a, tick - a->ticks, 0);
		if (a->ticks == before)
			return -1;
	}
	return a->ticks == tick ? 0 : -1;
}

static void cast_theme_sync(struct session *s, const struct app *a)
{
	if (s->cast && (!s->cast_theme_set || !theme_equal(&s->cast_theme, &a->theme))) {
		s->cast_theme = a->theme;
		s->cast_theme_set = true;
		cast_set_theme(s->cast, &a->theme);
	}
}

/* ---- recording hooks ---- */

static bool rec_key(void *ctx, struct app *a, int key)
{
	struct session *s = ctx;
	if (s->rec)
		recorder_key(s->rec, a->ticks, key);
	return false;
}

static void rec_acted(void *ctx, struct app *a, int key)
{
	struct session *s = ctx;
	(void)key;
	if (!a->mark_added)
		return;
	a->mark_added = false;
	if (s->rec)
		recorder_mark(s->rec, a->ticks, a->caption);
	if (s->cast)
		cast_marker(s->cast, mono_s() - s->t0, a->caption);
}

static void rec_drawn(void *ctx, struct app *a, struct canvas *c)
{
	struct session *s = ctx;
	s->frames++;
	if (s->rec)
		recorder_frame(s->rec, a->ticks, canvas_width(c), canvas_height(c));
	if (s->cast) {
		cast_theme_sync(s, a);
		cast_frame(s->cast, mono_s() - s->t0, c);
	}
}

/* ---- replay hooks ---- */

static bool play_key(void *ctx, struct app *a, int key)
{
	struct session *s = ctx;
	(void)a;
	switch (key) {
	case ' ':
		s->viewer_paused = !s->viewer_paused;
		s->wall_prev = mono_s();
		break;
	case ']':
		s->speed = fmin(64, s->speed * 2);
		break;
	case '[':
		s->speed = fmax(0.125, s->speed / 2);
		break;
	case 'n':
		s->skip = true;
		s->viewer_paused = false;
		break;
	case 'q':
		s->quit = true;
		break;
	default:
		break;
	}
	return true; /* the recorded keys drive the app, not the viewer's */
}

static void replay_failed(struct session *s, struct app *a, const struct rec_event *e)
{
	app_message(a, true, "%s:%u: the session cannot reach this event here: replay stopped",
		    s->rc->path, e->line);
	s->finished = true;
}

/* Run the recorded events whose time has come, up to and including the next frame. */
static int play_step(void *ctx, struct app *a)
{
	struct session *s = ctx;
	if (s->quit)
		return UI_HOOK_QUIT;
	if (s->finished || s->viewer_paused || s->pending)
		return 0;
	double now = mono_s();
	s->clock_ms += (now - s->wall_prev) * 1000.0 * s->speed;
	s->wall_prev = now;
	int flags = 0;
	double t_start = now;
	while (s->idx < s->nplay) {
		if (s->skip && mono_s() - t_start > 0.05)
			return flags | UI_HOOK_DIRTY; /* keys stay live while fast-forwarding */
		const struct rec_event *e = &s->rc->ev[s->idx];
		if (!s->skip && (double)e->ms > s->clock_ms)
			return flags;
		if (reach(a, e->tick) != 0) {
			replay_failed(s, a, e);
			return flags | UI_HOOK_DIRTY;
		}
		s->idx++;
		if (e->kind == REC_KEY) {
			int f = app_key(a, e->key);
			a->mark_added = false;
			if (f & APP_THEME)
				flags |= UI_HOOK_THEME;
			if (f & APP_QUIT) {
				s->finished = true;
				return flags | UI_HOOK_DIRTY;
			}
		} else if (e->kind == REC_MARK) {
			if (s->cast)
				cast_marker(s->cast, (double)e->ms / 1000.0, e->caption);
			s->pause_after_frame = true; /* on the frame that shows its caption */
			s->skip = false;
		} else {
			if (e->cols != s->cols || e->rows != s->rows) {
				s->cols = e->cols;
				s->rows = e->rows;
				flags |= UI_HOOK_RELAYOUT;
			}
			s->clock_ms = fmax(s->clock_ms, (double)e->ms);
			if (s->skip)
				continue; /* fast-forward to the next mark */
			s->pending = true;
			s->frame_ms = (double)e->ms;
			s->clock_ms = fmax(s->clock_ms, (double)e->ms);
			return flags | UI_HOOK_DIRTY;
		}
	}
	s->finished = true;
	return flags | UI_HOOK_DIRTY;
}

static int play_timeout(void *ctx, struct app *a)
{
	struct session *s = ctx;
	(void)a;
	if (s->quit || s->skip)
		return 0;
	if (s->finished || s->viewer_paused || s->pending || s->idx >= s->nplay)
		return -1;
	double ms = ((double)s->rc->ev[s->idx].ms - s->clock_ms) / s->speed;
	return ms <= 0 ? 0 : ms > 60000 ? 60000 : (int)ms + 1;
}

static void play_drawn(void *ctx, struct app *a, struct canvas *c)
{
	struct session *s = ctx;
	s->pending = false;
	if (s->cast) {
		cast_theme_sync(s, a);
		cast_frame(s->cast, s->frame_ms / 1000.0, c);
	}
	if (s->pause_after_frame) {
		s->pause_after_frame = false;
		s->viewer_paused = true;
	}
}

/* ---- set-up ---- */

/* The recording's options as this program reads them, for the app to start from. */
static int recorded_opts(const struct recording *rc, struct opts *ro, char **cause)
{
	int argc = rc->nargs + 1;
	char **argv = xcalloc((size_t)argc + 1, sizeof *argv);
	if (argv == NULL) {
		*cause = xstrdup("out of memory");
		return -1;
	}
	argv[0] = "gdpath";
	for (int i = 0; i < rc->nargs; i++)
		argv[i + 1] = rc->args[i];
	char *why = NULL;
	int r = cli_parse(argc, argv, ro, &why);
	free(argv);
	if (r != 0) {
		*cause = xasprintf("%s: its options do not run here (%s)", rc->path,
				   why ? why : "they only print something");
		free(why);
		return -1;
	}
	ro->record = ro->replay = ro->cast = NULL;
	return 0;
}

/* The presentation options of the replay's own command line win over the recorded ones. */
static void presentation(struct opts *ro, const struct opts *o)
{
	int c;
	if ((c = cli_opt_code("theme")) >= 0 && o->given[c])
		ro->theme = o->theme;
	if ((c = cli_opt_code("ascii")) >= 0 && o->given[c])
		ro->ascii = true;
	if ((c = cli_opt_code("fps")) >= 0 && o->given[c])
		ro->fps = o->fps;
}

static bool terminal_size(int *w, int *h)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0 || ws.ws_row == 0)
		return false;
	*w = ws.ws_col;
	*h = ws.ws_row;
	return true;
}

static int load(const struct opts *o, struct recording *rc, struct opts *ro)
{
	char *cause = NULL;
	bool wrong = false;
	if (recording_load(o->replay, rc, &wrong, &cause) != 0 ||
	    recorded_opts(rc, ro, &cause) != 0) {
		fprintf(stderr, "gdpath: %s\n", cause);
		free(cause);
		if (rc->path)
			recording_free(rc);
		return -1;
	}
	presentation(ro, o);
	return 0;
}

static int finish(struct session *s, int status)
{
	char *cause = NULL;
	if (s->cast && cast_close(s->cast, &cause) != 0) {
		fprintf(stderr, "gdpath: %s\n", cause);
		free(cause);
		cause = NULL;
		status = status ? status : EXIT_ERROR;
	}
	s->cast = NULL;
	return status;
}

int session_tui(const struct opts *o, int nargs, char *const *args)
{
	struct session s;
	memset(&s, 0, sizeof s);
	struct app a;
	struct recording rc;
	struct opts ro;
	char *cause = NULL;
	int status = EXIT_ERROR, tw = 80, th = 24;
	bool tty = terminal_size(&tw, &th);
	if (o->replay) {
		if (load(o, &rc, &ro) != 0)
			return EXIT_ERROR;
		s.rc = &rc;
		s.nplay = events_to_play(&rc);
		s.speed = 1;
		s.cols = rc.cols;
		s.rows = rc.rows;
		if (tty && (tw < rc.cols || th < rc.rows))
			fprintf(stderr, "gdpath: %s was recorded on a %dx%d terminal and this one is %dx%d: what fits is drawn, and differs from the recording\n",
				o->replay, rc.cols, rc.rows, tw, th);
	} else {
		ro = *o;
	}
	if (app_init(&a, &ro, &cause, &status) != 0) {
		fprintf(stderr, "gdpath: %s\n", cause);
		free(cause);
		if (o->replay)
			recording_free(&rc);
		return status;
	}
	a.deterministic = o->record != NULL || o->replay != NULL;
	a.recording = o->record != NULL || o->replay != NULL; /* K means a mark in both */
	if (o->replay && tty && (tw < rc.cols || th < rc.rows))
		/* on screen too (until the first recorded key replaces it): it cannot match */
		app_message(&a, true, "recorded at %dx%d, this terminal is %dx%d: the screens differ",
			    rc.cols, rc.rows, tw, th);
	if (o->record && (s.rec = recorder_open(o->record, nargs, args, tw, th, &cause)) == NULL)
		goto fail;
	if (o->cast && (s.cast = cast_open(o->cast, o->replay ? rc.cols : tw, o->replay ? rc.rows : th,
					     "gdpath", &cause)) == NULL)
		goto fail;
	s.t0 = s.wall_prev = mono_s();
	struct ui_hooks h = {.ctx = &s};
	if (o->replay) {
		h.key = play_key;
		h.step = play_step;
		h.timeout_ms = play_timeout;
		h.drawn = play_drawn;
		h.size = replay_size;
	} else {
		h.key = rec_key;
		h.acted = rec_acted;
		h.drawn = rec_drawn;
	}
	ui_set_hooks(&h);
	status = ui_run(&a);
	ui_set_hooks(NULL);
	if (s.rec && s.frames == 0) {
		/* the screen never started (no terminal): nothing to keep */
		recorder_abort(s.rec);
		s.rec = NULL;
	}
	if (s.cast && s.frames == 0 && !o->replay) {
		cast_abort(s.cast);
		s.cast = NULL;
	}
	if (s.rec && recorder_close(s.rec, a.ticks, &cause) != 0) {
		s.rec = NULL;
		goto fail;
	}
	s.rec = NULL;
	status = finish(&s, status);
	app_free(&a);
	if (o->replay)
		recording_free(&rc);
	return status;
fail:
	fprintf(stderr, "gdpath: %s\n", cause ? cause : "out of memory");
	free(cause);
	recorder_abort(s.rec);
	cast_abort(s.cast);
	app_free(&a);
	if (o->replay)
		recording_free(&rc);
	return EXIT_ERROR;
}

/* Draw the app at w×h for --snapshot (braille only where the locale can carry it). */
static struct canvas *render(struct app *a, int w, int h, bool ascii)
{
	enum canvas_mode mode = ascii || MB_CUR_MAX == 1 ? CANVAS_ASCII : CANVAS_BRAILLE;
	a->ascii = mode == CANVAS_ASCII;
	struct canvas *c = canvas_new(w, h, mode);
	if (c)
		view_draw(c, a);
	return c;
}

int session_snapshot(const struct opts *o, int nargs, char *const *args)
{
	struct session s;
	memset(&s, 0, sizeof s);
	struct app a;
	struct recording rc;
	struct opts ro;
	char *cause = NULL;
	int status = EXIT_ERROR;
	struct canvas *c = NULL;
	int size_code = cli_opt_code("size");
	bool sized = size_code >= 0 && o->given[size_code];
	int w = o->cols, h = o->rows;
	if (o->replay) {
		if (load(o, &rc, &ro) != 0)
			return EXIT_ERROR;
		s.rc = &rc;
		if (!sized) {
			w = rc.cols;
			h = rc.rows;
		}
	} else {
		ro = *o;
	}
	if (app_init(&a, &ro, &cause, &status) != 0) {
		fprintf(stderr, "gdpath: %s\n", cause);
		free(cause);
		if (o->replay)
			recording_free(&rc);
		return status;
	}
	a.deterministic = true;
	a.recording = o->record != NULL || o->replay != NULL; /* K means a mark in both */
	if (o->cast && (s.cast = cast_open(o->cast, w, h, "gdpath", &cause)) == NULL)
		goto fail;
	if (o->replay) {
		/* every event at once; frames drawn only for the cast */
		size_t nplay = events_to_play(&rc);
		for (size_t i = 0; i < nplay; i++) {
			const struct rec_event *e = &rc.ev[i];
			if (reach(&a, e->tick) != 0) {
				cause = xasprintf("%s:%u: the session cannot reach this event here", rc.path,
						  e->line);
				goto fail;
			}
			if (e->kind == REC_KEY) {
				app_key(&a, e->key);
				a.mark_added = false;
			} else if (e->kind == REC_MARK && s.cast) {
				cast_marker(s.cast, (double)e->ms / 1000.0, e->caption);
			} else if (e->kind == REC_FRAME) {
				if (!sized) {
					w = e->cols;
					h = e->rows;
				}
				if (s.cast) {
					canvas_free(c);
					if ((c = render(&a, w, h, ro.ascii)) == NULL)
						goto oom;
					cast_theme_sync(&s, &a);
					cast_frame(s.cast, (double)e->ms / 1000.0, c);
				}
			}
		}
	} else {
		app_advance(&a, o->steps, 0);
	}
	a.steps_per_sec = 0;
	canvas_free(c);
	if ((c = render(&a, w, h, ro.ascii)) == NULL)
		goto oom;
	if (s.cast && !o->replay) {
		cast_theme_sync(&s, &a);
		cast_frame(s.cast, 0, c);
	}
	if (o->record) {
		if ((s.rec = recorder_open(o->record, nargs, args, w, h, &cause)) == NULL)
			goto fail;
		recorder_frame(s.rec, a.ticks, w, h);
		struct recorder *r = s.rec;
		s.rec = NULL;
		if (recorder_close(r, a.ticks, &cause) != 0)
			goto fail;
	}
	status = canvas_render_text(c, stdout) == 0 && fflush(stdout) == 0 ? EXIT_OK : EXIT_ERROR;
	if (status != EXIT_OK)
		perror("gdpath: stdout");
	status = finish(&s, status);
	canvas_free(c);
	app_free(&a);
	if (o->replay)
		recording_free(&rc);
	return status;
oom:
	cause = xstrdup("out of memory");
fail:
	fprintf(stderr, "gdpath: %s\n", cause);
	free(cause);
	recorder_abort(s.rec);
	cast_abort(s.cast);
	canvas_free(c);
	app_free(&a);
	if (o->replay)
		recording_free(&rc);
	return EXIT_ERROR;
}
