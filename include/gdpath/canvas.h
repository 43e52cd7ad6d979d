/* canvas.h — a grid of character cells with a sub-cell dot raster (braille 2×4 or ASCII 2×2),
 * no curses. Drawing fills layers (background, dots, glyphs); a second pass composes them into
 * plain cells that a terminal layer copies out or canvas_render_text prints.
 *
 * Cells: one Unicode code point each (no double-width characters), a foreground role, a
 * background role (enum role, role.h) and attribute bits.
 *
 * Dots: dot (0,0) is the top-left dot of cell (0,0); dot (i,j) lies in cell (i/dx, j/dy) with
 * dx×dy = 2×4 in braille mode and 2×2 in ASCII mode. Real coordinates round to the nearest dot
 * (floor(u + 0.5)). NaN and ±Inf coordinates are skipped; huge finite ones are clipped.
 *
 * Priority (colour is per cell, not per dot): each role has a priority (canvas_priority,
 * defaults below, changeable per canvas). In a cell, all dots merge into one glyph whose colour
 * is the role of highest priority that touched the cell (a later draw wins ties). A glyph
 * (text, canvas_put or a marker) shows instead of the dots when its priority is >= the dots';
 * among glyphs too the higher priority wins and a later draw wins ties. A marker has its
 * role's priority; text and canvas_put have max(role's, ROLE_TEXT's), so labels in any role
 * stay readable over plotted dots (and hide them: write spaces to mask an area). Backgrounds
 * have no priority: the last fill wins. Default priorities, low to high:
 *   BACKGROUND 0 < GRID, REGION 1 < ENVELOPE, MARK 3 < AXIS 4 < RED_LINE 5
 *   < GREEN_LINE, ZETA_LINE 6 < GHOSTn 7 < TRAJECTORY, LAYERn 8 < CURRENT 10
 *   < TEXT, TITLE 11 < STATUS, WARNING, HELP 12.
 * So the trajectory and the current point sit above the bound lines, the lines above the
 * region fill, and labels above everything drawn in the plot.
 *
 * ASCII mode: a 2×2 block maps to a glyph by shape — one top dot ', one bottom dot ., top row
 * -, bottom row _, a column |, a diagonal \ or /, three dots the diagonal they hold, all four
 * # — unless its role has a glyph set with canvas_set_ascii_glyph. Every non-ASCII code point
 * passed to text or marker calls is shown through canvas_ascii (β → b, ─ → -, ● → @, else ?), so
 * output in ASCII mode is pure ASCII.
 *
 * Change detection: canvas_cell/canvas_row return composed cells; a terminal layer keeps its
 * own copy of what it drew and redraws the cells for which canvas_cell_equal is false.
 *
 * Memory: only canvas_new and canvas_resize allocate; no drawing call does. The canvas owns
 * its cells; pointers from canvas_cell/canvas_row stay valid until the next resize or free,
 * and their contents until the next drawing call. */
#ifndef GDPATH_CANVAS_H
#define GDPATH_CANVAS_H

#include <stdint.h>
#include <stdio.h>

enum canvas_mode { CANVAS_BRAILLE, CANVAS_ASCII };

enum canvas_style {
	CANVAS_SOLID,
	CANVAS_DASHED,
	CANVAS_DOTTED,
	CANVAS_DASHDOT,
	CANVAS_LONGDASH,
	CANVAS_SPARSE,
	CANVAS_STYLE_COUNT
};

/* Dash patterns, counted in dots along the line's major axis: dashed = 4 on, 2 off;
 * dotted = 1 on, 1 off; dash-dot = 4 on, 2 off, 1 on, 2 off; long dash = 8 on, 3 off;
 * sparse = 1 on, 3 off. A line that starts where the previous one (same style) ended continues
 * its pattern, so polylines of short segments still look dashed. */

enum {
	CANVAS_BOLD = 1,
	CANVAS_UNDERLINE = 2,
	CANVAS_REVERSE = 4,
	CANVAS_DIM = 8,
};

#define CANVAS_MAX_DIM 16384 /* largest width or height in cells */

struct canvas_cell {
	uint32_t ch;	    /* code point shown; ' ' when empty */
	unsigned char fg;   /* enum role of the glyph (ROLE_TEXT when empty) */
	unsigned char bg;   /* enum role of the background */
	unsigned char attr; /* CANVAS_BOLD | ... */
};

struct canvas; /* opaque */

/* A w×h canvas (0×0 is allowed), cleared; NULL if out of memory or w, h out of
 * [0, CANVAS_MAX_DIM]. */
struct canvas *canvas_new(int w, int h, enum canvas_mode mode);
void canvas_free(struct canvas *c); /* NULL is fine */
/* New size, contents cleared and clip reset. 0 on success; -1 (canvas unchanged) on bad size
 * or out of memory. */
