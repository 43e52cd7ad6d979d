/* test_plot.c — unit tests for plots: ticks, labels, ranges, the data → cell mapping, bound
 * lines, region fills, broken polylines, marks, axes and legends. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gdpath/plot.h"
#include "gdpath/role.h"

static char out[16384];

static const char *render(struct canvas *c)
{
	size_t n = canvas_render_buf(c, out, sizeof out);
	assert_true(n < sizeof out);
	return out;
}

static void check_ticks(double lo, double hi, enum plot_scale s, int max, const double *want,
			int nwant)
{
	double t[32];
	int n = plot_ticks(lo, hi, s, max, t, 32);
	assert_int_equal(n, nwant);
	for (int i = 0; i < n; i++)
		assert_true(fabs(t[i] - want[i]) <= 1e-12 * fmax(1, fabs(want[i])));
}

static void test_ticks(void **state)
{
	(void)state;
	check_ticks(0, 1, PLOT_LINEAR, 6, (double[]){0, 0.2, 0.4, 0.6, 0.8, 1}, 6);
	check_ticks(0, 1, PLOT_LINEAR, 5, (double[]){0, 0.5, 1}, 3);
	check_ticks(0, 7.3, PLOT_LINEAR, 6, (double[]){0, 2, 4, 6}, 4);
	check_ticks(1e-3, 1e2, PLOT_LOG, 6, (double[]){1e-3, 1e-2, 1e-1, 1, 10, 100}, 6);
	check_ticks(1e-3, 1e2, PLOT_LOG, 3, (double[]){1e-2, 1, 100}, 3);
	check_ticks(-5, 5, PLOT_LINEAR, 6, (double[]){-4, -2, 0, 2, 4}, 5);
	check_ticks(-5, 5, PLOT_LINEAR, 3, (double[]){-5, 0, 5}, 3);
	check_ticks(0.15, 0.8, PLOT_LOG, 6, (double[]){0.2, 0.5}, 2);
	check_ticks(1200, 1300, PLOT_LINEAR, 3, (double[]){1200, 1250, 1300}, 3);
	/* 0 is exactly 0 even when lo is not a multiple of the step */
	double t[16];
	int n = plot_ticks(-0.3, 0.3, PLOT_LINEAR, 7, t, 16);
	assert_int_equal(n, 7);
	assert_true(t[3] == 0 && !signbit(t[3]));
	assert_int_equal(plot_ticks(1, 1, PLOT_LINEAR, 5, t, 16), 0);
	assert_int_equal(plot_ticks(NAN, 1, PLOT_LINEAR, 5, t, 16), 0);
	assert_int_equal(plot_ticks(0, 1, PLOT_LINEAR, 6, t, 2), 2); /* cap respected */
}

static void test_format(void **state)
{
	(void)state;
	static const struct {
		double v;
		const char *s;
	} cases[] = {
	    {0, "0"},	       {-0.0, "0"},	    {0.5, "0.5"},	{1, "1"},
	    {0.2, "0.2"},      {0.3 - 0.1, "0.2"},  {7.3, "7.3"},	{-2.5, "-2.5"},
	    {12.5, "12.5"},    {100, "100"},	    {999, "999"},	{0.015, "0.015"},
	    {0.01, "0.01"},    {1.0 / 3, "0.333"},  {1e-3, "1e-3"},	{2.5e-4, "2.5e-4"},
	    {-1e-3, "-1e-3"},  {1000, "1k"},	    {1200, "1.2k"},	{12345, "12.3k"},
	    {999999, "1M"},    {2.5e6, "2.5M"},	    {1e9, "1G"},	{3e12, "3T"},
	    {1e15, "1e15"},    {1e20, "1e20"},	    {9.99e-3, "1e-2"},	{NAN, "nan"},
	    {INFINITY, "inf"}, {-INFINITY, "-inf"}, {1e-300, "1e-300"}, {-1.5e-7, "-1.5e-7"},
	};
	char buf[PLOT_LABEL_MAX];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		plot_format(cases[i].v, buf, sizeof buf);
		assert_string_equal(buf, cases[i].s);
	}
	/* compact: at most 6 characters plus a sign over a wide range */
	for (double v = 1e-9; v < 1e99; v *= 1.37) {
		assert_true(strlen(plot_format(v, buf, sizeof buf)) <= 6);
		assert_true(strlen(plot_format(-v, buf, sizeof buf)) <= 7);
	}
	assert_string_equal(plot_format(-2.5e-300, buf, sizeof buf), "-2.5e-300");
}

