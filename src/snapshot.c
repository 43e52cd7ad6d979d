/* snapshot.c — render the view after N steps to text: for tests, docs and bug reports. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "gdpath/app.h"
#include "gdpath/batch.h"
#include "gdpath/canvas.h"
#include "gdpath/snapshot.h"
#include "gdpath/view.h"
#include "gdpath/util.h"

int snapshot_main(const struct opts *o)
{
	struct app a;
	char *cause = NULL;
	int status = EXIT_ERROR;
	if (app_init(&a, o, &cause, &status) != 0) {
		print_cause(cause);
		free(cause);
		return status;
	}
	if (a.msg_warn && a.msg[0])
		print_cause(a.msg);
	app_advance(&a, o->steps, 0);
	a.steps_per_sec = 0; /* wall-clock speed would make snapshots differ run to run */
	/* Braille only where the locale can carry it. */
	enum canvas_mode mode = o->ascii || MB_CUR_MAX == 1 ? CANVAS_ASCII : CANVAS_BRAILLE;
	a.ascii = mode == CANVAS_ASCII;
	struct canvas *c = canvas_new(o->cols, o->rows, mode);
	if (c == NULL) {
		fputs("gdpath: out of memory for the snapshot\n", stderr);
		app_free(&a);
		return EXIT_ERROR;
	}
	view_draw(c, &a);
	int rc = canvas_render_text(c, stdout) == 0 && fflush(stdout) == 0 ? EXIT_OK : EXIT_ERROR;
	if (rc != EXIT_OK)
		perror("gdpath: stdout");
	/* The rule of --batch and the view: a run that diverged or blew up exits 3. */
	for (int i = 0; rc == EXIT_OK && i < a.nruns; i++) {
		if (batch_run_status(a.run[i]) == EXIT_DIVERGED) {
			rc = EXIT_DIVERGED;
			if (a.msg_warn && a.msg[0])
				print_cause(a.msg);
		}
	}
	canvas_free(c);
	app_free(&a);
	return rc;
}