int canvas_resize(struct canvas *c, int w, int h);
/* Switch braille/ASCII; clears the canvas (dot resolution changes). Never allocates. */
void canvas_set_mode(struct canvas *c, enum canvas_mode mode);
enum canvas_mode canvas_mode(const struct canvas *c);
int canvas_width(const struct canvas *c);
int canvas_height(const struct canvas *c);
/* Dots per cell: 2×4 (braille) or 2×2 (ASCII). */
int canvas_dots_x(const struct canvas *c);
int canvas_dots_y(const struct canvas *c);
/* Empty every cell (background ROLE_BACKGROUND), reset the clip and dash continuation. */
void canvas_clear(struct canvas *c);

/* Priority of a role in this canvas (see above); out-of-range roles act as ROLE_TEXT. */
void canvas_set_priority(struct canvas *c, int role, int prio);
int canvas_priority(const struct canvas *c, int role);
/* In ASCII mode, show every dot block of this role as ch (printable ASCII); 0 = by shape. */
void canvas_set_ascii_glyph(struct canvas *c, int role, char ch);

/* Show ch (0: nothing) in the empty cells whose background is role, in that role's colour:
 * a region that must stay visible without background colours (8/16-colour terminals,
 * mono) shows by glyph density. In ASCII mode ch goes through canvas_ascii. */
void canvas_set_fill_glyph(struct canvas *c, int role, uint32_t ch);
/* Clip rectangle (cells) for dots, lines and markers; intersected with the canvas. Text and
 * background fills clip to the canvas only. */
void canvas_set_clip(struct canvas *c, int x, int y, int w, int h);
void canvas_reset_clip(struct canvas *c);

/* Text at cell (x, y), one code point per cell, clipped to the canvas; invalid UTF-8 shows as
 * U+FFFD ('?' in ASCII mode), control characters as '?'. Returns the number of cells the whole
 * string spans (clipped or not), so calls can be chained. */
int canvas_text(struct canvas *c, int x, int y, const char *utf8, int role);
int canvas_text_attr(struct canvas *c, int x, int y, const char *utf8, int role, int attr);
/* printf into a 256-byte stack buffer (longer output is cut), then canvas_text. */
int canvas_textf(struct canvas *c, int x, int y, int role, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* One glyph at cell (x, y). */
void canvas_put(struct canvas *c, int x, int y, uint32_t ch, int role, int attr);
/* Background role for a rectangle of cells. */
void canvas_fill_bg(struct canvas *c, int x, int y, int w, int h, int role);
/* Remove dots and glyphs from a rectangle and set its background to ROLE_BACKGROUND. */
void canvas_erase(struct canvas *c, int x, int y, int w, int h);

/* Clip a segment to the closed box [xmin, xmax] × [ymin, ymax] (Cohen–Sutherland; safe for any
 * finite input, no overflow). 1 if something is left (end points updated), 0 if not. */
int canvas_clip_segment(double *x0, double *y0, double *x1, double *y1, double xmin, double xmax,
			double ymin, double ymax);

/* Sub-cell drawing in dot coordinates (see above), clipped to the clip rectangle. */
void canvas_dot(struct canvas *c, double x, double y, int role);
void canvas_line(struct canvas *c, double x0, double y0, double x1, double y1, int role,
		 enum canvas_style style);
/* A glyph in the cell holding dot (x, y), e.g. the current point. */
void canvas_marker(struct canvas *c, double x, double y, uint32_t ch, int role);

/* The composed cell at (x, y), NULL outside; a whole row, NULL outside. The first call after
 * drawing composes the whole canvas (one pass over the cells), so draw everything first. */
const struct canvas_cell *canvas_cell(struct canvas *c, int x, int y);
const struct canvas_cell *canvas_row(struct canvas *c, int y);
int canvas_cell_equal(const struct canvas_cell *a, const struct canvas_cell *b);

/* Each row as UTF-8 with trailing spaces trimmed and '\n' after it (roles and attributes are
 * not shown). render_text returns 0 or -1 on a write error; render_buf writes at most size
 * bytes including the NUL and returns the length the whole text needs (like snprintf). */
int canvas_render_text(struct canvas *c, FILE *out);
size_t canvas_render_buf(struct canvas *c, char *buf, size_t size);

/* An ASCII stand-in for a code point (itself if < 128; Greek letters by their Latin
 * initial, box drawing by - | +, else '?'). */
char canvas_ascii(uint32_t ch);
/* UTF-8 encoding of ch into out (4 bytes room); returns the byte count (1..4). */
int canvas_utf8_encode(uint32_t ch, char *out);

#endif