static void test_ranges(void **state)
{
	(void)state;
	struct plot_range r;
	double lo, hi;
	plot_range_init(&r);
	plot_range_get(&r, PLOT_LINEAR, 0.1, &lo, &hi);
	assert_true(lo == 0 && hi == 1);
	plot_range_get(&r, PLOT_LOG, 0.1, &lo, &hi);
	assert_true(lo == 1 && hi == 10);
	plot_range_value(&r, 5, PLOT_LINEAR);
	plot_range_value(&r, 5, PLOT_LINEAR);
	plot_range_get(&r, PLOT_LINEAR, 0.1, &lo, &hi);
	assert_true(fabs(lo - 4.5) < 1e-12 && fabs(hi - 5.5) < 1e-12);
	plot_range_get(&r, PLOT_LOG, 0.1, &lo, &hi);
	assert_true(fabs(lo - 0.5) < 1e-12 && fabs(hi - 50) < 1e-9);
	plot_range_init(&r);
	plot_range_value(&r, 0, PLOT_LINEAR);
	plot_range_get(&r, PLOT_LINEAR, 0.1, &lo, &hi);
	assert_true(lo == -1 && hi == 1);

	double a[] = {1, NAN, 3, INFINITY}, b[] = {2, 2.5};
	plot_range_init(&r);
	plot_range_add(&r, a, 4, PLOT_LINEAR);
	plot_range_add(&r, b, 2, PLOT_LINEAR);
	assert_int_equal(r.n, 4);
	plot_range_get(&r, PLOT_LINEAR, 0.1, &lo, &hi);
	assert_true(fabs(lo - 0.8) < 1e-12 && fabs(hi - 3.2) < 1e-12);
	plot_range_value(&r, 0, PLOT_LINEAR);
	plot_range_value(&r, 10, PLOT_LINEAR);
	plot_range_get(&r, PLOT_LINEAR, 0.1, &lo, &hi);
	assert_true(lo == 0 && fabs(hi - 11) < 1e-12); /* padding does not cross 0 */

	double l[] = {-1, 0, 1e-3, 1e2, NAN};
	plot_range_init(&r);
	plot_range_add(&r, l, 5, PLOT_LOG);
	assert_int_equal(r.n, 2);
	plot_range_get(&r, PLOT_LOG, 0, &lo, &hi);
	assert_true(fabs(lo - 1e-3) < 1e-15 && fabs(hi - 100) < 1e-10);
	plot_range_get(&r, PLOT_LOG, 0.2, &lo, &hi); /* one decade each side */
	assert_true(fabs(lo - 1e-4) < 1e-16 && fabs(hi - 1000) < 1e-9);

	lo = 0.13, hi = 7.3;
	plot_nice_range(&lo, &hi, PLOT_LINEAR, 6);
	assert_true(lo == 0 && hi == 8);
	lo = 0.003, hi = 40;
	plot_nice_range(&lo, &hi, PLOT_LOG, 6);
	assert_true(fabs(lo - 1e-3) < 1e-18 && fabs(hi - 100) < 1e-12);

	/* plot_set_* repairs bad ranges */
	struct plot p;
	plot_init(&p, NULL, 0, 0, 10, 10, PLOT_NO_AXES);
	plot_set_x(&p, 3, 1, PLOT_LINEAR);
	assert_true(p.xa.lo == 1 && p.xa.hi == 3);
	plot_set_x(&p, 2, 2, PLOT_LINEAR);
	assert_true(p.xa.lo < 2 && p.xa.hi > 2);
	plot_set_x(&p, NAN, 2, PLOT_LINEAR);
	assert_true(p.xa.lo == 0 && p.xa.hi == 1);
	plot_set_y(&p, -1, 10, PLOT_LOG);
	assert_true(p.ya.lo > 0 && p.ya.hi == 10 && p.ya.scale == PLOT_LOG);
	plot_set_y(&p, -5, -1, PLOT_LOG);
	assert_true(p.ya.lo == 1 && p.ya.hi == 10);
	plot_set_y(&p, -1e308, 1e308, PLOT_LINEAR);
	assert_true(isfinite(p.ya.thi - p.ya.tlo));
}

