/* plot.c — owns the data → dot mapping of a plot rectangle and everything drawn in data
 * coordinates: ticks, labels, axes, polylines, bound lines, region fills, marks, legends. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gdpath/plot.h"
#include "gdpath/role.h"

#define HUGE_DATA 1e300 /* ranges are clamped to ±this so spans stay finite */

/* Local polyline pen, in scaled (log10 where log) data coordinates. */
struct pen {
	int down;
	double x, y;
};

static double clampd(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* ---- ranges and mapping ---- */

static void axis_set(struct plot_axis *a, double lo, double hi, enum plot_scale scale)
{
	int log = scale == PLOT_LOG;
	if (!isfinite(lo) || !isfinite(hi))
		lo = log ? 1 : 0, hi = log ? 10 : 1;
	if (lo > hi) {
		double t = lo;
		lo = hi, hi = t;
	}
	lo = clampd(lo, -HUGE_DATA, HUGE_DATA);
	hi = clampd(hi, -HUGE_DATA, HUGE_DATA);
	if (log) {
		if (hi <= 0)
			lo = 1, hi = 10;
		else if (lo <= 0)
			lo = hi / 1000;
		if (!(log10(hi) > log10(lo)))
			lo /= 10, hi *= 10;
	} else if (!(hi > lo)) {
		double d = lo == 0 ? 1 : fabs(lo) * 0.1;
		lo -= d, hi += d;
	}
	a->lo = lo;
	a->hi = hi;
	a->scale = log ? PLOT_LOG : PLOT_LINEAR;
	a->tlo = log ? log10(lo) : lo;
	a->thi = log ? log10(hi) : hi;
}

void plot_init(struct plot *p, struct canvas *c, int x, int y, int w, int h, int flags)
{
	memset(p, 0, sizeof *p);
	p->c = c;
	p->x = x, p->y = y, p->w = w > 0 ? w : 0, p->h = h > 0 ? h : 0;
	p->flags = flags;
	if (flags & PLOT_NO_AXES) {
		p->ax = x, p->ay = y, p->aw = p->w, p->ah = p->h;
	} else {
		p->ax = x + PLOT_LABEL_W + 1;
		p->ay = y + 1;
		p->aw = p->w - PLOT_LABEL_W - 1;
		p->ah = p->h - 4;
	}
	if (p->aw <= 0 || p->ah <= 0)
		p->aw = p->ah = 0;
	axis_set(&p->xa, 0, 1, PLOT_LINEAR);
	axis_set(&p->ya, 0, 1, PLOT_LINEAR);
}

void plot_set_x(struct plot *p, double lo, double hi, enum plot_scale scale)
{
	axis_set(&p->xa, lo, hi, scale);
}

void plot_set_y(struct plot *p, double lo, double hi, enum plot_scale scale)
{
	axis_set(&p->ya, lo, hi, scale);
}

/* Data value → scaled value (NaN if it cannot be shown on the axis). */
static double fwd(const struct plot_axis *a, double v)
{
	if (!isfinite(v))
		return NAN;
	if (a->scale == PLOT_LOG)
		return v > 0 ? log10(v) : NAN;
	return v;
}

static double inv(const struct plot_axis *a, double t)
{
	return a->scale == PLOT_LOG ? pow(10, t) : t;
}

static int dpx(const struct plot *p)
{
	return canvas_dots_x(p->c);
}

static int dpy(const struct plot *p)
{
	return canvas_dots_y(p->c);
}

/* Scaled value → dot coordinate. */
static double xdot(const struct plot *p, double t)
{
	double f = (t - p->xa.tlo) / (p->xa.thi - p->xa.tlo);
	return p->ax * dpx(p) + f * (p->aw * dpx(p) - 1);
}

static double ydot(const struct plot *p, double t)
{
	double f = (t - p->ya.tlo) / (p->ya.thi - p->ya.tlo);
	return (p->ay + p->ah) * dpy(p) - 1 - f * (p->ah * dpy(p) - 1);
}

int plot_map(const struct plot *p, double x, double y, double *dx, double *dy)
{
	double tx = fwd(&p->xa, x), ty = fwd(&p->ya, y);
	if (isnan(tx) || isnan(ty) || p->aw == 0)
		return -1;
	double u = xdot(p, tx), v = ydot(p, ty);
	if (!isfinite(u) || !isfinite(v))
		return -1;
	*dx = u, *dy = v;
	return 0;
}

int plot_cell(const struct plot *p, double x, double y, int *cx, int *cy)
{
	double u, v;
	if (plot_map(p, x, y, &u, &v) < 0)
		return -1;
	double fx = floor((floor(u + 0.5)) / dpx(p)), fy = floor((floor(v + 0.5)) / dpy(p));
	*cx = (int)clampd(fx, -1e9, 1e9);
	*cy = (int)clampd(fy, -1e9, 1e9);
	return *cx >= p->ax && *cx < p->ax + p->aw && *cy >= p->ay && *cy < p->ay + p->ah ? 0 : 1;
}

static double xundot(const struct plot *p, double d)
{
	double n = p->aw * dpx(p) - 1;
	return p->xa.tlo + (d - p->ax * dpx(p)) / (n > 0 ? n : 1) * (p->xa.thi - p->xa.tlo);
}

static double yundot(const struct plot *p, double d)
{
	double n = p->ah * dpy(p) - 1;
	return p->ya.tlo +
	       ((p->ay + p->ah) * dpy(p) - 1 - d) / (n > 0 ? n : 1) * (p->ya.thi - p->ya.tlo);
}

void plot_unmap(const struct plot *p, double dx, double dy, double *x, double *y)
{
	*x = inv(&p->xa, xundot(p, dx));
	*y = inv(&p->ya, yundot(p, dy));
}

/* ---- ticks, labels, automatic ranges ---- */

/* Smallest 1, 2, 5 × 10^k ≥ raw. */
static double nice_step(double raw)
{
	double e = pow(10, floor(log10(raw)));
	double f = raw / e;
	return (f <= 1 + 1e-9 ? 1 : f <= 2 + 1e-9 ? 2 : f <= 5 + 1e-9 ? 5 : 10) * e;
}

static int linear_ticks(double lo, double hi, int max, double *out, int cap)
{
	double step = nice_step((hi - lo) / (max - 1));
	if (!(step > 0) || !isfinite(step))
		return 0;
	for (;;) {
		double k0 = ceil(lo / step - 1e-9), k1 = floor(hi / step + 1e-9);
		if (fabs(k0) > 1e15 || fabs(k1) > 1e15)
			return 0;
		if (k1 - k0 + 1 <= max) {
			int n = 0;
			for (double k = k0; k <= k1 && n < cap; k++) {
				double v = k * step;
				out[n++] = fabs(v) < step * 1e-6 ? 0 : v;
			}
			return n;
		}
		step = nice_step(step * 1.5);
		if (!isfinite(step))
			return 0;
	}
}

int plot_ticks(double lo, double hi, enum plot_scale scale, int max_ticks, double *out, int cap)
{
	if (!isfinite(lo) || !isfinite(hi) || !(hi > lo) || cap <= 0)
		return 0;
	if (max_ticks < 2)
		max_ticks = 2;
	if (scale != PLOT_LOG || lo <= 0)
		return linear_ticks(lo, hi, max_ticks, out, cap);
	int d0 = (int)ceil(log10(lo) - 1e-9), d1 = (int)floor(log10(hi) + 1e-9);
	int count = d1 - d0 + 1, n = 0;
	if (count >= 2) {
		int stride = (count + max_ticks - 1) / max_ticks;
		int first =
		    d0 % stride == 0 ? d0 : d0 + (stride - ((d0 % stride) + stride) % stride);
		if (first + stride > d1)
			first = d0;
		for (int d = first; d <= d1 && n < cap; d += stride)
			out[n++] = pow(10, d);
		return n;
	}
	static const double mant[3] = {1, 2, 5};
	for (int d = d0 - 1; d <= d1; d++)
		for (int m = 0; m < 3; m++) {
			double v = mant[m] * pow(10, d);
			if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9) && n < cap)
				out[n++] = v;
		}
	if (n >= 2 && n <= max_ticks)
		return n;
	return linear_ticks(lo, hi, max_ticks, out, cap);
}

