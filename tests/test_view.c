/* test_view.c — the screen as drawn on a canvas (what --snapshot prints and the terminal
 * shows): the red line lies below the green line, Thm 2.4's align-min run follows the
 * green line's cells, braille and ASCII both render, tick labels follow the data, the
 * help and the too-small message appear, and nothing breaks at odd sizes. */
#include "config.h"

#include <math.h>
#include <stdbool.h>
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
#include "gdpath/data.h"
#include "gdpath/keymap.h"
#include "gdpath/layout.h"
#include "gdpath/panel.h"
#include "gdpath/preset.h"
#include "gdpath/run.h"
#include "gdpath/theory.h"
#include "gdpath/view.h"

static void opts_for(struct opts *o, const char *preset)
{
	memset(o, 0, sizeof *o);
	run_cfg_default(&o->run);
	o->steps = -1;
	o->every = 1;
	o->fps = 30;
	o->cols = 100;
	o->rows = 30;
	if (preset) {
		const struct preset *p = preset_lookup(preset);
		assert_non_null(p);
		o->preset = p->name;
		p->apply(o);
	}
}

static void app_for(struct app *a, const char *preset)
{
	struct opts o;
	opts_for(&o, preset);
	char *cause = NULL;
	int st;
	if (app_init(a, &o, &cause, &st) != 0)
		fail_msg("app_init: %s", cause);
}

/* Rows (top first) of the cells in column x whose glyph role is role; -1 if none. */
static int top_row(struct canvas *c, int x, int role, int y0, int y1)
{
	for (int y = y0; y < y1; y++)
		if (canvas_cell(c, x, y)->fg == role && canvas_cell(c, x, y)->ch != ' ')
			return y;
	return -1;
}

static int count_role(struct canvas *c, int role)
{
	int n = 0;
	for (int y = 0; y < canvas_height(c); y++)
		for (int x = 0; x < canvas_width(c); x++)
			n += canvas_cell(c, x, y)->fg == role && canvas_cell(c, x, y)->ch != ' ';
	return n;
}

/* [OS19] Fig. 1: the red line (2.15) lies below the green line (2.12) in every column
 * where both are drawn, and meets it at r0 on the misfit axis. */
static void test_red_below_green(void **state)
{
	(void)state;
	struct app a;
	app_for(&a, "fig1");
	struct canvas *c = canvas_new(60, 30, CANVAS_BRAILLE);
	panel_misfit(c, &a, 0, 0, 60, 30, NULL);
	int both = 0;
	for (int x = 8; x < 60; x++) {
		int g = top_row(c, x, ROLE_GREEN_LINE, 1, 26), r = top_row(c, x, ROLE_RED_LINE, 1, 26);
		if (g >= 0 && r >= 0) {
			assert_true(r >= g);
			both++;
		}
	}
	assert_true(both >= 3);
	assert_true(count_role(c, ROLE_GREEN_LINE) > 20);
	assert_true(count_role(c, ROLE_RED_LINE) > 5);
	/* the green region is filled between them */
	int region = 0;
	for (int y = 0; y < 30; y++)
		for (int x = 0; x < 60; x++)
			region += canvas_cell(c, x, y)->bg == ROLE_REGION;
	assert_true(region > 30);
	canvas_free(c);
	app_free(&a);
}

/* The misfit panel of a preset twice: its bound lines at step 0, and its trajectory alone
 * (bounds off) after 400 steps, on the same axes. */
static void lines_and_path(const char *preset, int w, int h, struct canvas **lines,
			   struct canvas **path)
{
	struct app a;
	app_for(&a, preset);
	*lines = canvas_new(w, h, CANVAS_BRAILLE);
	*path = canvas_new(w, h, CANVAS_BRAILLE);
	panel_misfit(*lines, &a, 0, 0, w, h, NULL);
	app_advance(&a, 400, 0);
	a.bounds = false;
	panel_misfit(*path, &a, 0, 0, w, h, NULL);
	app_free(&a);
}

/* Thm 2.4's tight example: GD from θ0 = 0 with y along the σ_min direction runs on the
 * green line, so every trajectory cell sits on (or next to) a green-line cell. */
