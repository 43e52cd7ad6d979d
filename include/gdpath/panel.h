/* panel.h — the plotted panels of the view (SPEC §6, panels 1–3): misfit vs distance
 * with the bound region, loss vs step with the rate envelope, per-layer paths. Each draws
 * the app's runs into a rectangle of a canvas; no curses, no numerics beyond scaling. */
#ifndef GDPATH_PANEL_H
#define GDPATH_PANEL_H

#include <stdbool.h>
#include <stddef.h>

struct app;
struct canvas;

/* Symbols in the current mode: Greek and norms in UTF-8, words in ASCII mode. `hat` marks
 * the running constants α̂, β̂ (min / max along the path); it is empty because a combining
 * accent would take a cell of its own. */
struct syms {
	const char *eta, *alpha, *beta, *zeta, *lambda, *theta, *delta, *norm, *hat, *times, *sq;
};
const struct syms *view_syms(const struct app *a);

/* Legend entries that no empty corner of their plot could hold (a legend never covers
 * data): the view shows them beside the plots. */
enum { PANEL_LEGEND_MAX = 24 };
struct panel_legend {
	int n;
	char text[PANEL_LEGEND_MAX][160];
	int role[PANEL_LEGEND_MAX];
};

/* A legend in the first empty corner of p (plot_legend_auto), never over data; when no
 * corner has room, its entries go to away (may be NULL: then not shown). Nothing when
 * !shown (the k key). */
struct plot;
struct plot_legend_entry;
void panel_legend_place(struct plot *p, const struct plot_legend_entry *e, int n,
			struct panel_legend *away, bool shown);
/* Each draws into x, y, w, h; away (may be NULL) collects the legend entries not placed. */
void panel_misfit(struct canvas *c, const struct app *a, int x, int y, int w, int h,
		  struct panel_legend *away);
void panel_loss(struct canvas *c, const struct app *a, int x, int y, int w, int h,
		struct panel_legend *away);
void panel_layers(struct canvas *c, const struct app *a, int x, int y, int w, int h,
		  struct panel_legend *away);
/* Panel 4 (panel_info.c): the model and the theory's verdict as whole items by priority,
 * then the legend entries in away that no plot had room for. */
void panel_info(struct canvas *c, const struct app *a, int x, int y, int w, int h,
		bool with_layers, const struct panel_legend *away);
/* "model shallow softplus  n=100 d=20 k=20  p=400 p/n=4" */
struct run;
void panel_model_line(const struct run *r, char *buf, size_t len);
/* Items of panel 4 (layout.h) that both model panels show: path, distance and directness
 * at pt; each layer's distance, normalized distance, path and directness. */
struct llist;
struct track_point;
void panel_path_items(struct llist *l, const struct track_point *pt);
void panel_layer_items(struct llist *l, const struct run *r);
/* %.3g, or "n/a", "inf" (view.c). */
const char *panel_num(double v, char *buf, size_t len);

/* panel_classes.c: models on image classes without a spectrum (lenet). */
bool panel_classes_wanted(const struct app *a);
/* [OS19] Fig. 3a/b: train/test error and normalized misfit against steps. */
void panel_classes(struct canvas *c, const struct app *a, int x, int y, int w, int h,
		   struct panel_legend *away);
/* The model panel's text; returns the rows used. */
int panel_classes_info(struct canvas *c, const struct app *a, int x, int y, int w, int h);

#endif
