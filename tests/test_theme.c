/* test_theme.c — roles, the shipped and built-in themes, bad theme files (exact
 * "file:line: message"), the search path, listing, and colour step-down. Fixtures are read
 * from $srcdir (default "."): themes/ and tests/data/themes/. */
#include "config.h"

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "gdpath/conf.h"
#include "gdpath/role.h"
#include "gdpath/theme.h"

static const char *const shipped[] = {"default", "light", "mono", "cvd", "projector"};
#define SHIPPED_COUNT (sizeof shipped / sizeof shipped[0])

/* $srcdir/rel, heap-allocated. */
static char *src_path(const char *rel)
{
	const char *srcdir = getenv("srcdir");
	char *p;

	if (srcdir == NULL || *srcdir == '\0')
		srcdir = ".";
	p = malloc(strlen(srcdir) + strlen(rel) + 2);
	assert_non_null(p);
	sprintf(p, "%s/%s", srcdir, rel);
	return p;
}

static char *join(const char *dir, const char *name)
{
	char *p = malloc(strlen(dir) + strlen(name) + 2);
	assert_non_null(p);
	sprintf(p, "%s/%s", dir, name);
	return p;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void test_roles(void **state)
{
	(void)state;
	for (int r = 0; r < ROLE_COUNT; r++) {
		assert_non_null(role_name(r));
		assert_int_equal(role_lookup(role_name(r)), r);
	}
	assert_string_equal(role_name(ROLE_GREEN_LINE), "green_line");
	assert_string_equal(role_name(ROLE_GHOST1 + 2), "ghost3");
	assert_string_equal(role_name(ROLE_LAYER8), "layer8");
	assert_int_equal(role_lookup("red_line"), ROLE_RED_LINE);
	assert_int_equal(role_lookup("ghost9"), -1);
	assert_int_equal(role_lookup("Red_Line"), -1);
	assert_int_equal(role_lookup(NULL), -1);
	assert_null(role_name(ROLE_COUNT));
	assert_null(role_name(-1));
}

/* Counts how often each role is named in a file. */
static int count_roles(const char *key, const char *value, const char *file, unsigned line,
		       void *arg, char **cause)
{
	int *counts = arg, r = role_lookup(key);
	(void)value;
	(void)file;
	(void)line;
	(void)cause;
	if (r < 0)
		return -1;
	counts[r]++;
	return 0;
}

static void test_shipped_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < SHIPPED_COUNT; i++) {
		char rel[64], *path, *cause = NULL;
		struct theme t;
		int counts[ROLE_COUNT] = {0};

		snprintf(rel, sizeof rel, "themes/%s.theme", shipped[i]);
		path = src_path(rel);
		if (theme_load_file(path, &t, &cause) != 0)
			fail_msg("%s", cause);
		assert_null(cause);
		assert_string_equal(t.name, shipped[i]);

		/* Every role is named, exactly once. */
		assert_int_equal(conf_parse_file(path, count_roles, counts, &cause), 0);
		for (int r = 0; r < ROLE_COUNT; r++) {
			if (counts[r] != 1)
				fail_msg("%s: role %s named %d times", path, role_name(r),
					 counts[r]);
		}
		free(path);
	}
}

static void test_files_match_builtins(void **state)
{
	static const char *const names[] = {"default", "mono"};
	(void)state;

	for (size_t i = 0; i < 2; i++) {
		char rel[64], *path, *cause = NULL, a[16], b[16], c[16], d[16];
		struct theme file, builtin;

		snprintf(rel, sizeof rel, "themes/%s.theme", names[i]);
		path = src_path(rel);
		assert_int_equal(theme_load_file(path, &file, &cause), 0);
		assert_int_equal(theme_builtin(names[i], &builtin), 0);
		assert_string_equal(builtin.name, names[i]);
		for (int r = 0; r < ROLE_COUNT; r++) {
			const struct theme_style *x = &file.style[r], *y = &builtin.style[r];
			if (x->fg != y->fg || x->bg != y->bg || x->attrs != y->attrs)
				fail_msg("%s: %s: file %s %s %#x, built-in %s %s %#x", path,
					 role_name(r), colour_name(x->fg, a, sizeof a),
					 colour_name(x->bg, b, sizeof b), x->attrs,
					 colour_name(y->fg, c, sizeof c),
					 colour_name(y->bg, d, sizeof d), y->attrs);
		}
		assert_true(theme_equal(&file, &builtin));
		free(path);
	}
	struct theme t;
	assert_int_equal(theme_builtin("light", &t), -1);
	assert_int_equal(theme_builtin(NULL, &t), -1);
}

