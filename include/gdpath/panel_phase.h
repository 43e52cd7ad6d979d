/* panel_phase.h — the phase diagram of [OS19b] Fig. 2 as a heat map that fills in while
 * the sweep runs (presets phase-softplus, phase-relu). No curses, no numerics. */
#ifndef GDPATH_PANEL_PHASE_H
#define GDPATH_PANEL_PHASE_H

struct app;
struct canvas;

/* Rows the panel wants for its grid at full resolution (title, grid, axis, legend). */
int panel_phase_rows(const struct app *a);
/* Draw the map of a->phase into the rectangle (nothing when a->phase is NULL). */
void panel_phase(struct canvas *c, const struct app *a, int x, int y, int w, int h);

#endif