static void test_mapping(void **state)
{
	(void)state;
	struct canvas *c = canvas_new(20, 10, CANVAS_BRAILLE);
	struct plot p;
	plot_init(&p, c, 0, 0, 20, 10, 0);
	assert_int_equal(p.ax, 7);
	assert_int_equal(p.ay, 1);
	assert_int_equal(p.aw, 13);
	assert_int_equal(p.ah, 6);
	plot_set_x(&p, -2, 3, PLOT_LINEAR);
	plot_set_y(&p, 10, 20, PLOT_LINEAR);
	int cx, cy;
	assert_int_equal(plot_cell(&p, -2, 10, &cx, &cy), 0);
	assert_true(cx == 7 && cy == 6);
	assert_int_equal(plot_cell(&p, 3, 20, &cx, &cy), 0);
	assert_true(cx == 19 && cy == 1);
	assert_int_equal(plot_cell(&p, -2, 20, &cx, &cy), 0);
	assert_true(cx == 7 && cy == 1);
	assert_int_equal(plot_cell(&p, 3, 10, &cx, &cy), 0);
	assert_true(cx == 19 && cy == 6);
	assert_int_equal(plot_cell(&p, 3.5, 10, &cx, &cy), 1);
	assert_int_equal(plot_cell(&p, 0, 9, &cx, &cy), 1);
	assert_int_equal(plot_cell(&p, NAN, 10, &cx, &cy), -1);
	double dx, dy, x, y;
	assert_int_equal(plot_map(&p, -2, 10, &dx, &dy), 0);
	assert_true(dx == 14 && dy == 27);
	assert_int_equal(plot_map(&p, 3, 20, &dx, &dy), 0);
	assert_true(dx == 39 && dy == 4);
	plot_unmap(&p, 20.5, 13.25, &x, &y);
	assert_int_equal(plot_map(&p, x, y, &dx, &dy), 0);
	assert_true(fabs(dx - 20.5) < 1e-9 && fabs(dy - 13.25) < 1e-9);

	/* log axis: 1 lies 3/5 of the way up [1e-3, 1e2] */
	plot_init(&p, c, 0, 0, 10, 5, PLOT_NO_AXES);
	plot_set_y(&p, 1e-3, 1e2, PLOT_LOG);
	assert_int_equal(plot_map(&p, 0, 1, &dx, &dy), 0);
	assert_true(fabs(dy - (19 - 0.6 * 19)) < 1e-9);
	assert_int_equal(plot_map(&p, 0, 0, &dx, &dy), -1);
	assert_int_equal(plot_map(&p, 0, -1, &dx, &dy), -1);
	/* ASCII: 2×2 dots per cell */
	canvas_set_mode(c, CANVAS_ASCII);
	plot_init(&p, c, 0, 0, 10, 5, PLOT_NO_AXES);
	assert_int_equal(plot_map(&p, 1, 0, &dx, &dy), 0);
	assert_true(dx == 19 && dy == 9);
	/* a rectangle too small for a data area draws nothing */
	canvas_set_mode(c, CANVAS_BRAILLE);
	plot_init(&p, c, 0, 0, 8, 3, 0);
	assert_int_equal(p.aw, 0);
	plot_axes(&p, "x", "y");
	plot_line_ab(&p, 0, 1, ROLE_GREEN_LINE, CANVAS_SOLID);
	plot_fill_between(&p, 0, 1, 1, 0, ROLE_REGION);
	assert_int_equal(plot_map(&p, 0, 0, &dx, &dy), -1);
	assert_string_equal(render(c), "\n\n\n\n\n\n\n\n\n\n");
	canvas_free(c);
}

