/* test_app.c — what keys do, checked on the app state (the terminal tests check the same
 * through tmux): η keys, exact η entry, model/optimizer/activation/width changes restart
 * cleanly, r keeps data and θ0, R draws new ones, forks continue from the current
 * iterate, the fan, export, themes, presets. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "gdpath/app.h"
#include "gdpath/batch.h"
#include "gdpath/data.h"
#include "gdpath/preset.h"
#include "gdpath/run.h"
#include "gdpath/theory.h"
#include "gdpath/track.h"

static void app_for(struct app *a, const char *preset)
{
	struct opts o;
	memset(&o, 0, sizeof o);
	run_cfg_default(&o.run);
	o.steps = -1; /* as cli_parse leaves it without --steps */
	o.fps = 30;
	if (preset)
		preset_lookup(preset)->apply(&o);
	char *cause = NULL;
	int st;
	if (app_init(a, &o, &cause, &st) != 0)
		fail_msg("app_init: %s", cause);
}

static void test_eta_keys(void **state)
{
	(void)state;
	struct app a;
	app_for(&a, "fig1");
	double e0 = app_active(&a)->eta;
	app_key(&a, '+');
	assert_true(app_active(&a)->eta == 2 * e0);
	app_key(&a, '-');
	app_key(&a, '-');
	assert_true(app_active(&a)->eta == e0 / 2);
	app_key(&a, '>');
	assert_true(fabs(app_active(&a)->eta - e0 / 2 * 1.25) < 1e-15);
	app_key(&a, 'T');
	assert_true(app_active(&a)->eta == app_active(&a)->th->eta_theory);
	/* each change is marked for the loss plot */
	assert_true(app_active(&a)->tr->nmarks >= 2);
	/* exact entry */
	const char *typed = "0.0425\n";
	app_key(&a, 'e');
	assert_true(a.editing);
	for (const char *p = typed; *p; p++)
		app_key(&a, *p);
	assert_false(a.editing);
	assert_true(app_active(&a)->eta == 0.0425);
	/* a bad entry changes nothing and says why */
	app_key(&a, 'e');
	app_key(&a, '-');
	app_key(&a, '1');
	app_key(&a, '\r');
	assert_true(app_active(&a)->eta == 0.0425);
	assert_true(a.msg_warn);
	/* Esc cancels, backspace edits */
	app_key(&a, 'e');
	app_key(&a, '9');
	app_key(&a, 127);
	assert_string_equal(a.edit, "");
	app_key(&a, 27);
	assert_false(a.editing);
	app_free(&a);
}

/* Issue 8: the exact-η entry rejects what is not a positive finite number, whole: "1,5"
 * is not 15, "1/8" not 18, "0x10" not 10; "theory" is the theory step. */
static void type_eta(struct app *a, const char *s)
{
	app_key(a, 'e');
	for (const char *p = s; *p; p++)
		app_key(a, (unsigned char)*p);
	app_key(a, '\r');
}

static void test_eta_entry_rejects_junk(void **state)
{
	(void)state;
	struct app a;
	app_for(&a, "fig1");
	double e0 = app_active(&a)->eta;
	static const char *const junk[] = {"1,5", "1/8", "0x10", "1e", "inf", "nan", "0", "-2",
					   "1 5", "2..", "1\xc3\xa9", "1e999", "", "theo"};
	for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
		type_eta(&a, junk[i]);
		if (app_active(&a)->eta != e0)
			fail_msg("'%s' changed η to %g", junk[i], app_active(&a)->eta);
		assert_false(a.editing);
		assert_true(a.msg_warn);
		assert_non_null(strstr(a.msg, "η unchanged"));
	}
	type_eta(&a, "1.5e-2");
	assert_true(app_active(&a)->eta == 0.015);
	type_eta(&a, "theory");
	assert_true(app_active(&a)->eta == app_active(&a)->th->eta_theory);
	app_free(&a);
}

/* Issue 8: with the help shown, q closes the help (it does not quit). */
static void test_help_then_q(void **state)
{
	(void)state;
	struct app a;
	app_for(&a, "fig1");
	app_key(&a, '?');
	assert_true(a.help);
	int f = app_key(&a, 'q');
	assert_false(f & APP_QUIT);
	assert_false(a.help);
	assert_true(app_key(&a, 'q') & APP_QUIT);
	app_free(&a);
}