void plot_nice_range(double *lo, double *hi, enum plot_scale scale, int max_ticks)
{
	if (!isfinite(*lo) || !isfinite(*hi) || !(*hi > *lo))
		return;
	if (scale == PLOT_LOG) {
		if (*lo > 0) {
			*lo = pow(10, floor(log10(*lo) + 1e-9));
			*hi = pow(10, ceil(log10(*hi) - 1e-9));
		}
		return;
	}
	double step = nice_step((*hi - *lo) / (max_ticks < 2 ? 1 : max_ticks - 1));
	if (step > 0 && isfinite(step)) {
		*lo = floor(*lo / step + 1e-9) * step;
		*hi = ceil(*hi / step - 1e-9) * step;
	}
}

/* Drop trailing zeros after a decimal point. */
static void trim_zeros(char *s)
{
	if (!strchr(s, '.'))
		return;
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == '0')
		s[--n] = '\0';
	if (n > 0 && s[n - 1] == '.')
		s[--n] = '\0';
}

const char *plot_format(double v, char *buf, size_t len)
{
	char tmp[32];
	double a = fabs(v);
	if (!buf || len == 0)
		return buf;
	if (isnan(v)) {
		snprintf(buf, len, "nan");
		return buf;
	}
	if (isinf(v)) {
		snprintf(buf, len, v < 0 ? "-inf" : "inf");
		return buf;
	}
	if (a < 1e-300) {
		snprintf(buf, len, "0");
		return buf;
	}
	int done = 0;
	if (a >= 1e-2 && a < 1e3) {
		int d = (int)clampd(2 - floor(log10(a)), 0, 4);
		snprintf(tmp, sizeof tmp, "%.*f", d, a);
		trim_zeros(tmp);
		done = 1;
	} else if (a >= 1e3 && a < 1e15) {
		static const char suffix[] = "kMGT";
		int i = (int)clampd(floor(log10(a) / 3) - 1, 0, 3);
		for (; i < 4; i++) {
			double m = a / pow(1000, i + 1);
			if (m >= 999.5 && i < 3)
				continue;
			int d = m < 9.995 ? 2 : m < 99.95 ? 1 : 0;
			snprintf(tmp, sizeof tmp, "%.*f", d, m);
			trim_zeros(tmp);
			size_t n = strlen(tmp);
			tmp[n] = suffix[i];
			tmp[n + 1] = '\0';
			done = m < 999.5;
			break;
		}
	}
	if (!done) {
		int e = (int)floor(log10(a));
		double m = round(a / pow(10, e) * 10) / 10;
		if (m >= 10)
			m /= 10, e++;
		snprintf(tmp, sizeof tmp, "%.1f", m);
		trim_zeros(tmp);
		size_t n = strlen(tmp);
		snprintf(tmp + n, sizeof tmp - n, "e%d", e);
	}
	snprintf(buf, len, "%s%s", v < 0 ? "-" : "", tmp);
	return buf;
}

