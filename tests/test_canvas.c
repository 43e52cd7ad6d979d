/* test_canvas.c — unit tests for the cell canvas: braille and ASCII rasterising, text
 * clipping, resizing, bad coordinates, colour priority and text rendering. */
#include "config.h"

#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gdpath/canvas.h"
#include "gdpath/role.h"

static char out[8192];

static const char *render(struct canvas *c)
{
	size_t n = canvas_render_buf(c, out, sizeof out);
	assert_true(n < sizeof out);
	return out;
}

static void all_ascii(const char *s)
{
	for (; *s; s++)
		assert_true((unsigned char)*s < 128);
}

static void test_braille_lines(void **state)
{
	(void)state;
	struct canvas *c = canvas_new(4, 1, CANVAS_BRAILLE);
	assert_non_null(c);
	assert_int_equal(canvas_dots_x(c), 2);
	assert_int_equal(canvas_dots_y(c), 4);
	canvas_line(c, 0, 1, 7, 1, ROLE_TRAJECTORY, CANVAS_SOLID);
	assert_string_equal(render(c), "⠒⠒⠒⠒\n");
	assert_int_equal(canvas_cell(c, 2, 0)->fg, ROLE_TRAJECTORY);

	assert_int_equal(canvas_resize(c, 1, 2), 0);
	canvas_line(c, 0, 0, 0, 7, ROLE_TRAJECTORY, CANVAS_SOLID);
	assert_string_equal(render(c), "⡇\n⡇\n");
	canvas_clear(c);
	canvas_line(c, 1, 7.2, 1, -0.3, ROLE_TRAJECTORY, CANVAS_SOLID); /* right column, upwards */
	assert_string_equal(render(c), "⢸\n⢸\n");

	assert_int_equal(canvas_resize(c, 2, 2), 0);
	canvas_line(c, 0, 0, 3, 3, ROLE_TRAJECTORY, CANVAS_SOLID);
	assert_string_equal(render(c), "⠑⢄\n\n");
	canvas_clear(c);
	canvas_line(c, 0, 7, 3, 4, ROLE_TRAJECTORY, CANVAS_SOLID); /* anti-diagonal, lower row */
	assert_string_equal(render(c), "\n⡠⠊\n");
	canvas_free(c);
}

static void test_ascii_lines(void **state)
{
	(void)state;
	struct canvas *c = canvas_new(4, 1, CANVAS_ASCII);
	assert_int_equal(canvas_dots_y(c), 2);
	canvas_line(c, 0, 0, 7, 0, ROLE_TRAJECTORY, CANVAS_SOLID);
	assert_string_equal(render(c), "----\n");
	canvas_clear(c);
	canvas_line(c, 0, 1, 7, 1, ROLE_TRAJECTORY, CANVAS_SOLID);
	assert_string_equal(render(c), "____\n");
	assert_int_equal(canvas_resize(c, 1, 2), 0);
	canvas_line(c, 0, 0, 0, 3, ROLE_TRAJECTORY, CANVAS_SOLID);
	assert_string_equal(render(c), "|\n|\n");
	assert_int_equal(canvas_resize(c, 2, 2), 0);
	canvas_line(c, 0, 0, 3, 3, ROLE_TRAJECTORY, CANVAS_SOLID);
	assert_string_equal(render(c), "\\\n \\\n");
	canvas_clear(c);
	canvas_line(c, 0, 3, 3, 0, ROLE_TRAJECTORY, CANVAS_SOLID);
	assert_string_equal(render(c), " /\n/\n");

	/* a busy picture with Unicode text and markers is still pure ASCII */
	assert_int_equal(canvas_resize(c, 30, 8), 0);
	canvas_fill_bg(c, 0, 0, 30, 8, ROLE_REGION);
	canvas_line(c, 0, 0, 59, 15, ROLE_GREEN_LINE, CANVAS_SOLID);
	canvas_line(c, 0, 15, 59, 0, ROLE_RED_LINE, CANVAS_DASHED);
	canvas_line(c, 3, 1, 40, 14, ROLE_ZETA_LINE, CANVAS_DOTTED);
	canvas_marker(c, 20, 8, 0x25CF, ROLE_CURRENT);
	canvas_text(c, 1, 7, "r0/β̂ ≤ ‖θ*−θ0‖ ─│┌ αζη", ROLE_TEXT);
	canvas_text(c, 1, 6, "bad \xff\xfe utf8 \xe2\x82", ROLE_TEXT);
	const char *s = render(c);
	all_ascii(s);
	assert_non_null(strstr(s, "r0/b? < |t*-t0| -|+ azn"));
	assert_non_null(strchr(s, '@'));
	canvas_free(c);
}