/* Issue 8: ←/→ move a cursor along the history; the runs pause, the view point is the
 * history's, → past the end is live again; the adaptive pace stays within its bounds and
 * gives fig1 several seconds to 1 % of r0. */
static void test_cursor_and_pace(void **state)
{
	(void)state;
	struct app a;
	app_for(&a, "fig1");
	a.speed_auto = true;
	assert_true(app_speed(&a) == 10); /* nothing measured yet */
	app_advance(&a, 40, 0);
	double v = app_speed(&a);
	assert_true(v >= 10 && v <= 20000);
	/* fig1 reaches 1 % of r0 after ~80 steps: at this pace that takes seconds */
	assert_true(82 / v >= 3 && 82 / v <= 12);
	const struct run *r = app_active(&a);
	long live = r->step;
	app_key(&a, APP_KEY_LEFT);
	assert_true(a.paused);
	assert_true(a.cursor >= 0);
	const struct track_point *pt = app_view_point(&a, a.active);
	assert_true(pt->step < live);
	long s1 = pt->step;
	app_key(&a, APP_KEY_LEFT);
	assert_true(app_view_point(&a, a.active)->step < s1);
	char *msg = a.msg;
	assert_non_null(strstr(msg, "cursor at step"));
	for (int i = 0; i < 100; i++)
		app_key(&a, APP_KEY_RIGHT);
	assert_int_equal(a.cursor, -1);
	assert_true(app_view_point(&a, a.active) == &app_active(&a)->tr->cur);
	assert_int_equal(app_active(&a)->step, live); /* scrubbing never steps */
	/* ] from the adaptive pace doubles the pace in force */
	app_key(&a, ']');
	assert_false(a.speed_auto);
	assert_true(fabs(a.speed - 2 * round(v)) < 1e-9);
	app_free(&a);
}

static void test_model_cycle_restarts(void **state)
{
	(void)state;
	struct app a;
	app_for(&a, NULL);
	int nm = 0; /* the cycle skips image models (lenet): --model or a preset only */
	for (size_t i = 0; i < model_count(); i++)
		nm += !model_at(i)->images;
	const char *seen[16];
	assert_true(nm <= 16);
	for (int i = 0; i < nm; i++) {
		seen[i] = app_active(&a)->m->ops->name;
		app_advance(&a, 5, 0);
		app_key(&a, 'm');
		assert_int_equal(app_active(&a)->step, 0);
		assert_int_equal(a.nruns, 1);
	}
	assert_string_equal(app_active(&a)->m->ops->name, seen[0]); /* back to the start */
	for (int i = 0; i < nm; i++)
		for (int j = 0; j < i; j++)
			assert_string_not_equal(seen[i], seen[j]);
	app_key(&a, 'M');
	assert_string_equal(app_active(&a)->m->ops->name, seen[nm - 1]);
	app_free(&a);
}

static void test_optimizer_activation_width(void **state)
{
	(void)state;
	struct app a;
	app_for(&a, "softplus");
	app_advance(&a, 10, 0);
	app_key(&a, 'o');
	assert_int_equal(app_active(&a)->cfg.ocfg.kind, OPT_SGD);
	assert_int_equal(app_active(&a)->step, 0);
	app_key(&a, 'O');
	assert_int_equal(app_active(&a)->cfg.ocfg.kind, OPT_GD);
	int act0 = app_active(&a)->m->cfg.act;
	app_key(&a, 'a');
	assert_int_equal(app_active(&a)->m->cfg.act, (act0 + 1) % 7);
	size_t k = app_active(&a)->m->cfg.k;
	app_key(&a, 'w');
	assert_int_equal(app_active(&a)->m->cfg.k, 2 * k);
	app_key(&a, 'W');
	app_key(&a, 'W');
	assert_int_equal(app_active(&a)->m->cfg.k, k / 2);
	/* linear has no width: a message, no change */
	app_free(&a);
	app_for(&a, "fig1");
	app_key(&a, 'w');
	assert_true(a.msg_warn);
	assert_string_equal(app_active(&a)->m->ops->name, "linear");
	app_free(&a);
}