void plot_range_init(struct plot_range *r)
{
	r->lo = INFINITY;
	r->hi = -INFINITY;
	r->n = 0;
}

void plot_range_value(struct plot_range *r, double v, enum plot_scale scale)
{
	if (!isfinite(v) || (scale == PLOT_LOG && v <= 0))
		return;
	if (v < r->lo)
		r->lo = v;
	if (v > r->hi)
		r->hi = v;
	r->n++;
}

void plot_range_add(struct plot_range *r, const double *v, size_t n, enum plot_scale scale)
{
	for (size_t i = 0; v && i < n; i++)
		plot_range_value(r, v[i], scale);
}

void plot_range_get(const struct plot_range *r, enum plot_scale scale, double pad, double *lo,
		    double *hi)
{
	int log = scale == PLOT_LOG;
	double l = r->lo, h = r->hi;
	if (!isfinite(pad) || pad < 0)
		pad = 0;
	if (r->n == 0) {
		*lo = log ? 1 : 0;
		*hi = log ? 10 : 1;
		return;
	}
	l = clampd(l, -HUGE_DATA, HUGE_DATA);
	h = clampd(h, -HUGE_DATA, HUGE_DATA);
	if (log) {
		double tl = log10(l), th = log10(h);
		if (!(th > tl))
			tl -= 1, th += 1;
		else {
			double d = pad * (th - tl);
			tl -= d, th += d;
		}
		*lo = pow(10, tl);
		*hi = pow(10, th);
		return;
	}
	if (!(h > l)) {
		double d = l == 0 ? 1 : fabs(l) * 0.1;
		*lo = l - d, *hi = h + d;
	} else {
		double d = pad * (h - l);
		*lo = l >= 0 && l - d < 0 ? 0 : l - d;
		*hi = h <= 0 && h + d > 0 ? 0 : h + d;
	}
}

/* ---- drawing ---- */