static void test_bound_line(void **state)
{
	(void)state;
	struct canvas *c = canvas_new(10, 5, CANVAS_BRAILLE);
	struct plot p;
	plot_init(&p, c, 0, 0, 10, 5, PLOT_NO_AXES);
	plot_set_x(&p, 0, 5, PLOT_LINEAR);
	plot_set_y(&p, 0, 10, PLOT_LINEAR);
	/* misfit = 10 − 2·distance runs corner to corner: a 45° diagonal of dots */
	plot_line_ab(&p, 10, -2, ROLE_RED_LINE, CANVAS_SOLID);
	assert_string_equal(render(c), "⠑⢄\n  ⠑⢄\n    ⠑⢄\n      ⠑⢄\n        ⠑⢄\n");
	for (int x = 0; x < 10; x++)
		assert_int_equal(canvas_cell(c, x, x / 2)->fg, ROLE_RED_LINE);
	/* the same as an explicit segment, and dashed */
	canvas_clear(c);
	plot_segment(&p, 0, 10, 5, 0, ROLE_RED_LINE, CANVAS_DASHED);
	assert_string_equal(render(c), "⠑⢄\n   ⢄\n    ⠑\n      ⠑⢄\n         ⢄\n");

	/* with axes: every sampled point of the line lies in a cell that shows it */
	assert_int_equal(canvas_resize(c, 60, 20), 0);
	plot_init(&p, c, 0, 0, 60, 20, 0);
	plot_set_x(&p, 0, 5, PLOT_LINEAR);
	plot_set_y(&p, 0, 10, PLOT_LINEAR);
	plot_line_ab(&p, 10, -1, ROLE_GREEN_LINE, CANVAS_SOLID);
	plot_line_ab(&p, 10, -2, ROLE_RED_LINE, CANVAS_SOLID);
	for (double d = 0; d <= 5; d += 0.05) {
		int cx, cy;
		assert_int_equal(plot_cell(&p, d, 10 - 2 * d, &cx, &cy), 0);
		assert_int_not_equal(canvas_cell(c, cx, cy)->ch, ' ');
		assert_true(canvas_cell(c, cx, cy)->fg == ROLE_RED_LINE ||
			    canvas_cell(c, cx, cy)->fg == ROLE_GREEN_LINE);
		/* the red line lies below the green one */
		double gx, gy, rx, ry;
		plot_map(&p, d, 10 - d, &gx, &gy);
		plot_map(&p, d, 10 - 2 * d, &rx, &ry);
		if (d > 0)
			assert_true(ry > gy);
	}
	/* the green line beyond x = 10 leaves the plot at the right edge, clipped */
	int cx, cy;
	assert_int_equal(plot_cell(&p, 5, 5, &cx, &cy), 0);
	assert_int_equal(canvas_cell(c, cx, cy)->fg, ROLE_GREEN_LINE);
	assert_null(canvas_cell(c, cx + 1, cy));
	canvas_free(c);
}

