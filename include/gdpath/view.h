/* view.h — lays the panels out on a canvas and draws the app into it (SPEC §6): misfit
 * vs distance with the bounds, loss vs step, per-layer paths, the model panel, the status
 * line, the legend, the help overlay and the too-small message. No curses: the same
 * drawing feeds the terminal and --snapshot. */
#ifndef GDPATH_VIEW_H
#define GDPATH_VIEW_H

struct app;
struct canvas;

/* Smallest terminal the layout works in. */
enum { VIEW_MIN_COLS = 60, VIEW_MIN_ROWS = 16 };

/* Draw the whole screen for a into c (which has the terminal's size). */
void view_draw(struct canvas *c, const struct app *a);

#endif