static void test_styles(void **state)
{
	(void)state;
	struct canvas *c = canvas_new(6, 1, CANVAS_BRAILLE);
	canvas_line(c, 0, 1, 11, 1, ROLE_RED_LINE, CANVAS_DASHED);
	assert_string_equal(render(c), "⠒⠒ ⠒⠒\n");
	canvas_clear(c);
	canvas_line(c, 0, 1, 11, 1, ROLE_ZETA_LINE, CANVAS_DOTTED);
	assert_string_equal(render(c), "⠂⠂⠂⠂⠂⠂\n");
	/* the dash pattern continues across short segments of a polyline */
	canvas_clear(c);
	for (int i = 0; i < 11; i++)
		canvas_line(c, i, 1, i + 1, 1, ROLE_RED_LINE, CANVAS_DASHED);
	assert_string_equal(render(c), "⠒⠒ ⠒⠒\n");

	canvas_set_mode(c, CANVAS_ASCII);
	assert_int_equal(canvas_mode(c), CANVAS_ASCII);
	canvas_line(c, 0, 1, 11, 1, ROLE_GREEN_LINE, CANVAS_SOLID);
	assert_string_equal(render(c), "______\n");
	canvas_clear(c);
	canvas_line(c, 0, 1, 11, 1, ROLE_RED_LINE, CANVAS_DASHED);
	assert_string_equal(render(c), "__ __\n");
	canvas_clear(c);
	canvas_line(c, 0, 1, 11, 1, ROLE_ZETA_LINE, CANVAS_DOTTED);
	assert_string_equal(render(c), "......\n");
	/* per-role ASCII glyph */
	canvas_clear(c);
	canvas_set_ascii_glyph(c, ROLE_RED_LINE, '+');
	canvas_line(c, 0, 1, 11, 1, ROLE_RED_LINE, CANVAS_SOLID);
	assert_string_equal(render(c), "++++++\n");
	canvas_free(c);
}

static void test_text_clip(void **state)
{
	(void)state;
	struct canvas *c = canvas_new(5, 2, CANVAS_BRAILLE);
	assert_int_equal(canvas_text(c, -2, 0, "abcdefg", ROLE_TEXT), 7);
	assert_int_equal(canvas_text(c, 3, 1, "héllo", ROLE_TEXT), 5);
	canvas_text(c, 0, 2, "zzz", ROLE_TEXT);	  /* below: nothing */
	canvas_text(c, 0, -1, "zzz", ROLE_TEXT);  /* above: nothing */
	canvas_text(c, 9, 0, "zzz", ROLE_TEXT);	  /* right: nothing */
	canvas_text(c, -100, 1, "zz", ROLE_TEXT); /* left: nothing */
	assert_string_equal(render(c), "cdefg\n   hé\n");
	assert_int_equal(canvas_cell(c, 4, 1)->ch, 0xE9);
	assert_null(canvas_cell(c, 5, 0));
	assert_null(canvas_cell(c, 0, 2));
	assert_null(canvas_cell(c, -1, 0));
	/* a 4-byte character at the right edge stays whole */
	canvas_clear(c);
	canvas_text(c, 3, 0, "x😀y", ROLE_TEXT);
	assert_string_equal(render(c), "   x😀\n\n");
	canvas_clear(c);
	assert_int_equal(canvas_textf(c, 0, 0, ROLE_TEXT, "%d/%s", 42, "ab"), 5);
	canvas_text_attr(c, 0, 1, "B", ROLE_TITLE, CANVAS_BOLD);
	assert_string_equal(render(c), "42/ab\nB\n");
	assert_int_equal(canvas_cell(c, 0, 1)->attr, CANVAS_BOLD);
	assert_int_equal(canvas_cell(c, 0, 1)->fg, ROLE_TITLE);
	canvas_free(c);
}