static int begin(struct plot *p)
{
	if (!p->c || p->aw <= 0 || p->ah <= 0)
		return 0;
	canvas_set_clip(p->c, p->ax, p->ay, p->aw, p->ah);
	return 1;
}

static void end(struct plot *p)
{
	canvas_reset_clip(p->c);
}

/* A segment in scaled coordinates: clipped to the range widened by a span on each side, so
 * the dot coordinates stay small, then drawn. */
static void tseg(struct plot *p, double x0, double y0, double x1, double y1, int role,
		 enum canvas_style style)
{
	double mx = p->xa.thi - p->xa.tlo, my = p->ya.thi - p->ya.tlo;
	if (!canvas_clip_segment(&x0, &y0, &x1, &y1, p->xa.tlo - mx, p->xa.thi + mx, p->ya.tlo - my,
				 p->ya.thi + my))
		return;
	canvas_line(p->c, xdot(p, x0), ydot(p, y0), xdot(p, x1), ydot(p, y1), role, style);
}

static void pen_step(struct plot *p, struct pen *pen, double x, double y, int role,
		     enum canvas_style style)
{
	double tx = fwd(&p->xa, x), ty = fwd(&p->ya, y);
	if (isnan(tx) || isnan(ty)) {
		pen->down = 0;
		return;
	}
	if (pen->down) {
		/* A point on the dot the pen is at adds nothing: long histories cost what the
		 * plot can show, not what they hold. The pen stays at the drawn point. */
		if (floor(xdot(p, tx) + 0.5) == floor(xdot(p, pen->x) + 0.5) &&
		    floor(ydot(p, ty) + 0.5) == floor(ydot(p, pen->y) + 0.5))
			return;
		tseg(p, pen->x, pen->y, tx, ty, role, style);
	} else
		tseg(p, tx, ty, tx, ty, role, style);
	pen->down = 1;
	pen->x = tx, pen->y = ty;
}

void plot_pen_up(struct plot *p)
{
	p->pen_down = 0;
}

void plot_pen_to(struct plot *p, double x, double y, int role, enum canvas_style style)
{
	if (!begin(p))
		return;
	struct pen pen = {p->pen_down, p->pen_x, p->pen_y};
	pen_step(p, &pen, x, y, role, style);
	p->pen_down = pen.down, p->pen_x = pen.x, p->pen_y = pen.y;
	end(p);
}

void plot_polyline(struct plot *p, const double *x, const double *y, size_t n, int role,
		   enum canvas_style style)
{
	if (!x || !y || !begin(p))
		return;
	struct pen pen = {0, 0, 0};
	for (size_t i = 0; i < n; i++)
		pen_step(p, &pen, x[i], y[i], role, style);
	end(p);
}

/* Samples for curves on log axes: one per dot column, at most 4096. */
static int curve_samples(const struct plot *p)
{
	int n = p->aw * dpx(p) + p->ah * dpy(p);
	return n < 2 ? 2 : n > 4096 ? 4096 : n;
}

void plot_segment(struct plot *p, double x0, double y0, double x1, double y1, int role,
		  enum canvas_style style)
{
	if (!begin(p))
		return;
	if (p->xa.scale == PLOT_LINEAR && p->ya.scale == PLOT_LINEAR) {
		if (isfinite(x0) && isfinite(y0) && isfinite(x1) && isfinite(y1))
			tseg(p, x0, y0, x1, y1, role, style);
	} else {
		struct pen pen = {0, 0, 0};
		int n = curve_samples(p);
		for (int i = 0; i <= n; i++) {
			double t = (double)i / n;
			pen_step(p, &pen, x0 * (1 - t) + x1 * t, y0 * (1 - t) + y1 * t, role,
				 style);
		}
	}
	end(p);
}

void plot_line_ab(struct plot *p, double a, double b, int role, enum canvas_style style)
{
	if (!isfinite(a) || !isfinite(b) || !begin(p))
		return;
	if (p->xa.scale == PLOT_LINEAR && p->ya.scale == PLOT_LINEAR) {
		double x0 = p->xa.lo, x1 = p->xa.hi;
		double y0 = a + b * x0, y1 = a + b * x1;
		if (isfinite(y0) && isfinite(y1))
			tseg(p, x0, y0, x1, y1, role, style);
	} else {
		struct pen pen = {0, 0, 0};
		int n = curve_samples(p);
		for (int i = 0; i <= n; i++) {
			double x = inv(&p->xa, p->xa.tlo + (p->xa.thi - p->xa.tlo) * i / n);
			pen_step(p, &pen, x, a + b * x, role, style);
		}
	}
	end(p);
}