/* Loading fixture NAME fails with exactly "PATH:message" and leaves the default in out. */
static void check_bad(const char *name, const char *message)
{
	char rel[128], want[512], *path, *cause = NULL;
	struct theme t, def;

	snprintf(rel, sizeof rel, "tests/data/themes/%s.theme", name);
	path = src_path(rel);
	memset(&t, 0x55, sizeof t);
	assert_int_equal(theme_load_file(path, &t, &cause), -1);
	snprintf(want, sizeof want, "%s:%s", path, message);
	assert_non_null(cause);
	assert_string_equal(cause, want);
	theme_builtin("default", &def);
	assert_true(theme_equal(&t, &def));
	assert_string_equal(t.name, "default");
	free(cause);

	/* The same through the name-or-path entry point. */
	assert_int_equal(theme_load_dirs(path, NULL, &t, &cause), -1);
	assert_string_equal(cause, want);
	free(cause);
	free(path);
}

static void test_bad_files(void **state)
{
	(void)state;
	check_bad("bad_role", "3: unknown role 'purple_line'");
	check_bad("bad_hex", "2: bad colour '#12345g' (expected #rrggbb)");
	check_bad("bad_index", "4: bad colour '300' (an index is 0-255)");
	check_bad("bad_name", "2: unknown colour 'purpleish'");
	check_bad("missing_value", "3: missing value for 'text'");
	check_bad("too_many_words", "2: too many words (at most fg, bg and 6 attributes)");
	check_bad("binary", "3: binary data");
	check_bad("dup_role", "4: role 'axis' already set on line 2");
}

/* Parse one line as a theme file and compare the message (NULL: must succeed). */
static void check_line(const char *line, const char *message)
{
	char dir[] = "/tmp/gdpath-theme-XXXXXX", want[512], *path, *cause = NULL;
	struct theme t;

	assert_non_null(mkdtemp(dir));
	path = join(dir, "x.theme");
	write_file(path, line);
	if (message == NULL) {
		if (theme_load_file(path, &t, &cause) != 0)
			fail_msg("'%s': %s", line, cause);
	} else {
		assert_int_equal(theme_load_file(path, &t, &cause), -1);
		snprintf(want, sizeof want, "%s:1: %s", path, message);
		assert_string_equal(cause, want);
		free(cause);
	}
	unlink(path);
	free(path);
	rmdir(dir);
}

static void test_bad_words(void **state)
{
	(void)state;
	check_line("axis = #fff\n", "bad colour '#fff' (expected #rrggbb)");
	check_line("axis = #1234567\n", "bad colour '#1234567' (expected #rrggbb)");
	check_line("axis = 256\n", "bad colour '256' (an index is 0-255)");
	check_line("axis = 99999999999999999999\n",
		   "bad colour '99999999999999999999' (an index is 0-255)");
	check_line("axis = 12a\n", "bad colour '12a' (an index is 0-255)");
	check_line("axis = bold\n", "'bold' is not a colour (fg comes first)");
	check_line("axis = red blue green\n", "too many colours: 'green' (only fg and bg)");
	check_line("axis = red bold 7\n", "too many colours: '7' (only fg and bg)");
	check_line("axis = red purpleish\n", "unknown colour or attribute 'purpleish'");
	check_line("axis = red blue shiny\n", "unknown attribute 'shiny'");
	check_line("axis = red #12345g\n", "bad colour '#12345g' (expected #rrggbb)");
	check_line("axis = red bold dim underline reverse italic blink\n", NULL);
	check_line("axis = RED BrightBlue BOLD\n", NULL);
	check_line("axis = 255 0\n", NULL);
}

static void test_long_line(void **state)
{
	char dir[] = "/tmp/gdpath-theme-XXXXXX", want[512], *path, *cause = NULL;
	size_t big = 1024 * 1024;
	char *text = malloc(big + 64);
	struct theme t;
	(void)state;

	assert_non_null(text);
	assert_non_null(mkdtemp(dir));
	path = join(dir, "long.theme");
	size_t n = (size_t)sprintf(text, "axis = red\ngrid = ");
	memset(text + n, 'w', big);
	strcpy(text + n + big, "\nmark = blue\n");
	write_file(path, text);
	assert_int_equal(theme_load_file(path, &t, &cause), -1);
	snprintf(want, sizeof want, "%s:2: line too long (more than 4096 bytes)", path);
	assert_string_equal(cause, want);
	free(cause);
	unlink(path);
	free(path);
	rmdir(dir);
	free(text);
}