static void test_resize(void **state)
{
	(void)state;
	struct canvas *c = canvas_new(10, 3, CANVAS_BRAILLE);
	assert_int_equal(canvas_resize(c, 1, 1), 0);
	canvas_line(c, -5, -5, 50, 50, ROLE_TRAJECTORY, CANVAS_SOLID);
	canvas_text(c, 0, 0, "xyz", ROLE_TEXT);
	assert_string_equal(render(c), "x\n");
	assert_int_equal(canvas_resize(c, 0, 0), 0);
	assert_int_equal(canvas_width(c), 0);
	canvas_line(c, 0, 0, 3, 3, ROLE_TRAJECTORY, CANVAS_SOLID);
	canvas_dot(c, 0, 0, ROLE_TRAJECTORY);
	canvas_marker(c, 0, 0, '*', ROLE_CURRENT);
	canvas_text(c, 0, 0, "abc", ROLE_TEXT);
	canvas_fill_bg(c, 0, 0, 5, 5, ROLE_REGION);
	canvas_erase(c, 0, 0, 5, 5);
	assert_null(canvas_cell(c, 0, 0));
	assert_null(canvas_row(c, 0));
	assert_int_equal(canvas_render_buf(c, out, sizeof out), 0);
	assert_string_equal(out, "");
	assert_int_equal(canvas_resize(c, 0, 3), 0);
	assert_string_equal(render(c), "\n\n\n");
	assert_int_equal(canvas_resize(c, -1, 3), -1);
	assert_int_equal(canvas_resize(c, 3, CANVAS_MAX_DIM + 1), -1);
	assert_int_equal(canvas_height(c), 3); /* unchanged on failure */
	assert_int_equal(canvas_resize(c, 12, 3), 0);
	canvas_line(c, 0, 1, 23, 1, ROLE_TRAJECTORY, CANVAS_SOLID);
	assert_string_equal(render(c), "⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒⠒\n\n\n");
	canvas_free(c);
	canvas_free(NULL);
	assert_null(canvas_new(-1, 2, CANVAS_BRAILLE));
	c = canvas_new(0, 0, CANVAS_ASCII);
	assert_non_null(c);
	canvas_free(c);
}

