/* test_userconf.c — the user configuration file: every key, every kind of bad value with
 * its exact "file:line: message", a missing file, where the file is looked for, and that
 * a preset in the file is overridden by the file's other keys and by the command line. */
#include "config.h"

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

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

#include "gdpath/act.h"
#include "gdpath/cli.h"
#include "gdpath/model.h"
#include "gdpath/optim.h"
#include "gdpath/userconf.h"

static char tmpdir[] = "/tmp/test_userconf.XXXXXX";
static char path[512];

/* Write text to tmpdir/name; path holds the file's name afterwards. */
static const char *write_file(const char *name, const char *text)
{
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return path;
}

/* Defaults as the program starts: cli_parse with no arguments. HOME and XDG_CONFIG_HOME
 * point into an empty directory (setup), so no real configuration file is read. */
static void defaults(struct opts *o)
{
	char arg0[] = "gdpath";
	char *argv[] = {arg0, NULL};
	char *cause = NULL;
	assert_int_equal(cli_parse(1, argv, o, &cause), 0);
	assert_null(cause);
}

/* Apply text as a configuration file; returns userconf_apply's result, *cause kept. */
static int apply_text(struct opts *o, const char *text, char **cause)
{
	return userconf_apply(o, write_file("config", text), cause);
}

/* The text must be rejected with exactly "PATH:<msg>" (msg starts with the line number). */
static void expect_error(const char *text, const char *msg)
{
	struct opts o;
	char *cause = NULL, want[8192];
	defaults(&o);
	assert_int_equal(apply_text(&o, text, &cause), -1);
	assert_non_null(cause);
	snprintf(want, sizeof want, "%s:%s", path, msg);
	assert_string_equal(cause, want);
	free(cause);
}

static void test_every_key(void **state)
{
	(void)state;
	struct opts o;
	char *cause = NULL;
	defaults(&o);
	assert_int_equal(apply_text(&o,
				    "# my defaults\n"
				    "theme = mono\n"
				    "fps = 12   # slow link\n"
				    "ascii = yes\n"
				    "seed = 4294967295\n"
				    "model = glm\n"
				    "optimizer = adam\n"
				    "eta = 0.05\n"
				    "export_dir = /tmp/exports\n",
				    &cause),
			 0);
	assert_null(cause);
	assert_string_equal(o.export_dir, "/tmp/exports");
	assert_string_equal(o.theme, "mono");
	assert_int_equal(o.fps, 12);
	assert_true(o.ascii);
	assert_int_equal(o.run.seed, 4294967295UL);
	assert_ptr_equal(o.run.ops, &model_glm_ops);
	assert_int_equal(o.run.ocfg.kind, OPT_ADAM);
	assert_false(o.run.eta_theory);
	assert_true(o.run.eta == 0.05);
	assert_null(o.preset);
}

static void test_keys_left_alone(void **state)
{
	(void)state;
	struct opts o, before;
	char *cause = NULL;
	defaults(&o);
	memcpy(&before, &o, sizeof o);
	assert_int_equal(apply_text(&o, "fps = 60\n", &cause), 0);
	assert_int_equal(o.fps, 60);
	o.fps = before.fps;
	assert_memory_equal(&o, &before, sizeof o);
}

static void test_theme_path_and_eta_theory(void **state)
{
	(void)state;
	struct opts o;
	char *cause = NULL;
	defaults(&o);
	o.run.eta_theory = false;
	o.run.eta = 3;
	o.run.eta_scale = 0.5;
	/* A path is not looked up here: the theme loader reports its own errors. */
	assert_int_equal(apply_text(&o, "theme = ~/my/own.theme\neta = theory\n", &cause), 0);
	assert_string_equal(o.theme, "~/my/own.theme");
	assert_true(o.run.eta_theory);
	assert_true(o.run.eta_scale == 1);
}

static void test_ascii_words(void **state)
{
	(void)state;
	static const struct {
		const char *word;
		bool value;
	} words[] = {{"yes", true}, {"no", false}, {"true", true}, {"false", false},
		     {"1", true},   {"0", false},  {"YES", true},  {"False", false}};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		struct opts o;
		char *cause = NULL, text[64];
		defaults(&o);
		o.ascii = !words[i].value;
		snprintf(text, sizeof text, "ascii = %s\n", words[i].word);
		assert_int_equal(apply_text(&o, text, &cause), 0);
		assert_int_equal(o.ascii, words[i].value);
	}
}