static void test_partial_inherits(void **state)
{
	char *path = src_path("tests/data/themes/partial.theme"), *cause = NULL;
	struct theme t, def;
	(void)state;

	/* CRLF line ends and a trailing comment. */
	assert_int_equal(theme_load_file(path, &t, &cause), 0);
	assert_string_equal(t.name, "partial");
	theme_builtin("default", &def);
	for (int r = 0; r < ROLE_COUNT; r++) {
		if (r == ROLE_RED_LINE || r == ROLE_REGION)
			continue;
		assert_int_equal(t.style[r].fg, def.style[r].fg);
		assert_int_equal(t.style[r].bg, def.style[r].bg);
		assert_int_equal(t.style[r].attrs, def.style[r].attrs);
	}
	assert_int_equal(t.style[ROLE_RED_LINE].fg, COLOUR_RGB(0xff, 0, 0));
	assert_int_equal(t.style[ROLE_RED_LINE].bg, COLOUR_DEFAULT);
	assert_int_equal(t.style[ROLE_RED_LINE].attrs, ATTR_BOLD);
	assert_int_equal(t.style[ROLE_REGION].fg, COLOUR_DEFAULT);
	assert_int_equal(t.style[ROLE_REGION].bg, 22);
	free(path);
}

/* Three directories standing for the user dir, the data dir and ./themes. */
struct dirs {
	char root[32];
	char *dir[3];
	const char *list[4];
};

static void dirs_make(struct dirs *d)
{
	static const char *const names[3] = {"user", "data", "local"};
	strcpy(d->root, "/tmp/gdpath-theme-XXXXXX");
	assert_non_null(mkdtemp(d->root));
	for (int i = 0; i < 3; i++) {
		d->dir[i] = join(d->root, names[i]);
		assert_int_equal(mkdir(d->dir[i], 0700), 0);
		d->list[i] = d->dir[i];
	}
	d->list[3] = NULL;
}

/* Put "t.theme" with axis = colour into dir i. */
static void dirs_put(struct dirs *d, int i, const char *name, const char *text)
{
	char *path = join(d->dir[i], name);
	write_file(path, text);
	free(path);
}

static void dirs_rm(struct dirs *d, int i, const char *name)
{
	char *path = join(d->dir[i], name);
	assert_int_equal(unlink(path), 0);
	free(path);
}

static void dirs_free(struct dirs *d)
{
	for (int i = 0; i < 3; i++) {
		assert_int_equal(rmdir(d->dir[i]), 0);
		free(d->dir[i]);
	}
	assert_int_equal(rmdir(d->root), 0);
}

static void test_search_order(void **state)
{
	struct dirs d;
	struct theme t;
	char *cause = NULL;
	(void)state;

	dirs_make(&d);
	dirs_put(&d, 0, "t.theme", "axis = 1\n");
	dirs_put(&d, 1, "t.theme", "axis = 2\n");
	dirs_put(&d, 2, "t.theme", "axis = 3\n");

	assert_int_equal(theme_load_dirs("t", d.list, &t, &cause), 0);
	assert_int_equal(t.style[ROLE_AXIS].fg, 1);
	assert_string_equal(t.name, "t");
	dirs_rm(&d, 0, "t.theme");
	assert_int_equal(theme_load_dirs("t", d.list, &t, &cause), 0);
	assert_int_equal(t.style[ROLE_AXIS].fg, 2);
	dirs_rm(&d, 1, "t.theme");
	assert_int_equal(theme_load_dirs("t", d.list, &t, &cause), 0);
	assert_int_equal(t.style[ROLE_AXIS].fg, 3);

	/* A bad file found first is an error, not skipped. */
	dirs_put(&d, 0, "t.theme", "axis = nonsense\n");
	assert_int_equal(theme_load_dirs("t", d.list, &t, &cause), -1);
	char want[256];
	snprintf(want, sizeof want, "%s/t.theme:1: unknown colour 'nonsense'", d.dir[0]);
	assert_string_equal(cause, want);
	free(cause);
	dirs_rm(&d, 0, "t.theme");
	dirs_rm(&d, 2, "t.theme");

	/* A file may override a built-in; otherwise the built-in is used. */
	assert_int_equal(theme_load_dirs("mono", d.list, &t, &cause), 0);
	assert_int_equal(t.style[ROLE_REGION].attrs, ATTR_REVERSE);
	dirs_put(&d, 1, "mono.theme", "region = default underline\n");
	assert_int_equal(theme_load_dirs("mono", d.list, &t, &cause), 0);
	assert_int_equal(t.style[ROLE_REGION].attrs, ATTR_UNDERLINE);
	dirs_rm(&d, 1, "mono.theme");

	dirs_free(&d);
}

