/* bench_frame.c — what one frame of the live screen costs without the terminal: clear the
 * canvas, view_draw the whole layout, compose every cell through canvas_row and diff it
 * against a shadow copy (what screen_blit does before curses sees anything). Measured at
 * the sizes given on the command line, for the softplus preset as a 5-run step-size fan,
 * against the 2 ms target of issue 3 and against peers timed in the same run: a memcpy of
 * the cell array, a canvas_cell_equal loop over it, and one optimizer step.
 *
 * Usage: bench_frame [FRAMES [COLSxROWS...]]   (default 400 frames at 200x60 and 80x24) */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_errno.h>

#include "gdpath/app.h"
#include "gdpath/canvas.h"
#include "gdpath/preset.h"
#include "gdpath/run.h"
#include "gdpath/view.h"

#ifdef HAVE_OPENBLAS
void openblas_set_num_threads(int); /* as main.c: one thread, like the program */
#endif

enum {
	WARM_STEPS = 2000,   /* steps before the fan, and steps of the fan before timing */
	STEPS_PER_FRAME = 8, /* --speed 240 at --fps 30, the defaults */
	WARM_FRAMES = 30,
	PEER_REPS = 2000,
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Keep the compiler from dropping work whose result is only in memory. */
static void clobber(const void *p)
{
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The q-quantile of v[0..n) (sorted in place), nearest rank. */
static double quantile(double *v, int n, double q)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	int i = (int)(q * (n - 1) + 0.5);
	return v[i];
}

/* The softplus preset, 2000 steps, then a 5-run fan ('f') run for 2000 steps. */
static int app_build(struct app *a, int cols, int rows)
{
	struct opts o;
	memset(&o, 0, sizeof o);
	run_cfg_default(&o.run);
	o.steps = -1;
	o.every = 1;
	o.fps = 30;
	o.speed = 240;
	o.cols = cols;
	o.rows = rows;
	const struct preset *p = preset_lookup("softplus");
	if (p == NULL) {
		fputs("bench_frame: no softplus preset\n", stderr);
		return -1;
	}
	o.preset = p->name;
	p->apply(&o);
	char *cause = NULL;
	int st;
	if (app_init(a, &o, &cause, &st) != 0) {
		fprintf(stderr, "bench_frame: app_init: %s\n", cause ? cause : "?");
		free(cause);
		return -1;
	}
	app_advance(a, WARM_STEPS, 0);
	app_action(a, ACTION_FAN);
	app_advance(a, WARM_STEPS, 0);
	return 0;
}

/* Compose every cell and copy the changed ones into shadow; returns how many changed. */
static long compose_diff(struct canvas *c, struct canvas_cell *shadow, int w, int h)
{
	long changed = 0;
	for (int y = 0; y < h; y++) {
		const struct canvas_cell *row = canvas_row(c, y);
		struct canvas_cell *s = shadow + (size_t)y * w;
		for (int x = 0; x < w; x++)
			if (!canvas_cell_equal(&row[x], &s[x])) {
				s[x] = row[x];
				changed++;
			}
	}
	return changed;
}

static void frame(struct canvas *c, const struct app *a)
{
	canvas_clear(c);
	view_draw(c, a);
}

static int bench_size(int cols, int rows, int frames)
{
	struct app a;
	if (app_build(&a, cols, rows) != 0)
		return -1;
	struct canvas *c = canvas_new(cols, rows, CANVAS_BRAILLE);
	size_t ncell = (size_t)cols * rows;
	struct canvas_cell *shadow = calloc(ncell, sizeof *shadow);
	struct canvas_cell *copy = calloc(ncell, sizeof *copy);
	double *t = malloc((size_t)frames * sizeof *t);
	double *td = malloc((size_t)frames * sizeof *td);
	if (c == NULL || shadow == NULL || copy == NULL || t == NULL || td == NULL) {
		fputs("bench_frame: out of memory\n", stderr);
		return -1;
	}

	for (int i = 0; i < WARM_FRAMES; i++) {
		frame(c, &a);
		compose_diff(c, shadow, cols, rows);
	}
	/* Steps between frames as the live loop takes them (untimed); the frame is timed. */
	long changed = 0;
	for (int i = 0; i < frames; i++) {
		app_advance(&a, STEPS_PER_FRAME, 0);
		double t0 = now_s();
		frame(c, &a);
		double t1 = now_s();
		changed += compose_diff(c, shadow, cols, rows);
		t[i] = now_s() - t0;
		td[i] = t1 - t0;
	}
	double med = quantile(t, frames, 0.5), p95 = quantile(t, frames, 0.95);
	double draw_med = quantile(td, frames, 0.5);

	/* Peers on the same cells: a memcpy of the array, and the canvas_cell_equal loop
	 * alone (composition already done, so this is the diff without the drawing). */
	const struct canvas_cell *cells = canvas_row(c, 0);
	double t0 = now_s();
	for (int i = 0; i < PEER_REPS; i++) {
		memcpy(copy, cells, ncell * sizeof *copy);
		clobber(copy);
	}
	double t_memcpy = (now_s() - t0) / PEER_REPS;
	memcpy(copy, cells, ncell * sizeof *copy);
	volatile long sink = 0;
	t0 = now_s();
	for (int i = 0; i < PEER_REPS; i++) {
		long eq = 0;
		for (size_t k = 0; k < ncell; k++)
			eq += canvas_cell_equal(&cells[k], &copy[k]);
		sink += eq;
		clobber(copy);
	}
	double t_equal = (now_s() - t0) / PEER_REPS;
	(void)sink;

	/* One step of the fan (all five runs) and one step of a single run. */
	const int nstep = 400;
	t0 = now_s();
	long took = app_advance(&a, nstep, 0);
	double t_fan = took > 0 ? (now_s() - t0) / took : 0;
	struct run *r = app_active(&a);
	t0 = now_s();
	for (int i = 0; i < nstep; i++)
		run_step(r);
	double t_one = (now_s() - t0) / nstep;

	int live = 0;
	for (int i = 0; i < a.nruns; i++)
		live += a.run[i]->status == RUN_OK;
	printf("frame %dx%d cells=%zu frames=%d runs=%d live=%d paused=%d step=%ld "
	       "median_ms=%.4f p95_ms=%.4f draw_ms=%.4f memcpy_ms=%.5f equal_ms=%.5f "
	       "step1_ms=%.4f stepfan_ms=%.4f changed_per_frame=%.0f\n",
	       cols, rows, ncell, frames, a.nruns, live, a.paused, app_active(&a)->step, med * 1e3,
	       p95 * 1e3, draw_med * 1e3, t_memcpy * 1e3, t_equal * 1e3, t_one * 1e3, t_fan * 1e3,
	       (double)changed / frames);

	free(td);
	free(t);
	free(copy);
	free(shadow);
	canvas_free(c);
	app_free(&a);
	return 0;
}

int main(int argc, char **argv)
{
	gsl_set_error_handler_off();
#ifdef HAVE_OPENBLAS
	openblas_set_num_threads(1);
#endif
	int frames = argc > 1 ? atoi(argv[1]) : 400;
	if (frames < 10)
		frames = 10;
	if (argc <= 2) {
		if (bench_size(200, 60, frames) != 0 || bench_size(80, 24, frames) != 0)
			return 1;
		return 0;
	}
	for (int i = 2; i < argc; i++) {
		int w, h;
		if (sscanf(argv[i], "%dx%d", &w, &h) != 2 || w < 1 || h < 1) {
			fprintf(stderr, "bench_frame: bad size '%s'\n", argv[i]);
			return 2;
		}
		if (bench_size(w, h, frames) != 0)
			return 1;
	}
	return 0;
}
