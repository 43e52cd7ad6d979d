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
	assert_non_null(strstr(a.msg, "exported gdpath-linear-s1-30.csv"));
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
	    cmocka_unit_test(test_model_cycle_restarts),
	    cmocka_unit_test(test_optimizer_activation_width),
	    cmocka_unit_test(test_restart_and_reseed),
	    cmocka_unit_test(test_fork),
	    cmocka_unit_test(test_fan),
	    cmocka_unit_test(test_export),
	    cmocka_unit_test(test_presets_themes_toggles),
	};
	return cmocka_run_group_tests_name("app", tests, NULL, NULL);
}