static void test_unknown_name_and_list(void **state)
{
	struct dirs d;
	struct theme t;
	char *cause = NULL, **names;
	(void)state;

	dirs_make(&d);
	dirs_put(&d, 0, "zz.theme", "axis = red\n");
	dirs_put(&d, 1, "a.theme", "axis = red\n");
	dirs_put(&d, 2, "a.theme", "axis = red\n");
	dirs_put(&d, 2, "mono.theme", "axis = red\n");
	dirs_put(&d, 2, "notes.txt", "not a theme\n");
	dirs_put(&d, 2, ".theme", "no name\n");

	memset(&t, 0x55, sizeof t);
	assert_int_equal(theme_load_dirs("nope", d.list, &t, &cause), -1);
	assert_string_equal(cause, "unknown theme 'nope' (available: a, default, mono, zz)");
	assert_string_equal(t.name, "default");
	free(cause);

	names = theme_list_dirs(d.list);
	assert_non_null(names);
	assert_string_equal(names[0], "a");
	assert_string_equal(names[1], "default");
	assert_string_equal(names[2], "mono");
	assert_string_equal(names[3], "zz");
	assert_null(names[4]);
	theme_strv_free(names);

	/* No directories: the built-ins. */
	names = theme_list_dirs(NULL);
	assert_string_equal(names[0], "default");
	assert_string_equal(names[1], "mono");
	assert_null(names[2]);
	theme_strv_free(names);
	theme_strv_free(NULL);

	assert_int_equal(theme_load_dirs("nope", NULL, &t, &cause), -1);
	assert_string_equal(cause, "unknown theme 'nope' (available: default, mono)");
	free(cause);
	assert_int_equal(theme_load_dirs("", NULL, &t, &cause), -1);
	assert_string_equal(cause, "empty theme name");
	free(cause);
	assert_int_equal(theme_load_dirs("a b", NULL, &t, &cause), -1);
	assert_string_equal(cause, "bad theme name 'a b'");
	free(cause);

	/* A value ending in .theme is a path, not a name. */
	char want[256];
	assert_int_equal(theme_load_dirs("missing.theme", d.list, &t, &cause), -1);
	snprintf(want, sizeof want, "missing.theme: %s", strerror(ENOENT));
	assert_string_equal(cause, want);
	free(cause);

	dirs_rm(&d, 0, "zz.theme");
	dirs_rm(&d, 1, "a.theme");
	dirs_rm(&d, 2, "a.theme");
	dirs_rm(&d, 2, "mono.theme");
	dirs_rm(&d, 2, "notes.txt");
	dirs_rm(&d, 2, ".theme");
	dirs_free(&d);
}

static void test_default_dirs(void **state)
{
	char **dirs;
	size_t n;
	(void)state;

	setenv("XDG_CONFIG_HOME", "/xdg", 1);
	setenv("HOME", "/home/someone", 1);
	dirs = theme_dirs();
	assert_string_equal(dirs[0], "/xdg/gdpath/themes");
	for (n = 0; dirs[n] != NULL; n++)
		;
	assert_string_equal(dirs[n - 1], "./themes");
	theme_strv_free(dirs);

	/* Relative or empty XDG_CONFIG_HOME is ignored (XDG base directory spec). */
	setenv("XDG_CONFIG_HOME", "relative", 1);
	dirs = theme_dirs();
	assert_string_equal(dirs[0], "/home/someone/.config/gdpath/themes");
	theme_strv_free(dirs);
	unsetenv("XDG_CONFIG_HOME");
	dirs = theme_dirs();
	assert_string_equal(dirs[0], "/home/someone/.config/gdpath/themes");
	theme_strv_free(dirs);

	unsetenv("HOME");
	dirs = theme_dirs();
#ifdef THEMEDIR
	assert_string_equal(dirs[0], THEMEDIR);
#else
	assert_string_equal(dirs[0], "./themes");
	assert_null(dirs[1]);
#endif
	theme_strv_free(dirs);
}

static int rgb(int c) { return colour_to_rgb(c); }

static void test_step_down_red(void **state)
{
	int red = COLOUR_RGB(0xff, 0, 0);
	unsigned attrs = 0;
	(void)state;

	assert_int_equal(colour_to_256(red), 196);
	assert_int_equal(colour_step_down(red, 256, &attrs), 196);
	assert_int_equal(colour_step_down(red, 16, &attrs), 9);
	assert_int_equal(attrs, 0);
	assert_int_equal(colour_step_down(red, 8, &attrs), 1);
	assert_int_equal(attrs, ATTR_BOLD);
	/* As a background no bold is added. */
	assert_int_equal(colour_step_down(red, 8, NULL), 1);
	/* Direct colour keeps it; no colour loses it. */
	assert_int_equal(colour_step_down(red, THEME_COLOURS_DIRECT, &attrs), red);
	assert_int_equal(colour_step_down(red, 2, &attrs), COLOUR_DEFAULT);
	assert_int_equal(colour_step_down(COLOUR_DEFAULT, 8, &attrs), COLOUR_DEFAULT);

	/* Indices: 256 keeps them, 16 finds the ANSI colour, 8 folds bright ones. */
	assert_int_equal(colour_to_256(100), 100);
	assert_int_equal(colour_to_16(196), 9);
	assert_int_equal(colour_to_16(4), 4);
	attrs = 0;
	assert_int_equal(colour_to_8(12, &attrs), 4);
	assert_int_equal(attrs, ATTR_BOLD);
	attrs = 0;
	assert_int_equal(colour_to_8(8, &attrs), 7); /* bright black: not black */
	assert_int_equal(attrs, 0);
}