static void test_fig1_upper_on_green_line(void **state)
{
	(void)state;
	int W = 70, H = 30;
	struct canvas *lines, *path;
	lines_and_path("fig1-upper", W, H, &lines, &path);
	int checked = 0;
	for (int x = 0; x < W; x++)
		for (int y = 1; y < H - 3; y++) {
			const struct canvas_cell *cell = canvas_cell(path, x, y);
			if (cell->fg != ROLE_TRAJECTORY || cell->ch == ' ')
				continue;
			int near = 0;
			for (int dy = -1; dy <= 1; dy++)
				for (int dx = -1; dx <= 1; dx++) {
					const struct canvas_cell *l = canvas_cell(lines, x + dx, y + dy);
					near |= l && l->fg == ROLE_GREEN_LINE;
				}
			assert_true(near);
			checked++;
		}
	assert_true(checked >= 15);
	canvas_free(lines);
	canvas_free(path);
}

/* A generic linear run stays strictly inside: no trajectory cell lies above the green
 * line's cells in its column (beyond one cell of rasterisation). */
static void test_linear_path_inside_region(void **state)
{
	(void)state;
	int W = 70, H = 30;
	struct canvas *lines, *path;
	lines_and_path("fig1", W, H, &lines, &path);
	for (int x = 8; x < W; x++) {
		int g = top_row(lines, x, ROLE_GREEN_LINE, 1, H - 3);
		int t = top_row(path, x, ROLE_TRAJECTORY, 1, H - 3);
		if (g >= 0 && t >= 0)
			assert_true(t >= g - 1);
	}
	canvas_free(lines);
	canvas_free(path);
}

static int has_braille(const char *s)
{
	/* U+2800..U+28FF is E2 A0..A3 xx in UTF-8 */
	for (const unsigned char *p = (const unsigned char *)s; p[0] && p[1]; p++)
		if (p[0] == 0xE2 && p[1] >= 0xA0 && p[1] <= 0xA3)
			return 1;
	return 0;
}

static char *render(struct app *a, int w, int h, enum canvas_mode mode)
{
	struct canvas *c = canvas_new(w, h, mode);
	a->ascii = mode == CANVAS_ASCII;
	view_draw(c, a);
	size_t n = canvas_render_buf(c, NULL, 0);
	char *buf = malloc(n + 1);
	canvas_render_buf(c, buf, n + 1);
	canvas_free(c);
	return buf;
}

static void test_braille_and_ascii(void **state)
{
	(void)state;
	struct app a;
	app_for(&a, "softplus");
	app_advance(&a, 300, 0);
	char *b = render(&a, 120, 40, CANVAS_BRAILLE);
	char *t = render(&a, 120, 40, CANVAS_ASCII);
	assert_true(has_braille(b));
	for (const unsigned char *p = (const unsigned char *)t; *p; p++)
		assert_true(*p < 128);
	assert_non_null(strstr(t, "eta=0.15"));
	assert_non_null(strstr(b, "η=0.15"));
	assert_non_null(strstr(b, "misfit"));
	assert_non_null(strstr(b, "distance"));
	assert_non_null(strstr(b, "model shallow"));
	free(b);
	free(t);
	app_free(&a);
}

/* Tick labels follow the data: after 200 steps the loss plot's step axis ends at 200. */
static void test_tick_labels(void **state)
{
	(void)state;
	struct app a;
	app_for(&a, "fig1");
	app_advance(&a, 200, 0);
	struct canvas *c = canvas_new(60, 20, CANVAS_BRAILLE);
	panel_loss(c, &a, 0, 0, 60, 20, NULL);
	char row[512];
	size_t n = canvas_render_buf(c, NULL, 0);
	char *all = malloc(n + 1);
	canvas_render_buf(c, all, n + 1);
	/* the tick-label row is the second from the bottom */
	char *line = all;
	for (int i = 0; i < 18; i++)
		line = strchr(line, '\n') + 1;
	size_t len = (size_t)(strchr(line, '\n') - line);
	memcpy(row, line, len);
	row[len] = '\0';
	assert_non_null(strstr(row, "200"));
	assert_non_null(strstr(row, "0 "));
	assert_null(strstr(row, "250"));
	free(all);
	canvas_free(c);
	app_free(&a);
}