static void test_fill_between(void **state)
{
	(void)state;
	struct canvas *c = canvas_new(20, 10, CANVAS_BRAILLE);
	struct plot p;
	plot_init(&p, c, 0, 0, 20, 10, PLOT_NO_AXES);
	plot_set_x(&p, 0, 5, PLOT_LINEAR);
	plot_set_y(&p, 0, 10, PLOT_LINEAR);
	plot_fill_between(&p, 10, -1, 10, -3, ROLE_REGION);
	int filled = 0;
	for (int cx = 0; cx < 20; cx++) {
		int first = -1, last = -1;
		for (int cy = 0; cy < 10; cy++) {
			double x, y;
			plot_unmap(&p, cx * 2 + 0.5, cy * 4 + 1.5, &x, &y);
			int in = y <= 10 - x && y >= 10 - 3 * x;
			int bg = canvas_cell(c, cx, cy)->bg;
			assert_int_equal(bg, in ? ROLE_REGION : ROLE_BACKGROUND);
			if (in) {
				filled++;
				if (first < 0)
					first = cy;
				assert_true(last < 0 || last == cy - 1); /* contiguous */
				last = cy;
			}
		}
	}
	assert_true(filled > 40);
	assert_int_equal(canvas_cell(c, 10, 5)->bg, ROLE_REGION);
	assert_int_equal(canvas_cell(c, 0, 9)->bg, ROLE_BACKGROUND);
	assert_int_equal(canvas_cell(c, 19, 0)->bg, ROLE_BACKGROUND);
	assert_int_equal(canvas_cell(c, 19, 9)->bg, ROLE_REGION); /* below the red line's zero */
	/* lines drawn over the region keep its background */
	double x, y;
	plot_unmap(&p, 21, 21.5, &x, &y); /* the middle of cell (10, 5) */
	plot_segment(&p, 0, y, 5, y, ROLE_TRAJECTORY, CANVAS_SOLID);
	assert_int_equal(canvas_cell(c, 10, 5)->fg, ROLE_TRAJECTORY);
	assert_int_equal(canvas_cell(c, 10, 5)->bg, ROLE_REGION);
	assert_int_equal(canvas_cell(c, 0, 5)->fg, ROLE_TRAJECTORY);
	assert_int_equal(canvas_cell(c, 0, 5)->bg, ROLE_BACKGROUND);
	/* the order of the two lines does not matter */
	canvas_clear(c);
	plot_fill_between(&p, 10, -3, 10, -1, ROLE_REGION);
	assert_int_equal(canvas_cell(c, 10, 5)->bg, ROLE_REGION);
	/* log y: the region is filled where the lines are positive */
	canvas_clear(c);
	plot_set_y(&p, 1e-2, 10, PLOT_LOG);
	plot_fill_between(&p, 10, -1, 10, -3, ROLE_REGION);
	assert_int_equal(canvas_cell(c, 19, 0)->bg, ROLE_BACKGROUND);
	assert_int_equal(canvas_cell(c, 10, 1)->bg, ROLE_REGION);
	assert_int_equal(canvas_cell(c, 19, 9)->bg, ROLE_REGION);
	assert_int_equal(canvas_cell(c, 0, 0)->bg, ROLE_BACKGROUND); /* the wedge is thin there */
	canvas_free(c);
}

static void test_polyline_nan(void **state)
{
	(void)state;
	struct canvas *c = canvas_new(10, 2, CANVAS_BRAILLE);
	struct plot p;
	plot_init(&p, c, 0, 0, 10, 2, PLOT_NO_AXES);
	plot_set_x(&p, 0, 5, PLOT_LINEAR);
	plot_set_y(&p, 0, 10, PLOT_LINEAR);
	double x[] = {0, 1, 2, 4, 5}, y[] = {5, 5, 5, 5, 5};
	plot_polyline(&p, x, y, 5, ROLE_TRAJECTORY, CANVAS_SOLID);
	assert_string_equal(render(c), "\n⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉\n");
	canvas_clear(c);
	x[2] = NAN;
	plot_polyline(&p, x, y, 5, ROLE_TRAJECTORY, CANVAS_SOLID);
	assert_string_equal(render(c), "\n⠉⠉⠁    ⠈⠉⠉\n");
	canvas_clear(c);
	x[2] = 2;
	y[2] = INFINITY;
	plot_polyline(&p, x, y, 5, ROLE_TRAJECTORY, CANVAS_SOLID);
	assert_string_equal(render(c), "\n⠉⠉⠁    ⠈⠉⠉\n");
	/* pen API: the same, point by point; a lone point shows as a dot */
	canvas_clear(c);
	plot_pen_up(&p);
	for (int i = 0; i < 5; i++)
		plot_pen_to(&p, x[i], y[i], ROLE_TRAJECTORY, CANVAS_SOLID);
	plot_pen_up(&p);
	plot_pen_to(&p, 2.5, 0, ROLE_GHOST1, CANVAS_SOLID);
	assert_string_equal(render(c), "\n⠉⠉⠁  ⡀ ⠈⠉⠉\n");
	/* log axis: values ≤ 0 break the line too */
	canvas_clear(c);
	plot_set_y(&p, 1, 100, PLOT_LOG);
	double ly[] = {10, 10, 0, 10, 10};
	x[2] = 2;
	plot_polyline(&p, x, ly, 5, ROLE_TRAJECTORY, CANVAS_SOLID);
	assert_string_equal(render(c), "\n⠉⠉⠁    ⠈⠉⠉\n");
	canvas_free(c);
}