static void test_step_down_grey(void **state)
{
	(void)state;
	assert_int_equal(colour_to_256(COLOUR_RGB(0x80, 0x80, 0x80)), 244);
	assert_int_equal(colour_to_256(COLOUR_RGB(0x76, 0x76, 0x76)), 243);
	assert_int_equal(colour_to_256(COLOUR_RGB(0x77, 0x77, 0x77)), 243);
	assert_int_equal(colour_to_256(COLOUR_RGB(0x12, 0x12, 0x12)), 233);
	assert_int_equal(colour_to_256(COLOUR_RGB(0, 0, 0)), 16);
	assert_int_equal(colour_to_256(COLOUR_RGB(0xff, 0xff, 0xff)), 231);
	/* Every grey lands on a grey: the ramp or the cube's diagonal, never a tint. */
	for (int v = 0; v < 256; v++) {
		int c = colour_to_256(COLOUR_RGB(v, v, v)), x = rgb(c);
		if (((x >> 16) & 0xff) != (x & 0xff) || ((x >> 8) & 0xff) != (x & 0xff))
			fail_msg("grey %d -> %d (#%06x)", v, c, x);
	}
	/* Cube colours map to themselves. */
	for (int i = 16; i < 256; i++)
		assert_int_equal(colour_to_256(COLOUR_RGB_FLAG | rgb(i)), i);
	/* Greys stay grey in 16 colours; dark colours keep their hue rather than turn black. */
	assert_int_equal(colour_to_16(COLOUR_RGB(0x80, 0x80, 0x80)), 8);
	assert_int_equal(colour_to_16(COLOUR_RGB(0x1c, 0x1c, 0x1c)), 0);
	assert_int_equal(colour_to_16(COLOUR_RGB(0, 0x5f, 0)), 2);
	assert_int_equal(colour_to_16(COLOUR_RGB(0, 0, 0x5f)), 4);
	assert_int_equal(colour_to_8(COLOUR_RGB(0, 0x5f, 0), NULL), 2);
}

static void test_colour_name(void **state)
{
	char buf[16];
	(void)state;
	assert_string_equal(colour_name(COLOUR_DEFAULT, buf, sizeof buf), "default");
	assert_string_equal(colour_name(9, buf, sizeof buf), "brightred");
	assert_string_equal(colour_name(200, buf, sizeof buf), "200");
	assert_string_equal(colour_name(COLOUR_RGB(0xab, 0xcd, 0xef), buf, sizeof buf), "#abcdef");
	assert_int_equal(rgb(COLOUR_DEFAULT), -1);
	assert_int_equal(rgb(232), 0x080808);
	assert_int_equal(rgb(16 + 36 * 5 + 6 * 2 + 1), 0xff875f);
}

#define C(r, g, b) COLOUR_RGB(r, g, b)

static const int modes[] = {8, 16, 256, THEME_COLOURS_DIRECT};

/* No role may show fg on an identical bg. */
static void check_readable(const struct theme *t, int ncolours)
{
	for (int r = 0; r < ROLE_COUNT; r++) {
		const struct theme_style *st = &t->style[r];
		if (st->fg == COLOUR_DEFAULT && st->bg == COLOUR_DEFAULT)
			continue;
		if (st->fg == st->bg || rgb(st->fg) == rgb(st->bg))
			fail_msg("%s: %s fg %d == bg %d in %d colours", t->name, role_name(r),
				 st->fg, st->bg, ncolours);
	}
}