static void test_help_and_too_small(void **state)
{
	(void)state;
	struct app a;
	app_for(&a, "fig1");
	app_key(&a, '?');
	char *h = render(&a, 100, 30, CANVAS_BRAILLE);
	assert_non_null(strstr(h, "Keys"));
	assert_non_null(strstr(h, "pause / run"));
	assert_non_null(strstr(h, "fan: 5 runs"));
	free(h);
	/* on a tall terminal every help line is listed with its keys and its full text */
	char *big = render(&a, 120, 44, CANVAS_BRAILLE);
	size_t nl, nb;
	const struct help_line *hl = keymap_help_lines(&nl);
	for (size_t i = 0; i < nl; i++) {
		char keys[32], line[160];
		keymap_help_keys(&hl[i], keys, sizeof keys);
		snprintf(line, sizeof line, "%s%*s %s", keys, 6 - layout_cells(keys), "", hl[i].text);
		if (strstr(big, line) == NULL)
			fail_msg("help overlay lacks '%s'", line);
	}
	free(big);
	/* every binding is on a help line */
	const struct binding *b = keymap_bindings(&nb);
	for (size_t i = 0; i < nb; i++) {
		bool found = false;
		for (size_t j = 0; j < nl; j++)
			found |= hl[j].action == b[i].action || hl[j].partner == b[i].action;
		if (!found)
			fail_msg("key '%s' is not in the help", b[i].label);
	}
	/* at 70×20 every line is there, whole (full or brief), nothing cut */
	char *small = render(&a, 70, 20, CANVAS_BRAILLE);
	if (strstr(small, "…"))
		fail_msg("help at 70x20 cuts text:\n%s", small);
	for (size_t i = 0; i < nl; i++) {
		char keys[32], l1[160], l2[160];
		keymap_help_keys(&hl[i], keys, sizeof keys);
		int pad = 6 - layout_cells(keys);
		snprintf(l1, sizeof l1, "%s%*s %s", keys, pad, "", hl[i].text);
		snprintf(l2, sizeof l2, "%s%*s %s", keys, pad, "", hl[i].brief);
		if (!strstr(small, l1) && !strstr(small, l2))
			fail_msg("help at 70x20 lacks '%s':\n%s", l2, small);
	}
	free(small);
	app_key(&a, '?');
	assert_false(a.help);
	char *s = render(&a, 40, 12, CANVAS_BRAILLE);
	assert_non_null(strstr(s, "Terminal too small"));
	free(s);
	/* degenerate sizes draw without crashing */
	int sizes[][2] = {{1, 1}, {0, 0}, {59, 16}, {60, 15}, {60, 16}, {80, 24}, {300, 90}};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		free(render(&a, sizes[i][0], sizes[i][1], CANVAS_BRAILLE));
	app_free(&a);
}

/* Every preset and every model draws at 80×24 with no NaN or garbage in the text. */
static void test_every_preset_draws(void **state)
{
	(void)state;
	for (size_t i = 0; i < preset_count(); i++) {
		struct app a;
		app_for(&a, preset_at(i)->name);
		/* the image presets (lenet) take a tenth of a second a step: a few show the layout */
		app_advance(&a, app_active(&a)->m->ops->images ? 3 : 50, 0);
		char *s = render(&a, 80, 24, CANVAS_BRAILLE);
		assert_null(strstr(s, "nan"));
		assert_non_null(strstr(s, "model "));
		free(s);
		app_free(&a);
	}
}

/* The layout keeps items whole, by priority: a less important item never displaces a more
 * important one, a brief form stands in when the full one does not fit, and an item wider
 * than the box is dropped, not cut. */