static void test_marks_and_huge(void **state)
{
	(void)state;
	struct canvas *c = canvas_new(20, 5, CANVAS_BRAILLE);
	struct plot p;
	plot_init(&p, c, 0, 0, 20, 5, PLOT_NO_AXES);
	plot_set_x(&p, 0, 10, PLOT_LINEAR);
	plot_set_y(&p, 0, 10, PLOT_LINEAR);
	plot_vmark(&p, 5, ROLE_MARK, "r0/β");
	int cx, cy;
	plot_cell(&p, 5, 5, &cx, &cy);
	for (int y = 1; y < 5; y++)
		assert_int_equal(canvas_cell(c, cx, y)->fg, ROLE_MARK);
	assert_int_equal(canvas_cell(c, cx + 1, 0)->ch, 'r');
	assert_int_equal(canvas_cell(c, cx + 4, 0)->ch, 0x3B2);
	/* near the right edge the label goes left of the line */
	plot_vmark(&p, 10, ROLE_MARK, "r0/α");
	assert_int_equal(canvas_cell(c, 15, 0)->ch, 'r');
	plot_hmark(&p, 0, ROLE_MARK, "tol");
	assert_int_equal(canvas_cell(c, 17, 4)->ch, 't');
	assert_int_equal(canvas_cell(c, 0, 4)->fg, ROLE_MARK);
	/* marks outside the range draw nothing */
	canvas_clear(c);
	plot_vmark(&p, 11, ROLE_MARK, "x");
	plot_vmark(&p, NAN, ROLE_MARK, "x");
	plot_hmark(&p, -1, ROLE_MARK, "x");
	/* huge and non-finite data never draw garbage */
	plot_point(&p, 1e300, 5, '*', ROLE_CURRENT);
	plot_point(&p, NAN, 5, '*', ROLE_CURRENT);
	plot_segment(&p, 1e300, 1e300, 2e300, 2e300, ROLE_TRAJECTORY, CANVAS_SOLID);
	plot_line_ab(&p, 1e300, 1e300, ROLE_GREEN_LINE, CANVAS_SOLID);
	plot_line_ab(&p, NAN, 1, ROLE_GREEN_LINE, CANVAS_SOLID);
	double hx[] = {1e308, -1e308}, hy[] = {1e308, 1e308};
	plot_polyline(&p, hx, hy, 2, ROLE_TRAJECTORY, CANVAS_SOLID);
	assert_string_equal(render(c), "\n\n\n\n\n");
	/* a huge segment through the plot is drawn where it crosses */
	plot_segment(&p, -1e300, 5, 1e300, 5, ROLE_TRAJECTORY, CANVAS_SOLID);
	plot_cell(&p, 5, 5, &cx, &cy);
	for (int x = 0; x < 20; x++)
		assert_int_equal(canvas_cell(c, x, cy)->fg, ROLE_TRAJECTORY);
	plot_point(&p, 5, 5, 0x25CF, ROLE_CURRENT);
	assert_int_equal(canvas_cell(c, cx, cy)->ch, 0x25CF);
	canvas_free(c);
}