void plot_fill_between(struct plot *p, double a1, double b1, double a2, double b2, int role)
{
	if (!p->c || p->aw <= 0 || p->ah <= 0)
		return;
	double hx = (dpx(p) - 1) / 2.0, hy = (dpy(p) - 1) / 2.0;
	for (int cx = p->ax; cx < p->ax + p->aw; cx++) {
		double x = inv(&p->xa, xundot(p, cx * dpx(p) + hx));
		double l1 = a1 + b1 * x, l2 = a2 + b2 * x;
		if (isnan(l1) || isnan(l2))
			continue;
		double lo = fmin(l1, l2), hi = fmax(l1, l2);
		if (p->ya.scale == PLOT_LOG) {
			if (!(hi > 0))
				continue;
			lo = lo > 0 ? log10(lo) : -INFINITY;
			hi = log10(hi);
		}
		for (int cy = p->ay; cy < p->ay + p->ah; cy++) {
			double ty = yundot(p, cy * dpy(p) + hy);
			if (ty >= lo && ty <= hi)
				canvas_fill_bg(p->c, cx, cy, 1, 1, role);
		}
	}
}

/* Code points in a UTF-8 string. */
static int ulen(const char *s)
{
	int n = 0;
	for (; s && *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* The first n code points of s into buf. */
static const char *ucut(const char *s, int n, char *buf, size_t size)
{
	size_t i = 0;
	for (; s[i] && i + 1 < size; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80 && n-- == 0)
			break;
	}
	memcpy(buf, s, i);
	buf[i] = '\0';
	return buf;
}

void plot_vmark(struct plot *p, double x, int role, const char *label)
{
	plot_vmark_row(p, x, role, label, 0);
}

int plot_vmark_label_x(const struct plot *p, double x, const char *label)
{
	double tx = fwd(&p->xa, x);
	if (isnan(tx) || p->aw <= 0)
		return -1;
	double d = xdot(p, tx);
	if (!(d >= p->ax * dpx(p) - 0.5 && d < (p->ax + p->aw) * dpx(p) - 0.5))
		return -1;
	int cx = (int)floor(d + 0.5) / dpx(p), n = label ? ulen(label) : 0;
	int at = cx + 1;
	if (at + n > p->ax + p->aw)
		at = cx - n >= p->ax ? cx - n : p->ax + p->aw - n;
	return at < p->ax ? p->ax : at;
}

void plot_vmark_row(struct plot *p, double x, int role, const char *label, int row)
{
	double tx = fwd(&p->xa, x);
	if (isnan(tx) || !p->c || p->aw <= 0 || p->ah <= 0)
		return;
	double d = xdot(p, tx);
	if (!(d >= p->ax * dpx(p) - 0.5 && d < (p->ax + p->aw) * dpx(p) - 0.5))
		return;
	begin(p);
	canvas_line(p->c, d, p->ay * dpy(p), d, (p->ay + p->ah) * dpy(p) - 1, role, CANVAS_DOTTED);
	end(p);
	if (!label)
		return;
	if (row < 0 || row >= p->ah)
		row = 0;
	canvas_text(p->c, plot_vmark_label_x(p, x, label), p->ay + row, label, role);
}

void plot_hmark(struct plot *p, double y, int role, const char *label)
{
	double ty = fwd(&p->ya, y);
	if (isnan(ty) || !p->c || p->aw <= 0 || p->ah <= 0)
		return;
	double d = ydot(p, ty);
	if (!(d >= p->ay * dpy(p) - 0.5 && d < (p->ay + p->ah) * dpy(p) - 0.5))
		return;
	begin(p);
	canvas_line(p->c, p->ax * dpx(p), d, (p->ax + p->aw) * dpx(p) - 1, d, role, CANVAS_DOTTED);
	end(p);
	if (label) {
		int at = p->ax + p->aw - ulen(label);
		canvas_text(p->c, at < p->ax ? p->ax : at, (int)floor(d + 0.5) / dpy(p), label,
			    role);
	}
}

void plot_point(struct plot *p, double x, double y, uint32_t glyph, int role)
{
	double u, v;
	if (plot_map(p, x, y, &u, &v) < 0 || !begin(p))
		return;
	canvas_marker(p->c, u, v, glyph, role);
	end(p);
}

/* ---- axes, grid, legend ---- */

static int xticks(const struct plot *p, double *t, int cap)
{
	int max = (int)clampd(p->aw / 7 + 1, 2, 12);
	return plot_ticks(p->xa.lo, p->xa.hi, p->xa.scale, max, t, cap);
}

static int yticks(const struct plot *p, double *t, int cap)
{
	int max = (int)clampd(p->ah / 2 + 1, 2, 8);
	return plot_ticks(p->ya.lo, p->ya.hi, p->ya.scale, max, t, cap);
}

void plot_axes(struct plot *p, const char *xtitle, const char *ytitle)
{
	double t[16];
	char lab[PLOT_LABEL_MAX];
	struct canvas *c = p->c;
	if (!c || (p->flags & PLOT_NO_AXES) || p->aw <= 0 || p->ah <= 0)
		return;
	int row = p->ay + p->ah; /* x axis row */
	for (int y = p->ay; y < row; y++)
		canvas_put(c, p->ax - 1, y, 0x2502, ROLE_AXIS, 0); /* │ */
	for (int x = p->ax; x < p->ax + p->aw; x++)
		canvas_put(c, x, row, 0x2500, ROLE_AXIS, 0); /* ─ */
	canvas_put(c, p->ax - 1, row, 0x2514, ROLE_AXIS, 0); /* └ */

	int n = xticks(p, t, 16), free_at = p->x;
	for (int i = 0; i < n; i++) {
		int cx, cy;
		if (plot_cell(p, t[i], p->ya.lo, &cx, &cy) != 0)
			continue;
		canvas_put(c, cx, row, 0x252C, ROLE_AXIS, 0); /* ┬ */
		int len = (int)strlen(plot_format(t[i], lab, sizeof lab));
		int at = cx - (len - 1) / 2;
		if (at + len > p->x + p->w)
			at = p->x + p->w - len;
		if (at < free_at)
			continue;
		canvas_text(c, at, row + 1, lab, ROLE_TEXT);
		free_at = at + len + 1;
	}
	n = yticks(p, t, 16);
	int last_row = -1;
	for (int i = 0; i < n; i++) {
		int cx, cy;
		if (plot_cell(p, p->xa.lo, t[i], &cx, &cy) != 0)
			continue;
		canvas_put(c, p->ax - 1, cy, 0x2524, ROLE_AXIS, 0); /* ┤ */
		if (cy == last_row)
			continue;
		int len = (int)strlen(plot_format(t[i], lab, sizeof lab));
		int at = p->ax - 1 - len;
		canvas_text(c, at < p->x ? p->x : at, cy, lab, ROLE_TEXT);
		last_row = cy;
	}
	if (ytitle)
		canvas_text(c, p->x, p->y, ytitle, ROLE_TITLE);
	if (xtitle) {
		int at = p->x + p->w - ulen(xtitle);
		canvas_text(c, at < p->x ? p->x : at, p->y + p->h - 1, xtitle, ROLE_TITLE);
	}
}

void plot_grid(struct plot *p)
{
	double t[16];
	if (!begin(p))
		return;
	int n = xticks(p, t, 16);
	for (int i = 0; i < n; i++) {
		double x = xdot(p, fwd(&p->xa, t[i]));
		canvas_line(p->c, x, p->ay * dpy(p), x, (p->ay + p->ah) * dpy(p) - 1, ROLE_GRID,
			    CANVAS_DOTTED);
	}
	n = yticks(p, t, 16);
	for (int i = 0; i < n; i++) {
		double y = ydot(p, fwd(&p->ya, t[i]));
		canvas_line(p->c, p->ax * dpx(p), y, (p->ax + p->aw) * dpx(p) - 1, y, ROLE_GRID,
			    CANVAS_DOTTED);
	}
	end(p);
}

void plot_legend(struct plot *p, const struct plot_legend_entry *e, int n, enum plot_corner corner)
{
	struct canvas *c = p->c;
	char buf[256];
	if (!c || !e || n <= 0 || p->aw <= 0)
		return;
	int tw = 0;
	for (int i = 0; i < n; i++) {
		int l = ulen(e[i].text);
		tw = l > tw ? l : tw;
	}
	if (tw + 7 > p->aw)
		tw = p->aw - 7;
	if (n + 2 > p->ah)
		n = p->ah - 2;
	if (tw < 1 || n < 1)
		return;
	int bw = tw + 7, bh = n + 2;
	int bx = corner == PLOT_NW || corner == PLOT_SW ? p->ax : p->ax + p->aw - bw;
	int by = corner == PLOT_NE || corner == PLOT_NW ? p->ay : p->ay + p->ah - bh;
	canvas_erase(c, bx, by, bw, bh);
	for (int x = bx + 1; x < bx + bw - 1; x++) {
		canvas_put(c, x, by, 0x2500, ROLE_AXIS, 0);
		canvas_put(c, x, by + bh - 1, 0x2500, ROLE_AXIS, 0);
	}
	for (int y = by + 1; y < by + bh - 1; y++) {
		canvas_put(c, bx, y, 0x2502, ROLE_AXIS, 0);
		canvas_put(c, bx + bw - 1, y, 0x2502, ROLE_AXIS, 0);
	}
	canvas_put(c, bx, by, 0x250C, ROLE_AXIS, 0);
	canvas_put(c, bx + bw - 1, by, 0x2510, ROLE_AXIS, 0);
	canvas_put(c, bx, by + bh - 1, 0x2514, ROLE_AXIS, 0);
	canvas_put(c, bx + bw - 1, by + bh - 1, 0x2518, ROLE_AXIS, 0);
	for (int i = 0; i < n; i++) {
		int y = by + 1 + i, sx = bx + 2;
		switch (e[i].kind) {
		case PLOT_LEGEND_MARKER:
			canvas_put(c, sx + 1, y, e[i].glyph, e[i].role, 0);
			break;
		case PLOT_LEGEND_FILL:
			canvas_fill_bg(c, sx, y, 3, 1, e[i].role);
			break;
		default: {
			double dy = y * dpy(p) + dpy(p) / 2 - 1;
			canvas_set_clip(c, sx, y, 3, 1);
			canvas_line(c, sx * dpx(p), dy, (sx + 3) * dpx(p) - 1, dy, e[i].role,
				    (enum canvas_style)e[i].style);
			canvas_reset_clip(c);
		}
		}
		if (e[i].text)
			canvas_text(c, sx + 4, y, ucut(e[i].text, tw, buf, sizeof buf), ROLE_TEXT);
	}
}

/* Cells of the box [bx, bx+bw) × [by, by+bh) that show data (a glyph that is not the
 * region's fill). */
static int occupied(struct plot *p, int bx, int by, int bw, int bh)
{
	int n = 0;
	for (int y = by; y < by + bh; y++)
		for (int x = bx; x < bx + bw; x++) {
			const struct canvas_cell *cl = canvas_cell(p->c, x, y);
			/* the region's fill, marks and grid are annotations, not data */
			n += cl && cl->ch != ' ' && cl->fg != ROLE_REGION && cl->fg != ROLE_MARK &&
			     cl->fg != ROLE_GRID;
		}
	return n;
}

int plot_legend_auto(struct plot *p, const struct plot_legend_entry *e, int n)
{
	if (!p->c || !e || n <= 0 || p->aw <= 0)
		return -1;
	int tw = 0;
	for (int i = 0; i < n; i++) {
		int l = ulen(e[i].text);
		tw = l > tw ? l : tw;
	}
	int bw = tw + 7, bh = n + 2;
	if (bw > p->aw || bh > p->ah)
		return -1; /* it would be cut: never */
	static const enum plot_corner corners[] = {PLOT_NE, PLOT_NW, PLOT_SE, PLOT_SW};
	for (size_t k = 0; k < sizeof corners / sizeof corners[0]; k++) {
		enum plot_corner cr = corners[k];
		int bx = cr == PLOT_NW || cr == PLOT_SW ? p->ax : p->ax + p->aw - bw;
		int by = cr == PLOT_NE || cr == PLOT_NW ? p->ay : p->ay + p->ah - bh;
		if (occupied(p, bx, by, bw, bh) == 0) {
			plot_legend(p, e, n, cr);
			return 0;
		}
	}
	return -1;
}

enum canvas_style plot_role_style(int role)
{
	switch (role) {
	case ROLE_RED_LINE:
	case ROLE_ENVELOPE:
		return CANVAS_DASHED;
	case ROLE_ZETA_LINE:
	case ROLE_MARK:
	case ROLE_GRID:
		return CANVAS_DOTTED;
	default:
		return CANVAS_SOLID;
	}
}

