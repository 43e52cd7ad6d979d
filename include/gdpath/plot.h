/* plot.h — axes and data on a rectangle of a canvas: linear/log mapping from data to dots,
 * nice ticks and compact labels, polylines, clipped lines, filled regions between two lines,
 * marks, points and legends. No curses; nothing here allocates.
 *
 * A struct plot is a plain value the caller owns (usually on the stack, rebuilt each frame);
 * it points at the canvas but does not own it. Layout of the w×h rectangle at (x, y):
 *
 *   row y              y-axis title
 *   rows y+1 .. y+h-4  data area, columns x+7 .. x+w-1   (left of it: 6 label columns, axis)
 *   row y+h-3          x axis
 *   row y+h-2          x tick labels
 *   row y+h-1          x-axis title, right-aligned
 *
 * With PLOT_NO_AXES the whole rectangle is the data area. A rectangle too small for a data
 * area draws nothing.
 *
 * Mapping: the low end of each axis lands on the centre of the first dot of the data area and
 * the high end on the last dot (x left to right, y bottom to top). Data drawing calls set the
 * canvas clip to the data area and reset it to the whole canvas afterwards. Values that are
 * NaN or ±Inf, or ≤ 0 on a log axis, are not drawn (a polyline breaks there).
 *
 * Labels (plot_format), at most 6 characters plus a minus sign for 1e-9 ≤ |v| < 1e100:
 * "0", "0.5", "0.015", "7.3", "12.5", "999" (3 significant digits), then k, M, G, T
 * ("1k", "1.2k", "12.5k", "2M"), and below 0.01 or from 1e15 on a mantissa of at most 2 digits
 * and an exponent ("1e-3", "2.5e-4", "1e20"). Non-finite values print as "nan", "inf",
 * "-inf". Tick values are snapped so 0 prints as "0", never "-0" or "5.6e-17".
 *
 * Line styles: draw the two bound lines differently so they differ without colour —
 * plot_role_style gives the convention (red line dashed, ζ line and marks dotted, the rest
 * solid). */
#ifndef GDPATH_PLOT_H
#define GDPATH_PLOT_H

#include <stddef.h>
#include <stdint.h>

#include "gdpath/canvas.h"

enum plot_scale { PLOT_LINEAR, PLOT_LOG };

enum { PLOT_NO_AXES = 1 };

enum plot_corner { PLOT_NE, PLOT_NW, PLOT_SE, PLOT_SW };

#define PLOT_LABEL_W 6	  /* columns for y tick labels */
#define PLOT_LABEL_MAX 12 /* buffer size that holds any plot_format label */

struct plot_axis {
	double lo, hi;	 /* data range, lo < hi (log: 0 < lo) */
	int scale;	 /* enum plot_scale */
	double tlo, thi; /* lo, hi after the scale (log10 on a log axis) */
};

struct plot {
	struct canvas *c;   /* not owned */
	int x, y, w, h;	    /* the whole rectangle, cells */
	int ax, ay, aw, ah; /* data area, cells (aw or ah 0: nothing is drawn) */
	int flags;
	struct plot_axis xa, ya;
	int pen_down; /* polyline state: last point in scaled data coordinates */
	double pen_x, pen_y;
};

/* Lay out a plot on c; both ranges start as [0, 1] linear. */
void plot_init(struct plot *p, struct canvas *c, int x, int y, int w, int h, int flags);
/* Set a range; it is repaired if needed: swapped if reversed, widened if empty, [0, 1]
 * ([1, 10] on a log axis) if not finite, and lo raised to hi/1000 if ≤ 0 on a log axis. */
void plot_set_x(struct plot *p, double lo, double hi, enum plot_scale scale);
void plot_set_y(struct plot *p, double lo, double hi, enum plot_scale scale);

/* Data → dot coordinates of the canvas. 0 on success, -1 if the point cannot be mapped
 * (non-finite, or ≤ 0 on a log axis). Points outside the range map outside the data area. */
int plot_map(const struct plot *p, double x, double y, double *dx, double *dy);
/* Data → the cell it lands in: 0 inside the data area, 1 outside (cells still set), -1 if
 * it cannot be mapped. */
int plot_cell(const struct plot *p, double x, double y, int *cx, int *cy);
/* Dot coordinates → data (inverse of plot_map). */
void plot_unmap(const struct plot *p, double dx, double dy, double *x, double *y);

/* Nice tick values in [lo, hi] into out (at most cap), returning how many: multiples of
 * 1, 2 or 5 × 10^k on linear axes, at most max_ticks of them (max_ticks ≥ 2); on log axes
 * powers of ten (every 2nd, 3rd... if there are too many), or 1, 2, 5 × 10^k within a
 * single decade. */