static void test_bad_values(void **state)
{
	(void)state;
	expect_error(
	    "theme = mono\ncolour = red\n",
	    "2: unknown key 'colour' (theme, fps, preset, ascii, seed, model, optimizer, eta, export_dir)");
	expect_error("fps = 0\n", "1: fps: '0' is not a whole number from 1 to 1000");
	expect_error("\n\nfps = 1001\n", "3: fps: '1001' is not a whole number from 1 to 1000");
	expect_error("fps = 2.5\n", "1: fps: '2.5' is not a whole number from 1 to 1000");
	expect_error("fps = fast\n", "1: fps: 'fast' is not a whole number from 1 to 1000");
	expect_error("# a\n# b\npreset = fig9\n",
		     "3: preset: unknown preset 'fig9' (try gdpath --list presets)");
	expect_error("ascii = maybe\n", "1: ascii: 'maybe' is not yes, no, true, false, 1 or 0");
	expect_error("ascii = on\n", "1: ascii: 'on' is not yes, no, true, false, 1 or 0");
	expect_error("seed = -1\n", "1: seed: '-1' is not a whole number from 0 to 4294967295");
	expect_error("seed = 4294967296\n",
		     "1: seed: '4294967296' is not a whole number from 0 to 4294967295");
	expect_error("model = resnet\n",
		     "1: model: unknown model 'resnet' (try gdpath --list models)");
	expect_error("optimizer = lbfgs\n",
		     "1: optimizer: unknown optimizer 'lbfgs' (try gdpath --list optimizers)");
	expect_error("eta = 0\n", "1: eta: '0' is not a positive finite step size (or 'theory')");
	expect_error("eta = 0,1\n",
		     "1: eta: '0,1' is not a positive finite step size (or 'theory')");
	expect_error("eta = inf\n",
		     "1: eta: 'inf' is not a positive finite step size (or 'theory')");
	expect_error("fps = 10\nfps = 20\n", "2: 'fps' already set on line 1");
	/* The parser's own errors come through unchanged. */
	expect_error("fps 10\n", "1: missing '=' (expected 'key = value')");
	expect_error("fps =\n", "1: missing value for 'fps'");
}

static void test_unknown_theme(void **state)
{
	(void)state;
	struct opts o;
	char *cause = NULL, want[8192];
	defaults(&o);
	assert_int_equal(apply_text(&o, "theme = nosuchtheme\n", &cause), -1);
	snprintf(want, sizeof want, "%s:1: theme: unknown theme 'nosuchtheme' (available: ", path);
	assert_non_null(cause);
	assert_memory_equal(cause, want, strlen(want));
	assert_non_null(strstr(cause, "default"));
	assert_non_null(strstr(cause, "mono"));
	free(cause);
}

/* Every bad line is reported, one a line, and the good ones are applied. */
static void test_errors_collected_good_lines_applied(void **state)
{
	(void)state;
	struct opts o;
	char *cause = NULL, want[8192];
	defaults(&o);
	assert_int_equal(apply_text(&o, "fps = 0\nseed = 7\nascii = sometimes\n", &cause), -1);
	snprintf(want, sizeof want,
		 "%s:1: fps: '0' is not a whole number from 1 to 1000\n"
		 "%s:3: ascii: 'sometimes' is not yes, no, true, false, 1 or 0",
		 path, path);
	assert_string_equal(cause, want);
	free(cause);
	assert_int_equal(o.run.seed, 7);
	assert_int_equal(o.fps, 30);
}

static void test_missing_file(void **state)
{
	(void)state;
	struct opts o, before;
	char *cause = (char *)"unset", missing[600];
	defaults(&o);
	memcpy(&before, &o, sizeof o);
	snprintf(missing, sizeof missing, "%s/no-such-file", tmpdir);
	assert_int_equal(userconf_apply(&o, missing, &cause), 0);
	assert_null(cause);
	assert_memory_equal(&o, &before, sizeof o);
	snprintf(missing, sizeof missing, "%s/no-such-dir/gdpath/config", tmpdir);
	assert_int_equal(userconf_apply(&o, missing, NULL), 0);
	assert_memory_equal(&o, &before, sizeof o);
}

static void test_unreadable_is_an_error(void **state)
{
	(void)state;
	struct opts o;
	char *cause = NULL;
	defaults(&o);
	/* A directory where the file should be: fopen works, reading does not. */
	snprintf(path, sizeof path, "%s/adir", tmpdir);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(userconf_apply(&o, path, &cause), -1);
	assert_non_null(cause);
	assert_memory_equal(cause, path, strlen(path));
	free(cause);
	rmdir(path);
}

/* The file's preset goes first, whatever the line order, and its other keys win. */
static void test_preset_then_keys(void **state)
{
	(void)state;
	struct opts o;
	char *cause = NULL;
	defaults(&o);
	assert_int_equal(apply_text(&o, "eta = 0.2\npreset = softplus\nfps = 10\n", &cause), 0);
	assert_string_equal(o.preset, "softplus");
	assert_ptr_equal(o.run.ops, &model_shallow_ops); /* from the preset */
	assert_int_equal(o.run.mcfg.n, 100);
	assert_int_equal(o.run.mcfg.act, ACT_SOFTPLUS);
	assert_false(o.run.eta_theory);
	assert_true(o.run.eta == 0.2); /* the file's own eta, not the preset's 0.15 */
	assert_int_equal(o.fps, 10);

	/* USERCONF_SKIP_PRESET: for a command line with its own --preset. */
	defaults(&o);
	assert_int_equal(userconf_apply_flags(&o, path, USERCONF_SKIP_PRESET, &cause), 0);
	assert_null(o.preset);
	assert_ptr_equal(o.run.ops, &model_linear_ops);
	assert_int_equal(o.run.mcfg.n, 0);
	assert_true(o.run.eta == 0.2);
	assert_int_equal(o.fps, 10);
}

