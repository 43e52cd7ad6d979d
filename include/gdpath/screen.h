/* screen.h — copies a canvas (canvas.h) to the curses screen: theme roles become colour
 * pairs and attributes, and only the cells that changed since the last blit are written.
 * The caller (ui.c) owns the curses session: call screen_init after newterm/start_color
 * and screen_end before endwin. One screen per process (curses has one stdscr). */
#ifndef GDPATH_SCREEN_H
#define GDPATH_SCREEN_H

#include <stdbool.h>

struct canvas;
struct theme;

/* Start blitting to stdscr. colour false: attributes only (NO_COLOR, no colour terminal).
 * Returns 0; never allocates (the shadow grows on the first blit). */
int screen_init(bool colour);
/* Use theme t (copied, then stepped down to the terminal's COLORS); forgets the colour pairs
 * and invalidates the shadow, so the next blit repaints everything. */
void screen_set_theme(const struct theme *t);
/* Write the cells of c that differ from what the last blit drew, then wnoutrefresh(stdscr)
 * and doupdate() once. A size change since the last blit repaints everything. Returns 0, or
 * -1 when the shadow copy cannot be allocated (the screen was still drawn in full). */
int screen_blit(struct canvas *c);
/* Colours in use: the terminal's count after screen_init, 0 without colour. */
int screen_colours(void);
/* Forget what was drawn: the next blit writes every cell, and curses repaints the whole
 * terminal (after a resize, a theme change or a resume from Ctrl-Z). */
void screen_invalidate(void);
/* Free the shadow copy. Safe to call twice, and without screen_init. */
void screen_end(void);

#endif