static void test_layout_priorities(void **state)
{
	(void)state;
	struct llist l;
	struct lplace pl[LAYOUT_MAX_ITEMS];
	llist_init(&l);
	llist_add(&l, 3, 0, "aaaaaaaaaa");            /* 10 cells, least important */
	llist_add(&l, 0, 0, "bbbbbbbbbb");            /* must stay */
	llist_brief(llist_add(&l, 1, 0, "cccccccccccc"), "ccc"); /* 12 or 3 */
	llist_break(&l);
	llist_add(&l, 0, 0, "%s", "dddddddddddddddddddddddddddddd"); /* wider than the box */
	int rows = layout_fit(l.it, l.n, 20, 1, 2, pl);
	assert_int_equal(rows, 1);
	assert_true(pl[1].shown);
	assert_true(pl[2].shown);
	assert_true(pl[2].brief); /* 10 + 2 + 12 > 20: the brief form */
	assert_false(pl[0].shown); /* no room left for the least important */
	assert_false(pl[3].shown); /* 30 cells never fit 20 */
	assert_int_equal(pl[1].x, 0);
	assert_int_equal(pl[2].x, 12);
	/* two rows: the groups start rows of their own, the first group wraps */
	rows = layout_fit(l.it, l.n, 24, 2, 2, pl);
	assert_true(pl[0].shown && pl[1].shown && pl[2].shown);
	assert_int_equal(pl[0].y, 0);
	assert_int_equal(pl[1].y, 0);
	assert_int_equal(pl[2].y, 1);
	assert_false(pl[3].shown);
	assert_int_equal(rows, 2);
	/* multi-byte text counts cells, not bytes */
	assert_int_equal(layout_cells("η·β²=0.5"), 8);
}

/* Issue 8: at 80×24 every preset shows, whole, what the lesson needs; at 80×24, 100×30,
 * 120×40 and 200×60 no item of the model panel or the status lines is cut ('…') and the
 * path/bound bar stays on its row (no U+FFFD from a cut multi-byte glyph). */
static void test_every_preset_fits(void **state)
{
	(void)state;
	static const int sizes[][2] = {{80, 24}, {100, 30}, {120, 40}, {200, 60}};
	for (size_t i = 0; i < preset_count(); i++) {
		struct app a;
		app_for(&a, preset_at(i)->name);
		app_advance(&a, app_active(&a)->m->ops->images ? 3 : 300, 0);
		for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
			char *s = render(&a, sizes[k][0], sizes[k][1], CANVAS_BRAILLE);
			if (strstr(s, "…") || strstr(s, "\xEF\xBF\xBD"))
				fail_msg("%s at %dx%d cuts text:\n%s", preset_at(i)->name, sizes[k][0],
					 sizes[k][1], s);
			static const char *const need[] = {"misfit ", "path ", "directness ", "η=",
							   "step ", "? help"};
			for (size_t j = 0; j < sizeof need / sizeof need[0]; j++)
				if (strstr(s, need[j]) == NULL)
					fail_msg("%s at %dx%d lacks '%s':\n%s", preset_at(i)->name,
						 sizes[k][0], sizes[k][1], need[j], s);
			const struct theory *th = app_active(&a)->th;
			if (th->spectrum_off) {
				/* lenet: no spectrum, so no η·β², verdict or θ*: it says so, and
				 * shows the class errors instead */
				if (!strstr(s, "not computed") || !strstr(s, "test error") ||
				    (!strstr(s, "distance ") && !strstr(s, "dist ")))
					fail_msg("%s at %dx%d lacks 'not computed', the test error or the "
						 "distance:\n%s", preset_at(i)->name, sizes[k][0], sizes[k][1], s);
				free(s);
				continue;
			}
			if (!strstr(s, "η·β²="))
				fail_msg("%s at %dx%d lacks 'η·β²=':\n%s", preset_at(i)->name, sizes[k][0],
					 sizes[k][1], s);
			/* ζ under Thm 9.3, else the verdict: which theorem applies or why none */
			char vt[192], vb[64];
			theory_verdict_text(th, false, false, vt, sizeof vt);
			theory_verdict_brief(th, false, vb, sizeof vb);
			if (th->verdict == TV_THM93 ? !strstr(s, "ζ") : !strstr(s, vt) && !strstr(s, vb))
				fail_msg("%s at %dx%d lacks the verdict '%s':\n%s", preset_at(i)->name,
					 sizes[k][0], sizes[k][1], vb, s);
			if (!strstr(s, "outside") && !strstr(s, "checked"))
				fail_msg("%s at %dx%d lacks the outside count:\n%s", preset_at(i)->name,
					 sizes[k][0], sizes[k][1], s);
			if (!strstr(s, "distance ") && !strstr(s, "dist "))
				fail_msg("%s lacks the distance", preset_at(i)->name);
			if (!strstr(s, "distance/‖θ*-θ0‖") && !strstr(s, "ratio to θ*") &&
			    !strstr(s, "≤ ‖θ*-θ0‖"))
				fail_msg("%s lacks the ratio to θ* or its bound:\n%s",
					 preset_at(i)->name, s);
			free(s);
		}
		/* marks that collide (θ* on r0/α in fig1-upper) keep both labels whole */
		if (strcmp(preset_at(i)->name, "fig1-upper") == 0) {
			char *m = render(&a, 80, 24, CANVAS_ASCII);
			if (!strstr(m, "r0/alpha") || !strstr(m, "theta*") || !strstr(m, "r0/beta"))
				fail_msg("fig1-upper: a mark's label is hidden:\n%s", m);
			free(m);
		}
		/* ASCII mode (--ascii, or outside UTF-8) at 80×24: the same items in words */
		if (app_active(&a)->th->spectrum_off) {
			app_free(&a);
			continue;
		}
		char *s = render(&a, 80, 24, CANVAS_ASCII);
		static const char *const need[] = {"misfit ", "path ", "directness ", "eta=",
						   "eta*beta^2=", "step ", "? help"};
		for (size_t j = 0; j < sizeof need / sizeof need[0]; j++)
			if (strstr(s, need[j]) == NULL)
				fail_msg("%s --ascii at 80x24 lacks '%s':\n%s", preset_at(i)->name, need[j], s);
		const struct theory *th = app_active(&a)->th;
		char vt[192], vb[64];
		theory_verdict_text(th, true, false, vt, sizeof vt);
		theory_verdict_brief(th, true, vb, sizeof vb);
		if (th->verdict == TV_THM93 ? !strstr(s, "zeta") : !strstr(s, vt) && !strstr(s, vb))
			fail_msg("%s --ascii at 80x24 lacks the verdict '%s':\n%s", preset_at(i)->name, vb, s);
		if (!strstr(s, "outside") && !strstr(s, "checked"))
			fail_msg("%s --ascii at 80x24 lacks the outside count:\n%s", preset_at(i)->name, s);
		free(s);
		app_free(&a);
	}
}

