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
#include "gdpath/snapshot.h"
#include "gdpath/sweep.h"
#include "gdpath/ui.h"

int main(int argc, char **argv)
{
	/* The user's locale for characters (braille needs UTF-8), C for numbers, so input
	 * and CSV read "0.5" whatever the locale says. */
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	gsl_set_error_handler_off();
	blas_threads_single();
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
