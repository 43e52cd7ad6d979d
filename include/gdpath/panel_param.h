/* panel_param.h — the "parameter space" panel: the path projected onto the plane of
 * u (towards θ*, or the current iterate) and v (the largest orthogonal component of the
 * path), with θ0, θ* (or the current end), the straight segment, the ball of radius r0/β̂
 * around θ0 and, for linear and glm, the set of global optima ([OS19] Fig. 1, right half).
 * Reads the run's projection (proj.h); draws on a canvas; no curses, no numerics. */
#ifndef GDPATH_PANEL_PARAM_H
#define GDPATH_PANEL_PARAM_H

#include <stdbool.h>

struct app;
struct canvas;

/* Smallest terminal where the panel is shown without asking (the key toggles it). */
enum { PANEL_PARAM_MIN_COLS = 160, PANEL_PARAM_MIN_ROWS = 50 };

/* Whether the view shows the panel on a w×h terminal: by default where it fits; the key
 * (a->param_toggled) flips that. */
bool panel_param_shown(const struct app *a, int w, int h);

struct panel_legend;
void panel_param(struct canvas *c, const struct app *a, int x, int y, int w, int h,
		 struct panel_legend *away);

#endif