static void test_fg_bg_never_equal(void **state)
{
	struct theme t;
	(void)state;

	/* Colours that only collide after stepping down. */
	for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
		theme_builtin("default", &t);
		t.style[ROLE_TEXT] = (struct theme_style){C(0xff, 0, 0), C(0xfe, 0, 0), 0};
		t.style[ROLE_AXIS] = (struct theme_style){9, 1, 0}; /* bright red on red */
		t.style[ROLE_GRID] = (struct theme_style){7, 7, 0};
		t.style[ROLE_MARK] = (struct theme_style){0, 16, 0}; /* both black */
		t.style[ROLE_STATUS] = (struct theme_style){C(1, 2, 3), C(0, 0, 0), 0};
		t.style[ROLE_HELP] = (struct theme_style){C(0xee, 0xee, 0xee), 15, 0};
		theme_step_down(&t, modes[m]);
		check_readable(&t, modes[m]);
	}

	/* A bright fg on its own base colour in 8 colours: bold is not enough. */
	theme_builtin("default", &t);
	t.style[ROLE_AXIS] = (struct theme_style){9, 1, 0};
	t.style[ROLE_GRID] = (struct theme_style){C(0xf0, 0xf0, 0xf0), C(0xff, 0xff, 0xff), 0};
	theme_step_down(&t, 8);
	assert_int_equal(t.style[ROLE_AXIS].bg, 1);
	assert_int_equal(t.style[ROLE_AXIS].fg, 7); /* white on dark red */
	assert_int_equal(t.style[ROLE_GRID].bg, 7);
	assert_int_equal(t.style[ROLE_GRID].fg, 0); /* black on white */

	/* Pseudo-random pairs in every mode. */
	unsigned seed = 12345;
	for (int k = 0; k < 2000; k++) {
		theme_builtin("default", &t);
		for (int r = 0; r < ROLE_COUNT; r++) {
			seed = seed * 1103515245u + 12345u;
			int a = (int)((seed >> 8) & 0xffffff);
			seed = seed * 1103515245u + 12345u;
			int b = (int)((seed >> 8) & 0xffffff);
			/* Nearby colours, sometimes as indices. */
			b = (a & 0xfcfcfc) | (b & 0x030303);
			t.style[r].fg = (k & 1) ? (int)(a & 0xff) : (COLOUR_RGB_FLAG | a);
			t.style[r].bg = COLOUR_RGB_FLAG | b;
		}
		struct theme copy = t;
		theme_step_down(&copy, modes[k % 4]);
		check_readable(&copy, modes[k % 4]);
	}
}

static void test_shipped_step_down(void **state)
{
	(void)state;
	for (size_t i = 0; i < SHIPPED_COUNT; i++) {
		char rel[64], *path = NULL, *cause = NULL;
		struct theme t, s;

		snprintf(rel, sizeof rel, "themes/%s.theme", shipped[i]);
		path = src_path(rel);
		assert_int_equal(theme_load_file(path, &t, &cause), 0);
		for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
			s = t;
			theme_step_down(&s, modes[m]);
			check_readable(&s, modes[m]);
		}
		/* The two bound lines never merge (mono: by attributes). */
		for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
			s = t;
			theme_step_down(&s, modes[m]);
			const struct theme_style *g = &s.style[ROLE_GREEN_LINE],
						 *r = &s.style[ROLE_RED_LINE];
			if (rgb(g->fg) == rgb(r->fg) && g->attrs == r->attrs)
				fail_msg("%s: green and red lines alike in %d colours", t.name,
					 modes[m]);
		}
		/* No colour: only attributes remain. */
		s = t;
		theme_step_down(&s, 0);
		for (int r = 0; r < ROLE_COUNT; r++) {
			assert_int_equal(s.style[r].fg, COLOUR_DEFAULT);
			assert_int_equal(s.style[r].bg, COLOUR_DEFAULT);
		}
		free(path);
	}

	/* default in a role means the background role's colour (light sets both). */
	char *path = src_path("themes/light.theme"), *cause = NULL;
	struct theme t;
	assert_int_equal(theme_load_file(path, &t, &cause), 0);
	theme_step_down(&t, 256);
	assert_int_equal(t.style[ROLE_BACKGROUND].bg, 231);
	assert_int_equal(t.style[ROLE_TEXT].bg, 231);
	assert_int_equal(t.style[ROLE_TEXT].fg, 234);
	free(path);

	/* cvd: the bound lines differ in hue (blue vs orange) and lightness (Rec. 601 luma). */
	path = src_path("themes/cvd.theme");
	assert_int_equal(theme_load_file(path, &t, &cause), 0);
	int g = rgb(t.style[ROLE_GREEN_LINE].fg), r = rgb(t.style[ROLE_RED_LINE].fg);
	assert_true((g & 0xff) > (g >> 16)); /* blue > red */
	assert_true((r >> 16) > (r & 0xff)); /* red > blue */
	int lg = 299 * (g >> 16) + 587 * ((g >> 8) & 0xff) + 114 * (g & 0xff);
	int lr = 299 * (r >> 16) + 587 * ((r >> 8) & 0xff) + 114 * (r & 0xff);
	assert_true(lr - lg > 50 * 1000);
	free(path);

	/* Mono's attributes keep the four plot roles apart. */
	theme_builtin("mono", &t);
	unsigned a[4] = {t.style[ROLE_TRAJECTORY].attrs, t.style[ROLE_GREEN_LINE].attrs,
			 t.style[ROLE_RED_LINE].attrs, t.style[ROLE_REGION].attrs};
	for (int i = 0; i < 4; i++) {
		assert_int_not_equal(a[i], 0);
		for (int j = i + 1; j < 4; j++)
			assert_int_not_equal(a[i], a[j]);
	}
}

