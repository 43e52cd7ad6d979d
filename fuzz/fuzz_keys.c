/* fuzz_keys.c — libFuzzer target: the key handler. Each input is a sequence of keys (one
 * byte each; 0xff steps the runs, 0xfe draws the view) fed to a fresh small app, as ui.c
 * would; the view is drawn at the end on an 80x24 canvas. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gdpath/app.h"
#include "gdpath/canvas.h"
#include "gdpath/cli.h"
#include "gdpath/view.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct opts base;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	char *cause = NULL;
	char *args[] = {"gdpath", "--snapshot", "-n", "6", "-d", "10", "--seed", "3", NULL};
	setenv("XDG_CONFIG_HOME", "/nonexistent-gdpath-fuzz", 1);
	if (cli_parse(8, args, &base, &cause) != 0)
		abort();
	/* the keys act as in the view: under --snapshot a phase preset (key p) would wait for
	 * its whole sweep, which is --snapshot's own rule, not the key handler's */
	base.mode = MODE_TUI;
	/* exports ('e') write CSV files into the working directory: a scratch one */
	const char *tmp = getenv("TMPDIR");
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/gdpath-fuzz-keys-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL || chdir(dir) != 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct app a;
	char *cause = NULL;
	int status;
	if (size > 200)
		return 0;
	if (app_init(&a, &base, &cause, &status) != 0)
		abort();
	struct canvas *c = canvas_new(80, 24, CANVAS_BRAILLE);
	if (c == NULL)
		abort();
	for (size_t i = 0; i < size; i++) {
		if (data[i] == 0xff) {
			app_advance(&a, 5, 0);
		} else if (data[i] == 0xfe) {
			canvas_clear(c);
			view_draw(c, &a);
		} else if (app_key(&a, data[i]) & APP_QUIT) {
			break;
		}
	}
	canvas_clear(c);
	view_draw(c, &a);
	canvas_free(c);
	app_free(&a);
	return 0;
}
