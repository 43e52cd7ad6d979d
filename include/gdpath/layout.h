/* layout.h — text that chooses instead of truncating: a panel or status line is a list of
 * whole items (a label and its value, e.g. "directness 1.16"), each with a priority, an
 * optional shorter form and a group. layout_fit() keeps the most important items that fit
 * a w×h box, in their own order, each whole: items of a group flow along a row (separated
 * by `sep` cells) and wrap to the next; a new group starts a new row. An item that does not
 * fit whole is dropped, never cut. No curses; the same result feeds the terminal and
 * --snapshot.
 *
 * Choice: items are taken in priority order (0 first, ties in list order); each is kept in
 * its full form if everything kept so far still fits with it, else in its brief form, else
 * dropped. So a less important item never displaces a more important one. An item whose
 * text does not fit LAYOUT_TEXT_MAX bytes is dropped too, never cut. */
#ifndef GDPATH_LAYOUT_H
#define GDPATH_LAYOUT_H

#include <stdbool.h>

struct canvas;

enum { LAYOUT_MAX_ITEMS = 64, LAYOUT_TEXT_MAX = 256 };

struct litem {
	char text[LAYOUT_TEXT_MAX];  /* full form (UTF-8) */
	char brief[LAYOUT_TEXT_MAX]; /* shorter form, or "" */
	int prio;                    /* 0 = most important */
	int role;                    /* colour role of the text */
	int group;                   /* a change of group starts a new row */
};

struct lplace {
	bool shown, brief;
	int x, y; /* cell offsets in the box */
};

/* A list being built (fixed size: adding past LAYOUT_MAX_ITEMS is ignored). */
struct llist {
	struct litem it[LAYOUT_MAX_ITEMS];
	int n;
	int group; /* group of the next item */
};

void llist_init(struct llist *l);
/* A new row for the items added next. */
void llist_break(struct llist *l);
/* Add an item (printf-style); returns it (or NULL when the list is full) so that
 * llist_brief can give it a shorter form. */
struct litem *llist_add(struct llist *l, int prio, int role, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void llist_brief(struct litem *it, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Cells a UTF-8 string takes (one per code point). */
int layout_cells(const char *s);

/* Choose and place the items in a w×h box; returns the rows used. */
int layout_fit(const struct litem *it, int n, int w, int h, int sep, struct lplace *out);

/* layout_fit, then draw the chosen items at (x, y) with sep_text (sep cells of it) between
 * neighbours on a row. Returns the rows used. */
int layout_draw(struct canvas *c, int x, int y, int w, int h, const struct llist *l,
		const char *sep_text, int sep_role);

#endif