/* ---- issue 8: roles that share a plot differ in colour, perceptually ---- */

/* sRGB → CIELAB (D65). */
static void to_lab(int rgb, double lab[3])
{
	double c[3] = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
	for (int i = 0; i < 3; i++) {
		double u = c[i] / 255;
		c[i] = u > 0.04045 ? pow((u + 0.055) / 1.055, 2.4) : u / 12.92;
	}
	double X = (0.4124 * c[0] + 0.3576 * c[1] + 0.1805 * c[2]) / 0.95047;
	double Y = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
	double Z = (0.0193 * c[0] + 0.1192 * c[1] + 0.9505 * c[2]) / 1.08883;
	double f[3] = {X, Y, Z};
	for (int i = 0; i < 3; i++)
		f[i] = f[i] > 216.0 / 24389 ? cbrt(f[i]) : (24389.0 / 27 * f[i] + 16) / 116;
	lab[0] = 116 * f[1] - 16;
	lab[1] = 500 * (f[0] - f[1]);
	lab[2] = 200 * (f[1] - f[2]);
}

#define PI_ 3.14159265358979323846
#define RAD(d) ((d) * PI_ / 180)
#define DEG(r) ((r) * 180 / PI_)

/* CIEDE2000 colour difference (Sharma, Wu & Dalal 2005). */
static double ciede2000(const double l1[3], const double l2[3])
{
	double C1 = hypot(l1[1], l1[2]), C2 = hypot(l2[1], l2[2]), Cb = (C1 + C2) / 2;
	double G = 0.5 * (1 - sqrt(pow(Cb, 7) / (pow(Cb, 7) + pow(25, 7))));
	double a1 = (1 + G) * l1[1], a2 = (1 + G) * l2[1];
	double C1p = hypot(a1, l1[2]), C2p = hypot(a2, l2[2]);
	double h1 = fmod(DEG(atan2(l1[2], a1)) + 360, 360), h2 = fmod(DEG(atan2(l2[2], a2)) + 360, 360);
	double dL = l2[0] - l1[0], dC = C2p - C1p, dh;
	if (C1p * C2p == 0)
		dh = 0;
	else if (fabs(h2 - h1) <= 180)
		dh = h2 - h1;
	else
		dh = h2 - h1 > 180 ? h2 - h1 - 360 : h2 - h1 + 360;
	double dH = 2 * sqrt(C1p * C2p) * sin(RAD(dh / 2));
	double Lb = (l1[0] + l2[0]) / 2, Cbp = (C1p + C2p) / 2, hb;
	if (C1p * C2p == 0)
		hb = h1 + h2;
	else if (fabs(h1 - h2) <= 180)
		hb = (h1 + h2) / 2;
	else
		hb = h1 + h2 < 360 ? (h1 + h2 + 360) / 2 : (h1 + h2 - 360) / 2;
	double T = 1 - 0.17 * cos(RAD(hb - 30)) + 0.24 * cos(RAD(2 * hb)) +
		   0.32 * cos(RAD(3 * hb + 6)) - 0.20 * cos(RAD(4 * hb - 63));
	double dth = 30 * exp(-pow((hb - 275) / 25, 2));
	double RC = 2 * sqrt(pow(Cbp, 7) / (pow(Cbp, 7) + pow(25, 7)));
	double SL = 1 + 0.015 * pow(Lb - 50, 2) / sqrt(20 + pow(Lb - 50, 2));
	double SC = 1 + 0.045 * Cbp, SH = 1 + 0.015 * Cbp * T, RT = -sin(RAD(2 * dth)) * RC;
	return sqrt(pow(dL / SL, 2) + pow(dC / SC, 2) + pow(dH / SH, 2) +
		    RT * (dC / SC) * (dH / SH));
}

/* The colour a role's glyphs take on a 256-colour terminal (its fg, or the background
 * role's, or light grey for the terminal's own default). */
static int role_rgb(const struct theme *t, int role)
{
	int c = t->style[role].fg;
	if (c == COLOUR_DEFAULT)
		c = t->style[ROLE_BACKGROUND].fg;
	int rgb = colour_to_rgb(c);
	return rgb < 0 ? 0xe5e5e5 : rgb;
}