static void test_axes(void **state)
{
	(void)state;
	struct canvas *c = canvas_new(30, 9, CANVAS_ASCII);
	struct plot p;
	plot_init(&p, c, 0, 0, 30, 9, 0);
	plot_set_x(&p, 0, 5, PLOT_LINEAR);
	plot_set_y(&p, 0, 10, PLOT_LINEAR);
	plot_axes(&p, "distance", "misfit");
	plot_line_ab(&p, 10, -2, ROLE_RED_LINE, CANVAS_SOLID);
	assert_string_equal(render(c), "misfit\n"
				       "    10+-\\__\n"
				       "      |    --\\__\n"
				       "     5+         --\\__\n"
				       "      |              --\\__\n"
				       "     0+                   --\\_\n"
				       "      ++--------+--------+----\n"
				       "       0        2        4\n"
				       "                      distance\n");
	assert_int_equal(canvas_cell(c, 6, 6)->fg, ROLE_AXIS);
	assert_int_equal(canvas_cell(c, 7, 7)->fg, ROLE_TEXT);
	assert_int_equal(canvas_cell(c, 0, 0)->fg, ROLE_TITLE);
	/* braille: box-drawing axes; log axis labels are powers of ten */
	canvas_set_mode(c, CANVAS_BRAILLE);
	plot_init(&p, c, 0, 0, 30, 9, 0);
	plot_set_x(&p, 1e-3, 1e2, PLOT_LOG);
	plot_axes(&p, NULL, NULL);
	const char *s = render(c);
	/* six decades on 23 columns: every second power of ten */
	assert_non_null(strstr(s, "      └────┬────────┬────────┬\n"
				  "          0.01      1      100\n"));
	assert_null(strstr(s, "0.1"));
	assert_non_null(strstr(s, "     1┤\n")); /* y axis still [0, 1] */
	/* plot_grid draws only inside the data area */
	canvas_clear(c);
	plot_grid(&p);
	for (int y = 0; y < 9; y++)
		for (int x = 0; x < 30; x++) {
			int inside = x >= p.ax && x < p.ax + p.aw && y >= p.ay && y < p.ay + p.ah;
			if (!inside)
				assert_int_equal(canvas_cell(c, x, y)->ch, ' ');
		}
	canvas_free(c);
}

/* Issue 8: plot_legend_auto never covers data: it takes the first empty corner (NE, NW, SE,
 * SW; the region's fill does not count as data), and declines (-1, nothing drawn) when
 * every corner holds data or the box would not fit whole. */
static void test_legend_auto(void **state)
{
	(void)state;
	struct canvas *c = canvas_new(40, 10, CANVAS_BRAILLE);
	struct plot p;
	plot_init(&p, c, 0, 0, 40, 10, PLOT_NO_AXES);
	plot_set_x(&p, 0, 1, PLOT_LINEAR);
	plot_set_y(&p, 0, 1, PLOT_LINEAR);
	struct plot_legend_entry e[] = {{PLOT_LEGEND_LINE, ROLE_GREEN_LINE, CANVAS_SOLID, 0, "green"},
					{PLOT_LEGEND_LINE, ROLE_RED_LINE, CANVAS_DASHED, 0, "red"}};
	/* data in the NE corner: the legend goes NW */
	plot_fill_between(&p, 0, 0, 1, 0, ROLE_REGION); /* region everywhere: not data */
	canvas_set_fill_glyph(c, ROLE_REGION, 0xB7);
	plot_point(&p, 0.97, 0.95, 'x', ROLE_TRAJECTORY);
	assert_int_equal(plot_legend_auto(&p, e, 2), 0);
	assert_int_equal(canvas_cell(c, 0, 0)->ch, 0x250C); /* ┌ at NW */
	int xs_seen = 0; /* the data point stays */
	for (int x = 30; x < 40; x++)
		xs_seen += canvas_cell(c, x, 0)->ch == 'x';
	assert_int_equal(xs_seen, 1);
	/* data in every corner: declined, nothing drawn over it */
	canvas_clear(c);
	plot_init(&p, c, 0, 0, 40, 10, PLOT_NO_AXES);
	double xs[] = {0.01, 0.99}, ys[] = {0.01, 0.99};
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++)
			plot_point(&p, xs[i], ys[j], 'x', ROLE_TRAJECTORY);
	assert_int_equal(plot_legend_auto(&p, e, 2), -1);
	for (int y = 0; y < 10; y++)
		for (int x = 0; x < 40; x++)
			assert_true(canvas_cell(c, x, y)->ch == ' ' || canvas_cell(c, x, y)->ch == 'x');
	/* too wide to fit whole: declined rather than cut */
	canvas_clear(c);
	plot_init(&p, c, 0, 0, 11, 10, PLOT_NO_AXES); /* the box needs 5 + 7 = 12 columns */
	assert_int_equal(plot_legend_auto(&p, e, 2), -1);
	plot_init(&p, c, 0, 0, 12, 10, PLOT_NO_AXES);
	assert_int_equal(plot_legend_auto(&p, e, 2), 0);
	canvas_free(c);
}

