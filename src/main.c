/* main.c — set the process up (locale, GSL errors, BLAS threads) and pick the mode. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "gdpath/app.h"
#include "gdpath/batch.h"
#include "gdpath/blas.h"
#include "gdpath/cli.h"
#include "gdpath/replay.h"
#include "gdpath/snapshot.h"
#include "gdpath/sweep.h"
#include "gdpath/theme.h"
#include "gdpath/ui.h"
#include "gdpath/util.h"

int main(int argc, char **argv)
{
	/* The user's locale for characters (braille needs UTF-8), C for numbers, so input
	 * and CSV read "0.5" whatever the locale says. */
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	gsl_set_error_handler_off();
	/* BLAS threads follow the size of each model's products (blas.h): one thread for
	 * small ones, where threads only cost. The count depends only on the sizes and the
	 * machine, so the same options give the same bits. */
	blas_set_threads(0);
	struct opts o;
	char *cause = NULL;
	/* The options as given, for a recording: getopt_long reorders argv. */
	char **args = calloc((size_t)argc + 1, sizeof *args);
	if (args == NULL) {
		fputs("gdpath: out of memory\n", stderr);
		return EXIT_ERROR;
	}
	for (int i = 1; i < argc; i++)
		args[i - 1] = argv[i];
	int rc = cli_parse(argc, argv, &o, &cause);
	if (rc != 0)
		free(args);
	if (rc < 0) {
		print_cause(cause);
		fputs("Try 'gdpath --help' for more information.\n", stderr);
		free(cause);
		return EXIT_USAGE;
	}
	if (rc > 0)
		return EXIT_OK;
	if (o.mode == MODE_BATCH && o.theme) {
		/* --batch draws nothing, but a theme that cannot be loaded is the same usage
		 * error everywhere (the visualizer and --snapshot check it in app_init) */
		struct theme t;
		char *why = NULL;
		if (theme_load(o.theme, &t, &why) != 0) {
			char *msg = xasprintf("theme: %s", why ? why : o.theme);
			print_cause(msg); /* escaped: the name is the user's */
			free(msg);
			free(why);
			free(args);
			return EXIT_USAGE;
		}
	}
	if (o.record || o.replay || o.cast) {
		rc = o.mode == MODE_SNAPSHOT ? session_snapshot(&o, argc - 1, args)
					     : session_tui(&o, argc - 1, args);
		free(args);
		return rc;
	}
	free(args);
	switch (o.mode) {
	case MODE_BATCH:
		if (o.sw.name)
			return sweep_lookup(o.sw.name)->batch(&o);
		return batch_main(&o);
	case MODE_MERGE:
		return sweep_merge_main(&o);
	case MODE_SNAPSHOT:
		return snapshot_main(&o);
	default: {
		struct app a;
		int status = EXIT_ERROR;
		if (app_init(&a, &o, &cause, &status) != 0) {
			print_cause(cause);
			free(cause);
			return status;
		}
		status = ui_run(&a);
		app_free(&a);
		return status;
	}
	}
}