static int bg_rgb(const struct theme *t)
{
	int rgb = colour_to_rgb(t->style[ROLE_BACKGROUND].bg);
	return rgb < 0 ? 0x000000 : rgb;
}

/* Every pair of roles drawn in the same plot — misfit plot: trajectory, current point,
 * the three lines, marks, ghosts 1–8; loss plot: trajectory, envelope, marks, ghosts;
 * layers plot: layers 1–8 — and each of them against the background differ by a CIEDE2000
 * ΔE of at least 10 (2.3 is a just noticeable difference) in every shipped colour theme,
 * as a 256-colour terminal shows it. */
static void test_roles_perceptually_distinct(void **state)
{
	(void)state;
	enum { MIN_DE = 10 };
	int misfit[] = {ROLE_TRAJECTORY, ROLE_CURRENT, ROLE_GREEN_LINE, ROLE_ZETA_LINE, ROLE_RED_LINE,
			ROLE_MARK, ROLE_GHOST1, ROLE_GHOST1 + 1, ROLE_GHOST1 + 2, ROLE_GHOST1 + 3,
			ROLE_GHOST1 + 4, ROLE_GHOST1 + 5, ROLE_GHOST1 + 6, ROLE_GHOST1 + 7, -1};
	int loss[] = {ROLE_TRAJECTORY, ROLE_ENVELOPE, ROLE_MARK, ROLE_GHOST1, ROLE_GHOST1 + 1,
		      ROLE_GHOST1 + 2, ROLE_GHOST1 + 3, ROLE_GHOST1 + 4, ROLE_GHOST1 + 5,
		      ROLE_GHOST1 + 6, ROLE_GHOST1 + 7, -1};
	int layers[] = {ROLE_LAYER1, ROLE_LAYER1 + 1, ROLE_LAYER1 + 2, ROLE_LAYER1 + 3,
			ROLE_LAYER1 + 4, ROLE_LAYER1 + 5, ROLE_LAYER1 + 6, ROLE_LAYER1 + 7, -1};
	const int *sets[] = {misfit, loss, layers};
	int checked = 0, bad = 0;
	for (size_t k = 0; k < SHIPPED_COUNT; k++) {
		if (strcmp(shipped[k], "mono") == 0)
			continue; /* no colour: attributes, glyphs and dash patterns */
		char rel[64];
		snprintf(rel, sizeof rel, "themes/%s.theme", shipped[k]);
		char *path = src_path(rel), *why = NULL;
		struct theme t;
		if (theme_load_file(path, &t, &why) != 0)
			fail_msg("%s: %s", path, why);
		free(path);
		theme_step_down(&t, 256);
		double bg[3];
		to_lab(bg_rgb(&t), bg);
		for (size_t s = 0; s < 3; s++) {
			for (const int *r = sets[s]; *r >= 0; r++) {
				double a[3], b[3];
				to_lab(role_rgb(&t, *r), a);
				double d = ciede2000(a, bg);
				if (d < MIN_DE) {
					print_message("theme %s: %s on the background: ΔE %.1f\n",
						      shipped[k], role_name(*r), d);
					bad++;
				}
				for (const int *q = r + 1; *q >= 0; q++) {
					to_lab(role_rgb(&t, *q), b);
					d = ciede2000(a, b);
					checked++;
					if (d < MIN_DE) {
						print_message("theme %s: %s and %s differ by ΔE %.1f < %d\n",
							      shipped[k], role_name(*r), role_name(*q), d,
							      MIN_DE);
						bad++;
					}
				}
			}
		}
	}
	assert_int_equal(bad, 0);
	assert_true(checked > 100);
	/* the metric itself: Sharma et al.'s test pair 1, ΔE00 = 2.0425 */
	double p1[3] = {50, 2.6772, -79.7751}, p2[3] = {50, 0, -82.7485};
	assert_true(fabs(ciede2000(p1, p2) - 2.0425) < 1e-4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roles),
	    cmocka_unit_test(test_shipped_parse),
	    cmocka_unit_test(test_files_match_builtins),
	    cmocka_unit_test(test_bad_files),
	    cmocka_unit_test(test_bad_words),
	    cmocka_unit_test(test_long_line),
	    cmocka_unit_test(test_partial_inherits),
	    cmocka_unit_test(test_search_order),
	    cmocka_unit_test(test_unknown_name_and_list),
	    cmocka_unit_test(test_default_dirs),
	    cmocka_unit_test(test_step_down_red),
	    cmocka_unit_test(test_step_down_grey),
	    cmocka_unit_test(test_colour_name),
	    cmocka_unit_test(test_fg_bg_never_equal),
	    cmocka_unit_test(test_shipped_step_down),
	    cmocka_unit_test(test_roles_perceptually_distinct),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
