/* panel_eta.h — the step-size range test in the view (key E): final normalized misfit
 * against η on a log axis, one point per η as its run finishes, with 2/β0², the model's
 * theory η, the largest stable η found and the η in force marked. Reads the app's sweep
 * (sweep_eta.h); no curses, no numerics. */
#ifndef GDPATH_PANEL_ETA_H
#define GDPATH_PANEL_ETA_H

struct app;
struct canvas;

struct panel_legend;
void panel_eta(struct canvas *c, const struct app *a, int x, int y, int w, int h,
	       struct panel_legend *away);

#endif
