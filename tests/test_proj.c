/* test_proj.c — the parameter-space projection (proj.h) and its panel: a path laid in a
 * known plane comes back in that plane's coordinates; a straight path has no second
 * direction; the kept snapshots stay bounded and their Gram matrix exact through
 * decimation; on a linear model the projected iterate is never farther from θ* than the
 * iterate itself (a projection cannot lengthen), and the panel draws at 160×50 by default,
 * not at 100×30 unless the key asks for it. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "gdpath/app.h"
#include "gdpath/canvas.h"
#include "gdpath/keymap.h"
#include "gdpath/panel_param.h"
#include "gdpath/preset.h"
#include "gdpath/proj.h"
#include "gdpath/run.h"
#include "gdpath/sweep_eta.h"
#include "gdpath/theory.h"
#include "gdpath/track.h"
#include "gdpath/view.h"

enum { P = 50 };

/* θ_t = θ0 + t e1 + bump(t) e2 + (small) e3·0: a curved path in the (e1, e2) plane. */
static void path_point(double t, const double *theta0, double *theta)
{
	memcpy(theta, theta0, P * sizeof(double));
	theta[3] += t;
	theta[7] += 2.0 * t * (10 - t) / 25.0; /* ≥ 0 on [0, 10] */
}

static void test_known_plane(void **state)
{
	(void)state;
	double theta0[P], theta[P], star[P];
	for (int i = 0; i < P; i++)
		theta0[i] = sin(i + 1.0);
	memcpy(star, theta0, sizeof star);
	star[3] += 10;
	struct proj *pj = proj_new(P);
	assert_non_null(pj);
	for (long s = 1; s <= 40; s++) {
		path_point(0.25 * (double)s, theta0, theta);
		proj_push(pj, s, theta, theta0);
	}
	proj_update(pj, theta, theta0, star);
	assert_true(pj->have_plane && pj->u_star && pj->have_v);
	assert_true(fabs(pj->u[3] - 1) < 1e-12);
	assert_true(fabs(pj->v[7] - 1) < 1e-9); /* the sign puts the bump above the line */
	assert_true(fabs(pj->star_a - 10) < 1e-12);
	for (size_t j = 0; j < pj->len; j++) {
		double t = 0.25 * (double)pj->step[j];
		assert_true(fabs(pj->a[j] - t) < 1e-9);
		assert_true(fabs(pj->b[j] - 2.0 * t * (10 - t) / 25.0) < 1e-9);
	}
	/* the widest point of the bump is 2 at t = 5, the reach 10 (step 40) */
	assert_true(fabs(pj->spread - 2.0 / 10.0) < 1e-9);
	double a, b;
	proj_coords(pj, theta, theta0, &a, &b);
	assert_true(fabs(a - 10) < 1e-9 && fabs(b) < 1e-9);
	/* without θ*, u follows the current iterate */
	path_point(5, theta0, theta);
	proj_update(pj, theta, theta0, NULL);
	assert_false(pj->u_star);
	assert_true(fabs(pj->cur_a - hypot(5, 2)) < 1e-9 && fabs(pj->cur_b) < 1e-9);
	proj_free(pj);
}

static void test_straight_path(void **state)
{
	(void)state;
	double theta0[P] = {0}, theta[P];
	struct proj *pj = proj_new(P);
	for (long s = 1; s <= 30; s++) {
		for (int i = 0; i < P; i++)
			theta[i] = theta0[i] + (double)s * cos(i);
		proj_push(pj, s, theta, theta0);
	}
	proj_update(pj, theta, theta0, NULL);
	assert_true(pj->have_plane);
	assert_false(pj->have_v);
	for (size_t j = 0; j < pj->len; j++)
		assert_true(pj->b[j] == 0);
	/* θ = θ0 and no θ*: no plane at all */
	proj_reset(pj);
	proj_update(pj, theta0, theta0, NULL);
	assert_false(pj->have_plane);
	proj_free(pj);
}

/* Thousands of steps: at most cap snapshots, at multiples of the stride, and the Gram
 * matrix kept through every decimation equals the dot products recomputed. */
static void test_bounded_and_exact(void **state)
{
	(void)state;
	double theta0[P], theta[P];
	for (int i = 0; i < P; i++)
		theta0[i] = 0.1 * i;
	struct proj *pj = proj_new(P);
	for (long s = 1; s <= 5000; s++) {
		for (int i = 0; i < P; i++)
			theta[i] = theta0[i] + sin(0.001 * (double)s * (i + 1));
		proj_push(pj, s, theta, theta0);
	}
	assert_true(pj->len <= pj->cap);
	assert_true(pj->len >= pj->cap / 2);
	for (size_t j = 0; j < pj->len; j++) {
		assert_int_equal(pj->step[j] % pj->stride, 0);
		if (j > 0)
			assert_true(pj->step[j] > pj->step[j - 1]);
		for (size_t k = 0; k < pj->len; k++) {
			double g = 0;
			for (int i = 0; i < P; i++)
				g += pj->snap[j * P + i] * pj->snap[k * P + i];
			assert_true(fabs(pj->G[j * pj->cap + k] - g) <= 1e-12 * (1 + fabs(g)));
		}
	}
	/* a clone answers the same */
	proj_update(pj, theta, theta0, NULL);
	struct proj *c = proj_clone(pj);
	proj_update(c, theta, theta0, NULL);
	assert_true(c->cur_a == pj->cur_a && c->cur_b == pj->cur_b && c->len == pj->len);
	proj_free(c);
	proj_free(pj);
	/* memory: cap·p stays within the budget for a large model */
	struct proj *big = proj_new(1000000);
	assert_non_null(big);
	assert_true((double)big->cap * 1e6 <= PROJ_BUDGET);
	proj_free(big);
}