static void test_bad_coordinates(void **state)
{
	(void)state;
	struct canvas *c = canvas_new(4, 2, CANVAS_BRAILLE);
	canvas_line(c, NAN, 0, 3, 3, ROLE_TRAJECTORY, CANVAS_SOLID);
	canvas_line(c, 0, 0, 3, NAN, ROLE_TRAJECTORY, CANVAS_SOLID);
	canvas_line(c, 0, INFINITY, 3, 3, ROLE_TRAJECTORY, CANVAS_SOLID);
	canvas_line(c, -INFINITY, 1, INFINITY, 1, ROLE_TRAJECTORY, CANVAS_SOLID);
	canvas_dot(c, NAN, 1, ROLE_TRAJECTORY);
	canvas_dot(c, 1, INFINITY, ROLE_TRAJECTORY);
	canvas_dot(c, 1e300, 1, ROLE_TRAJECTORY);
	canvas_dot(c, -1e300, -1e300, ROLE_TRAJECTORY);
	canvas_marker(c, NAN, 0, '*', ROLE_CURRENT);
	canvas_marker(c, 1e200, 0, '*', ROLE_CURRENT);
	canvas_line(c, 1e300, 1e300, 2e300, -1e300, ROLE_TRAJECTORY, CANVAS_SOLID); /* misses */
	canvas_line(c, -1e308, 50, 1e308, 50, ROLE_TRAJECTORY, CANVAS_DASHED);	    /* below */
	assert_string_equal(render(c), "\n\n");
	/* huge but crossing: the visible part is drawn exactly */
	canvas_line(c, -1e300, 1, 1e300, 1, ROLE_TRAJECTORY, CANVAS_SOLID);
	canvas_line(c, -DBL_MAX, 5, DBL_MAX, 5, ROLE_TRAJECTORY, CANVAS_SOLID);
	canvas_line(c, 3, -1e308, 3, 1e308, ROLE_TRAJECTORY, CANVAS_SOLID);
	assert_string_equal(render(c), "⠒⢺⠒⠒\n⠒⢺⠒⠒\n");
	canvas_free(c);
}

static void test_priority(void **state)
{
	(void)state;
	struct canvas *c = canvas_new(3, 1, CANVAS_BRAILLE);
	/* trajectory above the red line, whatever the order */
	canvas_line(c, 0, 0, 1, 0, ROLE_TRAJECTORY, CANVAS_SOLID);
	canvas_line(c, 0, 3, 1, 3, ROLE_RED_LINE, CANVAS_SOLID);
	canvas_line(c, 2, 3, 3, 3, ROLE_RED_LINE, CANVAS_SOLID);
	canvas_line(c, 2, 0, 3, 0, ROLE_TRAJECTORY, CANVAS_SOLID);
	assert_int_equal(canvas_cell(c, 0, 0)->fg, ROLE_TRAJECTORY);
	assert_int_equal(canvas_cell(c, 1, 0)->fg, ROLE_TRAJECTORY);
	assert_int_equal(canvas_cell(c, 0, 0)->ch, 0x2800 + 0x09 + 0xC0); /* dots merge */
	/* equal priority: the later draw wins */
	canvas_dot(c, 4, 0, ROLE_GREEN_LINE);
	canvas_dot(c, 4, 1, ROLE_ZETA_LINE);
	assert_int_equal(canvas_cell(c, 2, 0)->fg, ROLE_ZETA_LINE);
	/* region fill is background: lines keep their colour over it, and a later fill replaces */
	canvas_fill_bg(c, 0, 0, 3, 1, ROLE_REGION);
	assert_int_equal(canvas_cell(c, 0, 0)->bg, ROLE_REGION);
	assert_int_equal(canvas_cell(c, 0, 0)->fg, ROLE_TRAJECTORY);
	assert_int_equal(canvas_cell(c, 2, 0)->bg, ROLE_REGION);
	/* the current-point marker beats the trajectory dots; a red-line glyph does not */
	canvas_marker(c, 0, 0, 'o', ROLE_CURRENT);
	canvas_marker(c, 2, 0, 'x', ROLE_RED_LINE);
	assert_int_equal(canvas_cell(c, 0, 0)->ch, 'o');
	assert_int_equal(canvas_cell(c, 0, 0)->fg, ROLE_CURRENT);
	assert_int_equal(canvas_cell(c, 1, 0)->ch, 0x2800 + 0x09 + 0xC0);
	/* text beats dots, even in a low-priority role; a lower-priority marker does not
	 * replace text, a later text does */
	canvas_text(c, 2, 0, "T", ROLE_MARK);
	assert_int_equal(canvas_cell(c, 2, 0)->ch, 'T');
	assert_int_equal(canvas_cell(c, 2, 0)->fg, ROLE_MARK);
	canvas_marker(c, 4, 0, '#', ROLE_AXIS);
	assert_int_equal(canvas_cell(c, 2, 0)->ch, 'T');
	canvas_put(c, 2, 0, 'U', ROLE_TEXT, 0);
	canvas_text(c, 2, 0, "T", ROLE_TEXT);
	assert_int_equal(canvas_cell(c, 2, 0)->ch, 'T');
	/* a priority can be changed */
	canvas_set_priority(c, ROLE_RED_LINE, 9);
	assert_int_equal(canvas_priority(c, ROLE_RED_LINE), 9);
	canvas_line(c, 2, 3, 3, 3, ROLE_RED_LINE, CANVAS_SOLID);
	assert_int_equal(canvas_cell(c, 1, 0)->fg, ROLE_RED_LINE);
	assert_true(canvas_priority(c, ROLE_TRAJECTORY) > canvas_priority(c, ROLE_GREEN_LINE));
	assert_true(canvas_priority(c, ROLE_GREEN_LINE) > canvas_priority(c, ROLE_REGION));
	/* erase removes dots and glyphs */
	canvas_erase(c, 0, 0, 2, 1);
	assert_string_equal(render(c), "  T\n");
	assert_int_equal(canvas_cell(c, 0, 0)->bg, ROLE_BACKGROUND);
	canvas_free(c);
}