static void test_legend(void **state)
{
	(void)state;
	struct canvas *c = canvas_new(40, 6, CANVAS_BRAILLE);
	struct plot p;
	plot_init(&p, c, 0, 0, 40, 6, PLOT_NO_AXES);
	plot_segment(&p, 0, 0.8, 1, 0.8, ROLE_TRAJECTORY, CANVAS_SOLID); /* under the legend */
	struct plot_legend_entry e[] = {
	    {PLOT_LEGEND_LINE, ROLE_GREEN_LINE, CANVAS_SOLID, 0, "green (2.10)"},
	    {PLOT_LEGEND_LINE, ROLE_RED_LINE, CANVAS_DASHED, 0, "red"},
	    {PLOT_LEGEND_MARKER, ROLE_CURRENT, 0, 0x25CF, "now"},
	};
	plot_legend(&p, e, 3, PLOT_NE);
	const char *want = "                     ┌─────────────────┐\n"
			   "⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒│ ⠒⠒⠒ green (2.10)│\n"
			   "                     │ ⠒⠒  red         │\n"
			   "                     │  ●  now         │\n"
			   "                     └─────────────────┘\n"
			   "\n";
	assert_string_equal(render(c), want);
	assert_int_equal(canvas_cell(c, 23, 1)->fg, ROLE_GREEN_LINE);
	assert_int_equal(canvas_cell(c, 23, 2)->fg, ROLE_RED_LINE);
	assert_int_equal(canvas_cell(c, 24, 3)->fg, ROLE_CURRENT);
	assert_int_equal(canvas_cell(c, 27, 1)->fg, ROLE_TEXT);

	/* ASCII: the samples still differ by glyph; fill swatch; SW corner; cut to fit */
	canvas_set_mode(c, CANVAS_ASCII);
	plot_init(&p, c, 0, 0, 16, 6, PLOT_NO_AXES);
	struct plot_legend_entry f[] = {
	    {PLOT_LEGEND_LINE, ROLE_GREEN_LINE, CANVAS_SOLID, 0, "upper bound"},
	    {PLOT_LEGEND_LINE, ROLE_RED_LINE, CANVAS_DASHED, 0, "lower bound"},
	    {PLOT_LEGEND_LINE, ROLE_ZETA_LINE, CANVAS_DOTTED, 0, "zeta"},
	    {PLOT_LEGEND_FILL, ROLE_REGION, 0, 0, "region"},
	    {PLOT_LEGEND_LINE, ROLE_TRAJECTORY, CANVAS_SOLID, 0, "dropped"},
	};
	plot_legend(&p, f, 5, PLOT_SW);
	assert_string_equal(render(c), "+--------------+\n"
				       "| --- upper bou|\n"
				       "| --  lower bou|\n"
				       "| ''' zeta     |\n"
				       "|     region   |\n"
				       "+--------------+\n");
	assert_int_equal(canvas_cell(c, 3, 4)->bg, ROLE_REGION);
	assert_int_equal(plot_role_style(ROLE_RED_LINE), CANVAS_DASHED);
	assert_int_equal(plot_role_style(ROLE_GREEN_LINE), CANVAS_SOLID);
	assert_int_not_equal(plot_role_style(ROLE_ZETA_LINE), CANVAS_SOLID);
	canvas_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ticks),	 cmocka_unit_test(test_format),
	    cmocka_unit_test(test_ranges),	 cmocka_unit_test(test_mapping),
	    cmocka_unit_test(test_bound_line),	 cmocka_unit_test(test_fill_between),
	    cmocka_unit_test(test_polyline_nan), cmocka_unit_test(test_marks_and_huge),
	    cmocka_unit_test(test_axes),	 cmocka_unit_test(test_legend),
	    cmocka_unit_test(test_legend_auto),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
