/* panel.h — the plotted panels of the view (SPEC §6, panels 1–3): misfit vs distance
 * with the bound region, loss vs step with the rate envelope, per-layer paths. Each draws
 * the app's runs into a rectangle of a canvas; no curses, no numerics beyond scaling. */
#ifndef GDPATH_PANEL_H
#define GDPATH_PANEL_H

#include <stdbool.h>

struct app;
struct canvas;

/* Symbols in the current mode: Greek and norms in UTF-8, words in ASCII mode. `hat` marks
 * the running constants α̂, β̂ (min / max along the path); it is empty because a combining
 * accent would take a cell of its own. */
struct syms {
	const char *eta, *alpha, *beta, *zeta, *lambda, *theta, *delta, *norm, *hat, *times, *sq;
};
const struct syms *view_syms(const struct app *a);

void panel_misfit(struct canvas *c, const struct app *a, int x, int y, int w, int h);
void panel_loss(struct canvas *c, const struct app *a, int x, int y, int w, int h);
void panel_layers(struct canvas *c, const struct app *a, int x, int y, int w, int h);

/* panel_classes.c: models on image classes without a spectrum (lenet). */
bool panel_classes_wanted(const struct app *a);
/* [OS19] Fig. 3a/b: train/test error and normalized misfit against steps. */
void panel_classes(struct canvas *c, const struct app *a, int x, int y, int w, int h);
/* The model panel's text; returns the rows used. */
int panel_classes_info(struct canvas *c, const struct app *a, int x, int y, int w, int h);

#endif
