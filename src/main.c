/* main.c — set the process up (locale, GSL errors, BLAS threads) and pick the mode. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "gdpath/app.h"
#include "gdpath/batch.h"
#include "gdpath/cli.h"
#include "gdpath/snapshot.h"
#include "gdpath/theme.h"
#include "gdpath/ui.h"

#ifdef HAVE_OPENBLAS
void openblas_set_num_threads(int);
#endif

int main(int argc, char **argv)
{
	/* The user's locale for characters (braille needs UTF-8), C for numbers, so input
	 * and CSV read "0.5" whatever the locale says. */
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	gsl_set_error_handler_off();
#ifdef HAVE_OPENBLAS
	/* One thread: small products don't gain, and results stay bit-identical. */
	openblas_set_num_threads(1);
#endif
	struct opts o;
	char *cause = NULL;
	int rc = cli_parse(argc, argv, &o, &cause);
	if (rc < 0) {
		fprintf(stderr, "gdpath: %s\nTry 'gdpath --help' for more information.\n", cause);
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
			fprintf(stderr, "gdpath: theme: %s\n", why ? why : o.theme);
			free(why);
			return EXIT_USAGE;
		}
	}
	switch (o.mode) {
	case MODE_BATCH:
		return batch_main(&o);
	case MODE_SNAPSHOT:
		return snapshot_main(&o);
	default: {
		struct app a;
		int status = EXIT_ERROR;
		if (app_init(&a, &o, &cause, &status) != 0) {
			fprintf(stderr, "gdpath: %s\n", cause);
			free(cause);
			return status;
		}
		status = ui_run(&a);
		app_free(&a);
		return status;
	}
	}
}