static void test_restart_and_reseed(void **state)
{
	(void)state;
	struct app a;
	app_for(&a, "fig1");
	struct run *r = app_active(&a);
	size_t p = r->m->p;
	double *t0 = malloc(p * sizeof(double));
	memcpy(t0, r->theta0, p * sizeof(double));
	double x0 = r->data->X[0];
	app_advance(&a, 50, 0);
	app_key(&a, 'r');
	r = app_active(&a);
	assert_int_equal(r->step, 0);
	assert_memory_equal(r->theta, t0, p * sizeof(double));
	assert_true(r->data->X[0] == x0);
	app_key(&a, 'R');
	r = app_active(&a);
	assert_int_equal(r->step, 0);
	assert_true(r->data->X[0] != x0);
	assert_true(memcmp(r->theta0, t0, p * sizeof(double)) != 0);
	free(t0);
	app_free(&a);
}

/* Issue 8: R keeps data from --data and says that the θ0 from --init is replaced; m says
 * that the file's data and θ0 are no longer used. */
static void test_reseed_keeps_user_data(void **state)
{
	(void)state;
	char dir[] = "/tmp/gdpath-data-XXXXXX", dpath[64], ipath[64];
	assert_non_null(mkdtemp(dir));
	snprintf(dpath, sizeof dpath, "%s/d.csv", dir);
	snprintf(ipath, sizeof ipath, "%s/i.csv", dir);
	struct opts o;
	memset(&o, 0, sizeof o);
	run_cfg_default(&o.run);
	o.steps = -1;
	o.fps = 30;
	preset_lookup("fig1")->apply(&o);
	o.run.save_data = dpath;
	o.run.save_init = ipath;
	char *cause = NULL;
	int st;
	struct run *r0 = run_new(&o.run, &cause, &st);
	assert_non_null(r0);
	double x0 = r0->data->X[0];
	run_free(r0);
	o.run.save_data = o.run.save_init = NULL;
	o.run.data_file = dpath;
	o.run.init = INIT_FILE;
	o.run.init_file = ipath;
	struct app a;
	if (app_init(&a, &o, &cause, &st) != 0)
		fail_msg("app_init: %s", cause);
	app_key(&a, 'R');
	assert_true(app_active(&a)->data->X[0] == x0); /* the file's data stay */
	assert_non_null(strstr(a.msg, "kept"));
	assert_non_null(strstr(a.msg, "instead of --init"));
	app_key(&a, 'm');
	assert_non_null(strstr(a.msg, "--data"));
	assert_non_null(strstr(a.msg, "no longer used"));
	app_free(&a);
	remove(dpath);
	remove(ipath);
	rmdir(dir);
}

/* 'c' keeps the run as a ghost and continues a copy from the same iterate: both hold the
 * same θ at the fork; after changing η only the copy's η differs. */
static void test_fork(void **state)
{
	(void)state;
	struct app a;
	app_for(&a, "softplus");
	app_advance(&a, 40, 0);
	app_key(&a, 'c');
	assert_int_equal(a.nruns, 2);
	assert_int_equal(a.active, 1);
	struct run *ghost = a.run[0], *copy = a.run[1];
	assert_int_equal(ghost->step, copy->step);
	assert_memory_equal(ghost->theta, copy->theta, ghost->m->p * sizeof(double));
	app_key(&a, '+');
	assert_true(copy->eta == 2 * ghost->eta);
	app_key(&a, 'o'); /* after a fork: in place, no restart */
	assert_int_equal(copy->step, 40);
	assert_int_equal(copy->cfg.ocfg.kind, OPT_SGD);
	app_advance(&a, 10, 0);
	assert_int_equal(ghost->step, 50);
	assert_int_equal(copy->step, 50);
	for (int i = 0; i < 10; i++)
		app_key(&a, 'c');
	assert_int_equal(a.nruns, APP_MAX_RUNS);
	assert_true(a.msg_warn);
	app_key(&a, 'C');
	assert_int_equal(a.nruns, 1);
	app_free(&a);
}