/* Through cli_parse, the way the program reads the file: $XDG_CONFIG_HOME/gdpath/config,
 * then the command line's --preset, then its other options. Skipped while cli_parse does
 * not read the file. */
static void test_command_line_wins(void **state)
{
	(void)state;
	char xdg[600], dir[700];
	snprintf(xdg, sizeof xdg, "%s/xdg", tmpdir);
	snprintf(dir, sizeof dir, "%s/gdpath", xdg);
	assert_int_equal(mkdir(xdg, 0700), 0);
	assert_int_equal(mkdir(dir, 0700), 0);
	write_file("xdg/gdpath/config", "preset = softplus\nfps = 5\neta = 0.2\nseed = 9\n");
	assert_int_equal(setenv("XDG_CONFIG_HOME", xdg, 1), 0);

	struct opts o;
	char *cause = NULL;
	char a0[] = "gdpath", a1[] = "--eta", a2[] = "0.3", a3[] = "--preset", a4[] = "glm",
	     a5[] = "--seed", a6[] = "3";
	char *argv1[] = {a0, a1, a2, NULL};
	int rc = cli_parse(3, argv1, &o, &cause);
	char back[600];
	snprintf(back, sizeof back, "%s/home", tmpdir);
	if (rc == 0 && o.fps != 5) {
		setenv("XDG_CONFIG_HOME", back, 1);
		skip(); /* cli_parse does not call userconf_apply yet */
	}
	assert_int_equal(rc, 0);
	assert_ptr_equal(o.run.ops, &model_shallow_ops); /* the file's preset */
	assert_int_equal(o.run.mcfg.n, 100);
	assert_true(o.run.eta == 0.3); /* the command line over the file */
	assert_false(o.run.eta_theory);
	assert_int_equal(o.fps, 5);
	assert_int_equal(o.run.seed, 9);

	/* A --preset on the command line replaces the file's preset and wins over the file's
	 * other keys that it sets; --seed wins over the file's seed. */
	char *argv2[] = {a0, a3, a4, a5, a6, NULL};
	assert_int_equal(cli_parse(5, argv2, &o, &cause), 0);
	assert_string_equal(o.preset, "glm");
	assert_ptr_equal(o.run.ops, &model_glm_ops);
	assert_int_equal(o.run.mcfg.n, 0); /* nothing left over from softplus */
	assert_true(o.run.eta_theory);	   /* the glm preset's theory step */
	assert_int_equal(o.fps, 5);	   /* the file, untouched by the preset */
	assert_int_equal(o.run.seed, 3);
	setenv("XDG_CONFIG_HOME", back, 1);
}

static void test_path(void **state)
{
	(void)state;
	char *p;
	setenv("XDG_CONFIG_HOME", "/x/cfg", 1);
	setenv("HOME", "/home/u", 1);
	p = userconf_path();
	assert_string_equal(p, "/x/cfg/gdpath/config");
	free(p);
	/* A relative XDG_CONFIG_HOME is ignored (XDG Base Directory rule), as for themes. */
	setenv("XDG_CONFIG_HOME", "rel/cfg", 1);
	p = userconf_path();
	assert_string_equal(p, "/home/u/.config/gdpath/config");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	p = userconf_path();
	assert_string_equal(p, "/home/u/.config/gdpath/config");
	free(p);
	setenv("HOME", "", 1);
	assert_null(userconf_path());
	unsetenv("HOME");
	assert_null(userconf_path());
	/* Back to the isolated set-up. */
	char back[600];
	snprintf(back, sizeof back, "%s/home", tmpdir);
	setenv("HOME", back, 1);
	setenv("XDG_CONFIG_HOME", back, 1);
}

static int setup(void **state)
{
	(void)state;
	char home[600];
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(home, sizeof home, "%s/home", tmpdir);
	if (mkdir(home, 0700) != 0)
		return -1;
	setenv("HOME", home, 1);
	setenv("XDG_CONFIG_HOME", home, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[700];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_key),
	    cmocka_unit_test(test_keys_left_alone),
	    cmocka_unit_test(test_theme_path_and_eta_theory),
	    cmocka_unit_test(test_ascii_words),
	    cmocka_unit_test(test_bad_values),
	    cmocka_unit_test(test_unknown_theme),
	    cmocka_unit_test(test_errors_collected_good_lines_applied),
	    cmocka_unit_test(test_missing_file),
	    cmocka_unit_test(test_unreadable_is_an_error),
	    cmocka_unit_test(test_preset_then_keys),
	    cmocka_unit_test(test_command_line_wins),
	    cmocka_unit_test(test_path),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