static void opts_for(struct opts *o, const char *preset)
{
	memset(o, 0, sizeof *o);
	run_cfg_default(&o->run);
	o->steps = 0;
	o->every = 1;
	o->fps = 30;
	o->cols = 100;
	o->rows = 30;
	const struct preset *p = preset_lookup(preset);
	assert_non_null(p);
	o->preset = p->name;
	p->apply(o);
}

/* Linear model (fig1): θ* known. Projections cannot lengthen vectors, so in the plane the
 * iterate is no farther from θ* than in R^p, and no farther from θ0 either. */
static void test_linear_contracts(void **state)
{
	(void)state;
	struct opts o;
	opts_for(&o, "fig1");
	char *cause = NULL;
	int st;
	struct run *r = run_new(&o.run, &cause, &st);
	assert_non_null(r);
	for (int s = 0; s < 60; s++) {
		run_step(r);
		run_update_plane(r);
		const struct proj *pj = r->pj;
		assert_true(pj->u_star);
		double gap = theory_star_gap(r->th, r->theta);
		double pg = hypot(pj->cur_a - pj->star_a, pj->cur_b - pj->star_b);
		assert_true(pg <= gap * (1 + 1e-9) + 1e-12);
		assert_true(hypot(pj->cur_a, pj->cur_b) <= r->tr->cur.distance * (1 + 1e-9) + 1e-12);
		assert_true(fabs(pj->star_a - r->th->star_dist) <= 1e-9 * r->th->star_dist);
	}
	run_free(r);
}

static bool screen_has(struct canvas *c, const char *text)
{
	size_t n = canvas_render_buf(c, NULL, 0);
	char *buf = malloc(n + 1);
	canvas_render_buf(c, buf, n + 1);
	bool has = strstr(buf, text) != NULL;
	free(buf);
	return has;
}

static void test_panel_shown(void **state)
{
	(void)state;
	struct opts o;
	opts_for(&o, "softplus");
	struct app a;
	char *cause = NULL;
	int st;
	assert_int_equal(app_init(&a, &o, &cause, &st), 0);
	app_advance(&a, 50, 0);
	struct canvas *big = canvas_new(160, 50, CANVAS_BRAILLE);
	struct canvas *small = canvas_new(100, 30, CANVAS_BRAILLE);
	view_draw(big, &a);
	view_draw(small, &a);
	assert_true(screen_has(big, "parameter space"));
	assert_false(screen_has(small, "parameter space"));
	/* the key flips it at both sizes */
	app_key(&a, 'P');
	view_draw(big, &a);
	view_draw(small, &a);
	assert_false(screen_has(big, "parameter space"));
	assert_true(screen_has(small, "parameter space"));
	assert_true(screen_has(small, "θ0"));
	canvas_free(big);
	canvas_free(small);
	app_free(&a);
}

/* The range test (key E) and the parameter-space panel at odd sizes: nothing breaks, and the
 * test's points are all there once it finished (deterministic: E waits for it). */
static void test_panels_at_sizes(void **state)
{
	(void)state;
	struct opts o;
	opts_for(&o, "softplus");
	struct app a;
	char *cause = NULL;
	int st;
	assert_int_equal(app_init(&a, &o, &cause, &st), 0);
	a.deterministic = true;
	app_advance(&a, 30, 0);
	app_key(&a, 'E');
	assert_non_null(a.eta_sweep);
	assert_int_equal(eta_sweep_done(a.eta_sweep), a.eta_sweep->k);
	static const int sizes[][2] = {{60, 16}, {80, 24}, {100, 30}, {120, 36}, {159, 49},
				       {160, 50}, {200, 60}, {61, 40}, {300, 20}};
	for (int t = 0; t < 2; t++) {
		for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
			struct canvas *c = canvas_new(sizes[i][0], sizes[i][1], t ? CANVAS_ASCII : CANVAS_BRAILLE);
			a.ascii = t == 1;
			view_draw(c, &a);
			if (sizes[i][0] == 100)
				assert_true(screen_has(c, "range test (25/25)"));
			canvas_free(c);
		}
		app_key(&a, 'P');
	}
	app_key(&a, 'E'); /* closes it */
	assert_null(a.eta_sweep);
	app_free(&a);
}

int main(void)
{
	gsl_set_error_handler_off();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_known_plane),
	    cmocka_unit_test(test_straight_path),
	    cmocka_unit_test(test_bounded_and_exact),
	    cmocka_unit_test(test_linear_contracts),
	    cmocka_unit_test(test_panel_shown),
	    cmocka_unit_test(test_panels_at_sizes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
