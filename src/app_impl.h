/* app_impl.h — what app.c and app_keys.c share inside the visualizer's state machine; not
 * part of the app's interface (app.h). */
#ifndef GDPATH_APP_IMPL_H
#define GDPATH_APP_IMPL_H

#include <stdbool.h>

#include "gdpath/app.h"
#include "gdpath/keymap.h"

struct app_run;

/* A run's bookkeeping back to a fresh run's. */
void app_meta_reset(struct app_run *m);
/* The runs again from a->base (the options in force): 0, or -1 with a message shown. */
int app_rebuild(struct app *a);
/* Key E: start or stop the step-size range test. */
int app_range_test(struct app *a);
/* A key that may act while the worker steps the runs (it changes nothing the step uses). */
bool app_safe_while_busy(enum action act);

#endif