static void test_fan(void **state)
{
	(void)state;
	struct app a;
	app_for(&a, "fig1");
	app_advance(&a, 20, 0);
	double eta = app_active(&a)->eta;
	app_key(&a, 'f');
	assert_int_equal(a.nruns, 5);
	static const double f[5] = {0.25, 0.5, 1, 2, 4};
	for (int i = 0; i < 5; i++) {
		assert_true(a.run[i]->eta == eta * f[i]);
		assert_int_equal(a.run[i]->step, 0);
		assert_memory_equal(a.run[i]->theta0, a.run[0]->theta0, a.run[0]->m->p * sizeof(double));
	}
	assert_true(a.run[0]->data == a.run[4]->data);
	assert_true(fabs(a.fan_threshold - 2 / pow(a.run[2]->th->beta0, 2)) < 1e-12);
	app_free(&a);
}

static void test_export(void **state)
{
	(void)state;
	char dir[] = "/tmp/gdpath-export-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char cwd[4096];
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(dir), 0);
	struct app a;
	app_for(&a, "fig1");
	app_advance(&a, 30, 0);
	app_key(&a, 'x');
	assert_false(a.msg_warn);
	/* the message gives the full path */
	char full[4200];
	char real[4096];
	assert_non_null(realpath(dir, real));
	snprintf(full, sizeof full, "exported %s/gdpath-linear-s1-30.csv", real);
	if (strstr(a.msg, full) == NULL)
		fail_msg("message '%s' lacks '%s'", a.msg, full);
	FILE *f = fopen("gdpath-linear-s1-30.csv", "r");
	assert_non_null(f);
	char line[4096];
	int rows = 0, header = 0;
	long last = -1;
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#')
			continue;
		if (!header) {
			assert_int_equal(strncmp(line, "step,loss,residual,", 19), 0);
			header = 1;
			continue;
		}
		last = strtol(line, NULL, 10);
		rows++;
	}
	fclose(f);
	assert_int_equal(rows, 31);
	assert_int_equal(last, 30);
	remove("gdpath-linear-s1-30.csv");
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(rmdir(dir), 0);
	app_free(&a);
}

/* The data rows of a CSV text (no '#' lines, no header), concatenated. */
static char *data_rows(const char *text)
{
	size_t n = strlen(text);
	char *out = calloc(n + 1, 1);
	assert_non_null(out);
	int header = 0;
	for (const char *p = text; *p;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p + 1) : strlen(p);
		if (p[0] != '#') {
			if (header)
				strncat(out, p, len);
			header = 1;
		}
		p += len;
	}
	return out;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return strdup(buf);
}

/* Empty the proj_u and proj_v fields of every data row of a CSV in place; returns how many
 * rows had them filled. */
static int blank_proj(char *text)
{
	int filled = 0, iu = -1, iv = -1;
	bool header = true;
	for (char *p = text; *p;) {
		char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (p[0] != '#') {
			char *q = p, *out = p;
			bool any = false;
			for (int col = 0; q <= p + len; col++) {
				char *f = q;
				while (q < p + len && *q != ',')
					q++;
				size_t fl = (size_t)(q - f);
				if (header) {
					if (fl == 6 && strncmp(f, "proj_u", 6) == 0)
						iu = col;
					if (fl == 6 && strncmp(f, "proj_v", 6) == 0)
						iv = col;
				} else if (col == iu || col == iv) {
					any |= fl > 0;
					fl = 0;
				}
				if (col > 0)
					*out++ = ',';
				memmove(out, f, fl);
				out += fl;
				q++;
			}
			filled += any;
			if (!header) {
				size_t keep = (size_t)(out - p);
				memmove(out, p + len, strlen(p + len) + 1);
				len = keep;
			}
			header = false;
		}
		p += len;
		if (*p == '\n')
			p++;
	}
	return filled;
}

/* Issue 8: x writes what --batch writes for the same run (every column batch fills: α, β
 * at step 0 and where the spectrum was computed, ζ, λ, outside), into --export-dir; the
 * model's own columns are filled where they were measured (step 0 and the last step). */