int plot_ticks(double lo, double hi, enum plot_scale scale, int max_ticks, double *out, int cap);
/* Compact label of v into buf (len ≥ PLOT_LABEL_MAX); returns buf. */
const char *plot_format(double v, char *buf, size_t len);
/* Widen [lo, hi] to tick boundaries (linear: multiples of the tick step; log: powers of 10). */
void plot_nice_range(double *lo, double *hi, enum plot_scale scale, int max_ticks);

/* Automatic range over any number of arrays and values. */
struct plot_range {
	double lo, hi;
	size_t n; /* values taken */
};
void plot_range_init(struct plot_range *r);
/* Take the finite values (and on a log axis only those > 0). */
void plot_range_add(struct plot_range *r, const double *v, size_t n, enum plot_scale scale);
void plot_range_value(struct plot_range *r, double v, enum plot_scale scale);
/* The range padded by pad × span on each side (log: in decades). Padding never crosses 0
 * when all values are ≥ 0 (or ≤ 0). No values: [0, 1] (log [1, 10]); all equal: v ± 10%
 * (±1 for 0; log: v/10 .. 10v). */
void plot_range_get(const struct plot_range *r, enum plot_scale scale, double pad, double *lo,
		    double *hi);

/* Axis lines, ticks, tick labels (ROLE_AXIS, ROLE_TEXT) and titles (ROLE_TITLE; NULL for
 * none). Does nothing with PLOT_NO_AXES. */
void plot_axes(struct plot *p, const char *xtitle, const char *ytitle);
/* Dotted grid lines (ROLE_GRID) at the ticks plot_axes draws. */
void plot_grid(struct plot *p);

/* Polyline, one point at a time: pen_to draws from the previous point (a lone point shows as
 * a dot); an unmappable point lifts the pen. */
void plot_pen_up(struct plot *p);
void plot_pen_to(struct plot *p, double x, double y, int role, enum canvas_style style);
/* (x[i], y[i]) for i < n, broken at NaN/Inf points (and ≤ 0 on log axes). */
void plot_polyline(struct plot *p, const double *x, const double *y, size_t n, int role,
		   enum canvas_style style);
/* A straight segment in data space (sampled into a curve on log axes), clipped. */
void plot_segment(struct plot *p, double x0, double y0, double x1, double y1, int role,
		  enum canvas_style style);
/* The line y = a + b·x across the whole x range, e.g. misfit = r0 − c·distance is (r0, −c). */
void plot_line_ab(struct plot *p, double a, double b, int role, enum canvas_style style);
/* Background role for the data cells whose centre lies between y = a1 + b1·x and
 * y = a2 + b2·x (inclusive, either order). */
void plot_fill_between(struct plot *p, double a1, double b1, double a2, double b2, int role);
/* A dotted vertical line at data x, label (may be NULL) in the top row of the data area,
 * right of the line (left of it if it does not fit). Horizontal: label right-aligned on the
 * line's row. */
void plot_vmark(struct plot *p, double x, int role, const char *label);
void plot_hmark(struct plot *p, double y, int role, const char *label);
/* plot_vmark with the label on row `row` of the data area (0: the top row), and the
 * column where plot_vmark puts a label (-1 when x is outside), to keep labels apart. */
void plot_vmark_row(struct plot *p, double x, int role, const char *label, int row);
int plot_vmark_label_x(const struct plot *p, double x, const char *label);
/* A marker glyph (canvas_marker) at a data point, e.g. the current point. */
void plot_point(struct plot *p, double x, double y, uint32_t glyph, int role);

enum plot_legend_kind { PLOT_LEGEND_LINE, PLOT_LEGEND_MARKER, PLOT_LEGEND_FILL };

struct plot_legend_entry {
	int kind;	/* enum plot_legend_kind */
	int role;	/* colour role of the sample */
	int style;	/* enum canvas_style, for PLOT_LEGEND_LINE */
	uint32_t glyph; /* for PLOT_LEGEND_MARKER */
	const char *text;
};
/* A boxed legend in a corner of the data area: per entry a 3-cell sample drawn exactly as
 * the data is (a line in its style, the marker, or a background swatch) and the text. Erases
 * what is under it, so draw it last. Texts are cut and entries dropped to fit. */
void plot_legend(struct plot *p, const struct plot_legend_entry *e, int n, enum plot_corner corner);

/* A legend that never covers data: the first corner (NE, NW, SE, SW) whose box holds no
 * data glyph (the region's fill does not count); 0 when drawn, -1 when no corner is empty
 * or the box does not fit whole (the caller shows it elsewhere). Draw the data first. */
int plot_legend_auto(struct plot *p, const struct plot_legend_entry *e, int n);
/* The line style that tells a role apart without colour (see above). */
enum canvas_style plot_role_style(int role);

#endif