/* A diverging fan member is marked, never drawn as garbage. */
static void test_fan_divergence_is_shown(void **state)
{
	(void)state;
	struct app a;
	app_for(&a, "fig1");
	app_action(&a, ACTION_ETA_THEORY);
	for (int i = 0; i < 3; i++)
		app_action(&a, ACTION_ETA_DOUBLE); /* η = 4/β²: the ×2 and ×4 members diverge */
	app_action(&a, ACTION_FAN);
	assert_int_equal(a.nruns, 5);
	app_advance(&a, 3000, 0);
	char *s = render(&a, 120, 40, CANVAS_BRAILLE);
	assert_non_null(strstr(s, "(×¼)"));
	assert_non_null(strstr(s, "(×4)"));
	assert_non_null(strstr(s, "diverged at step"));
	assert_null(strstr(s, "nan"));
	/* runs differ without colour: each ghost's legend entry and end point has its glyph */
	assert_non_null(strstr(s, "○ "));
	assert_non_null(strstr(s, "□ "));
	assert_non_null(strstr(s, "△ "));
	assert_non_null(strstr(s, "◇ "));
	free(s);
	app_free(&a);
}

int main(void)
{
	gsl_set_error_handler_off();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_red_below_green),
	    cmocka_unit_test(test_fig1_upper_on_green_line),
	    cmocka_unit_test(test_linear_path_inside_region),
	    cmocka_unit_test(test_braille_and_ascii),
	    cmocka_unit_test(test_tick_labels),
	    cmocka_unit_test(test_help_and_too_small),
	    cmocka_unit_test(test_every_preset_draws),
	    cmocka_unit_test(test_fan_divergence_is_shown),
	    cmocka_unit_test(test_layout_priorities),
	    cmocka_unit_test(test_every_preset_fits),
	};
	return cmocka_run_group_tests_name("view", tests, NULL, NULL);
}