static void test_export_columns_and_dir(void **state)
{
	(void)state;
	char dir[] = "/tmp/gdpath-export-XXXXXX";
	assert_non_null(mkdtemp(dir));
	static const char *const presets[] = {"fig1", "du"};
	for (size_t k = 0; k < 2; k++) {
		struct opts o;
		memset(&o, 0, sizeof o);
		run_cfg_default(&o.run);
		o.steps = -1;
		o.fps = 30;
		preset_lookup(presets[k])->apply(&o);
		o.export_dir = dir;
		struct app a;
		char *cause = NULL;
		int st;
		if (app_init(&a, &o, &cause, &st) != 0)
			fail_msg("app_init: %s", cause);
		app_advance(&a, 30, 0);
		app_key(&a, 'x');
		assert_false(a.msg_warn);
		char path[4200];
		snprintf(path, sizeof path, "%s/gdpath-%s-s1-30.csv", dir, app_active(&a)->m->ops->name);
		char *text = slurp(path);
		/* the parameter-space columns need the plane of the whole run: --batch fixes it
		 * first (a run of its own), the view has it for its current point only (checked
		 * here), and the bare run below has none */
		assert_int_equal(blank_proj(text), 1);
		char *got = data_rows(text);
		/* the same run, written as --batch --every 1 writes it */
		struct run *r = run_new(&o.run, &cause, &st);
		assert_non_null(r);
		char *mem = NULL;
		size_t memlen = 0;
		FILE *f = open_memstream(&mem, &memlen);
		batch_write_meta(f, r);
		batch_write_header(f, r);
		batch_write_row(f, r);
		for (int s = 1; s <= 30; s++) {
			run_step(r);
			batch_write_row(f, r);
		}
		fclose(f);
		char *want = data_rows(mem);
		if (k == 0) {
			if (strcmp(got, want) != 0)
				fail_msg("export differs from --batch:\n%s\nvs\n%s", got, want);
		} else {
			/* du: identical on the rows where the model's columns were measured (step 0
			 * and the last); between them those columns are empty */
			char *gl = strrchr(got, '\n'), *wl = strrchr(want, '\n');
			*gl = *wl = '\0';
			gl = strrchr(got, '\n');
			wl = strrchr(want, '\n');
			assert_string_equal(gl ? gl + 1 : got, wl ? wl + 1 : want);
			char *g0 = strchr(got, '\n'), *w0 = strchr(want, '\n');
			*g0 = *w0 = '\0';
			assert_string_equal(got, want);
		}
		remove(path);
		free(text);
		free(got);
		free(want);
		free(mem);
		run_free(r);
		app_free(&a);
	}
	assert_int_equal(rmdir(dir), 0);
}

static void test_presets_themes_toggles(void **state)
{
	(void)state;
	struct app a;
	app_for(&a, NULL);
	for (size_t i = 0; i < preset_count(); i++) {
		if (strncmp(preset_at(i)->name, "lenet", 5) == 0)
			continue; /* image presets: --preset only, the cycle skips them */
		app_key(&a, 'p');
		assert_string_equal(a.base.preset, preset_at(i)->name);
		assert_int_equal(a.nruns, 1);
	}
	char first[64];
	snprintf(first, sizeof first, "%s", a.theme_name);
	int flags = app_key(&a, 't');
	assert_true(flags & APP_THEME);
	assert_string_not_equal(a.theme_name, first);
	bool b = a.bounds;
	app_key(&a, 'b');
	assert_true(a.bounds != b);
	int ax = a.axis;
	app_key(&a, 'n');
	assert_int_equal(a.axis, (ax + 1) % AXIS_COUNT);
	assert_true(app_key(&a, 'q') & APP_QUIT);
	app_key(&a, ' ');
	assert_true(a.paused);
	long s = app_active(&a)->step;
	app_key(&a, 's');
	assert_int_equal(app_active(&a)->step, s + 1);
	assert_true(a.paused);
	assert_int_equal(app_key(&a, 'z'), 0); /* unbound */
	app_free(&a);
}

int main(void)
{
	gsl_set_error_handler_off();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_eta_keys),
	    cmocka_unit_test(test_eta_entry_rejects_junk),
	    cmocka_unit_test(test_help_then_q),
	    cmocka_unit_test(test_cursor_and_pace),
	    cmocka_unit_test(test_model_cycle_restarts),
	    cmocka_unit_test(test_optimizer_activation_width),
	    cmocka_unit_test(test_restart_and_reseed),
	    cmocka_unit_test(test_reseed_keeps_user_data),
	    cmocka_unit_test(test_fork),
	    cmocka_unit_test(test_fan),
	    cmocka_unit_test(test_export),
	    cmocka_unit_test(test_export_columns_and_dir),
	    cmocka_unit_test(test_presets_themes_toggles),
	};
	return cmocka_run_group_tests_name("app", tests, NULL, NULL);
}