static void test_render_trim(void **state)
{
	(void)state;
	struct canvas *c = canvas_new(6, 3, CANVAS_BRAILLE);
	canvas_text(c, 0, 0, "ab  ", ROLE_TEXT);
	canvas_text(c, 1, 2, "a  b  ", ROLE_TEXT);
	assert_string_equal(render(c), "ab\n\n a  b\n");
	/* truncated buffer: snprintf-like */
	char small[5];
	assert_int_equal(canvas_render_buf(c, small, sizeof small), 10);
	assert_string_equal(small, "ab\n\n");
	/* file output matches */
	FILE *f = tmpfile();
	assert_non_null(f);
	assert_int_equal(canvas_render_text(c, f), 0);
	rewind(f);
	char back[64] = {0};
	assert_int_equal(fread(back, 1, sizeof back - 1, f), 10);
	assert_string_equal(back, "ab\n\n a  b\n");
	fclose(f);
	canvas_free(c);
}

static void test_cell_equal_and_clip(void **state)
{
	(void)state;
	struct canvas *c = canvas_new(4, 2, CANVAS_BRAILLE);
	struct canvas_cell before = *canvas_cell(c, 2, 1);
	assert_true(canvas_cell_equal(&before, canvas_cell(c, 2, 1)));
	canvas_set_clip(c, 1, 1, 2, 1);
	canvas_line(c, 0, 0, 7, 7, ROLE_TRAJECTORY, CANVAS_SOLID);
	canvas_marker(c, 0, 0, '*', ROLE_CURRENT); /* outside the clip */
	assert_false(canvas_cell_equal(&before, canvas_cell(c, 2, 1)));
	assert_string_equal(render(c), "\n  ⠑\n");
	canvas_reset_clip(c);
	canvas_line(c, 0, 0, 1, 0, ROLE_TRAJECTORY, CANVAS_SOLID);
	assert_string_equal(render(c), "⠉\n  ⠑\n");
	canvas_set_clip(c, 5, 0, 3, 3); /* off the canvas: nothing drawn */
	canvas_line(c, 0, 7, 7, 7, ROLE_TRAJECTORY, CANVAS_SOLID);
	assert_string_equal(render(c), "⠉\n  ⠑\n");
	canvas_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_braille_lines),
	    cmocka_unit_test(test_ascii_lines),
	    cmocka_unit_test(test_styles),
	    cmocka_unit_test(test_text_clip),
	    cmocka_unit_test(test_resize),
	    cmocka_unit_test(test_bad_coordinates),
	    cmocka_unit_test(test_priority),
	    cmocka_unit_test(test_render_trim),
	    cmocka_unit_test(test_cell_equal_and_clip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
