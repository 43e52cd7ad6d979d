/* panel_param.c — the path in parameter space ([OS19] Fig. 1, right half), drawn from the
 * run's projection (proj.c): coordinates along u and v, the straight segment from θ0 to θ*
 * (or to the current iterate), the ball ‖θ − θ0‖ < r0/β̂ that holds no optimum (its
 * section by the plane, which passes through its centre), and for linear and glm the
 * optima. Equal scales on both axes, so angles and the ball look as they are. */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "gdpath/app.h"
#include "gdpath/canvas.h"
#include "gdpath/model.h"
#include "gdpath/panel.h"
#include "gdpath/panel_param.h"
#include "gdpath/plot.h"
#include "gdpath/proj.h"
#include "gdpath/run.h"
#include "gdpath/theory.h"

#define GLYPH_CURRENT 0x25CF /* ● */
#define GLYPH_START 0x25CB   /* ○ */
#define GLYPH_STAR 0x2605    /* ★ */

bool panel_param_shown(const struct app *a, int w, int h)
{
	bool fits = w >= PANEL_PARAM_MIN_COLS && h >= PANEL_PARAM_MIN_ROWS;
	return fits != a->param_toggled;
}

/* The affine set {θ : Xθ = y} of linear (and {θ : Xθ = g⁻¹(y)} of glm) is θ* + null(X),
 * and θ* − θ0 ⊥ null(X): every optimum has first coordinate ‖θ* − θ0‖. */
static bool affine_optima(const struct run *r)
{
	return r->th->have_star && (r->m->ops == &model_linear_ops || r->m->ops == &model_glm_ops);
}

static void widen(double *lo, double *hi, double span)
{
	double mid = 0.5 * (*lo + *hi);
	*lo = mid - 0.5 * span;
	*hi = mid + 0.5 * span;
}

/* A name just below a marked point, where the data area has room. */
static void label(struct plot *p, double x, double y, const char *text)
{
	int cx, cy;
	if (plot_cell(p, x, y, &cx, &cy) != 0 || cy + 1 >= p->ay + p->ah)
		return;
	int n = 0;
	for (const unsigned char *q = (const unsigned char *)text; *q; q++)
		n += (*q & 0xC0) != 0x80;
	int lx = cx - n / 2;
	if (lx + n > p->ax + p->aw)
		lx = p->ax + p->aw - n;
	if (lx < p->ax)
		lx = p->ax;
	canvas_text(p->c, lx, cy + 1, text, ROLE_TEXT);
}

void panel_param(struct canvas *c, const struct app *a, int x, int y, int w, int h,
		 struct panel_legend *away)
{
	const struct run *r = app_active(a);
	const struct proj *pj = r->pj;
	const struct theory *th = r->th;
	const struct syms *s = view_syms(a);
	char xt[96], yt[96];
	struct plot p;
	canvas_erase(c, x, y, w, h);
	plot_init(&p, c, x, y, w, h, 0);
	if (w >= 64)
		snprintf(yt, sizeof yt, "parameter space: v (largest part of the path %s u)",
			 a->ascii ? "perp." : "⊥");
	else
		snprintf(yt, sizeof yt, "parameter space (u, v)");
	if (pj && pj->u_star)
		snprintf(xt, sizeof xt, "u%s(%s-%s0), u toward %s*", a->ascii ? "." : "·", s->theta,
			 s->theta, s->theta);
	else
		snprintf(xt, sizeof xt, "u%s(%s-%s0), u toward the current %s", a->ascii ? "." : "·",
			 s->theta, s->theta, s->theta);
	if (pj == NULL || !pj->have_plane || p.aw < 4 || p.ah < 3) {
		plot_axes(&p, xt, yt);
		if (p.aw > 0)
			canvas_text(c, p.ax + 1, p.ay + 1,
				    a->ascii ? "theta = theta0: no plane yet" : "θ = θ0: no plane yet",
				    ROLE_TEXT);
		return;
	}
	double R = theory_dist_min(th); /* r0/β̂: no optimum in the ball */
	struct plot_range xr, yr;
	plot_range_init(&xr);
	plot_range_init(&yr);
	plot_range_value(&xr, 0, PLOT_LINEAR);
	plot_range_value(&yr, 0, PLOT_LINEAR);
	plot_range_add(&xr, pj->a, pj->len, PLOT_LINEAR);
	plot_range_add(&yr, pj->b, pj->len, PLOT_LINEAR);
	plot_range_value(&xr, pj->cur_a, PLOT_LINEAR);
	plot_range_value(&yr, pj->cur_b, PLOT_LINEAR);
	if (pj->u_star)
		plot_range_value(&xr, pj->star_a, PLOT_LINEAR);
	if (isfinite(R) && R > 0) {
		plot_range_value(&xr, -R, PLOT_LINEAR);
		plot_range_value(&xr, R, PLOT_LINEAR);
		plot_range_value(&yr, -R, PLOT_LINEAR);
		plot_range_value(&yr, R, PLOT_LINEAR);
	}
	double xlo, xhi, ylo, yhi;
	plot_range_get(&xr, PLOT_LINEAR, 0.06, &xlo, &xhi);
	plot_range_get(&yr, PLOT_LINEAR, 0.06, &ylo, &yhi);
	/* Equal scales: a cell is about twice as tall as wide. */
	double ux = (xhi - xlo) / p.aw, uy = (yhi - ylo) / (2.0 * p.ah);
	if (ux > uy)
		widen(&ylo, &yhi, ux * 2.0 * p.ah);
	else
		widen(&xlo, &xhi, uy * p.aw);
	plot_set_x(&p, xlo, xhi, PLOT_LINEAR);
	plot_set_y(&p, ylo, yhi, PLOT_LINEAR);
	plot_axes(&p, xt, yt);

	bool optima = affine_optima(r);
	if (a->bounds) {
		if (isfinite(R) && R > 0) {
			enum { N = 96 };
			plot_pen_up(&p);
			for (int k = 0; k <= N; k++) {
				double t = 6.283185307179586 * k / N;
				plot_pen_to(&p, R * cos(t), R * sin(t), ROLE_RED_LINE, CANVAS_DASHED);
			}
		}
		if (optima) {
			char lb[32];
			snprintf(lb, sizeof lb, "optima");
			plot_vmark(&p, pj->star_a, ROLE_GREEN_LINE, lb);
		}
	}
	/* the straight segment θ0 → θ* (or the current iterate) */
	double ea = pj->u_star ? pj->star_a : pj->cur_a, eb = pj->u_star ? pj->star_b : pj->cur_b;
	plot_segment(&p, 0, 0, ea, eb, ROLE_MARK, CANVAS_DOTTED);
	/* the path: θ0, the kept snapshots, the current iterate */
	plot_pen_up(&p);
	plot_pen_to(&p, 0, 0, ROLE_TRAJECTORY, CANVAS_SOLID);
	for (size_t j = 0; j < pj->len; j++)
		if (r->pj->step[j] <= r->step)
			plot_pen_to(&p, pj->a[j], pj->b[j], ROLE_TRAJECTORY, CANVAS_SOLID);
	plot_pen_to(&p, pj->cur_a, pj->cur_b, ROLE_TRAJECTORY, CANVAS_SOLID);
	plot_point(&p, 0, 0, GLYPH_START, ROLE_CURRENT);
	label(&p, 0, 0, a->ascii ? "theta0" : "θ0");
	if (pj->u_star) {
		plot_point(&p, pj->star_a, pj->star_b, GLYPH_STAR, ROLE_CURRENT);
		label(&p, pj->star_a, pj->star_b, a->ascii ? "theta*" : "θ*");
	}
	plot_point(&p, pj->cur_a, pj->cur_b, GLYPH_CURRENT, ROLE_CURRENT);

	/* the legend: what each thing is */
	struct plot_legend_entry e[5];
	static char ball[48], seg[48];
	int n = 0;
	snprintf(seg, sizeof seg, "straight %s0 to %s", s->theta,
		 pj->u_star ? (a->ascii ? "theta*" : "θ*") : "now");
	snprintf(ball, sizeof ball, "%s%s-%s0%s < r0/%s: no optimum", s->norm, s->theta, s->theta,
		 s->norm, s->beta);
	e[n++] = (struct plot_legend_entry){PLOT_LEGEND_LINE, ROLE_TRAJECTORY, CANVAS_SOLID, 0, "path"};
	e[n++] = (struct plot_legend_entry){PLOT_LEGEND_LINE, ROLE_MARK, CANVAS_DOTTED, 0, seg};
	if (a->bounds && isfinite(R) && R > 0)
		e[n++] = (struct plot_legend_entry){PLOT_LEGEND_LINE, ROLE_RED_LINE, CANVAS_DASHED, 0,
						     ball};
	if (a->bounds && optima)
		e[n++] = (struct plot_legend_entry){PLOT_LEGEND_LINE, ROLE_GREEN_LINE, CANVAS_DOTTED, 0,
						     "global optima (affine set)"};
	struct plot below = p; /* under the title row */
	below.ay++;
	below.ah--;
	panel_legend_place(&below, e, n, away, a->legends);
	/* how far the path strays from the line along u */
	if (p.aw >= 30) {
		char buf[64];
		int nb = snprintf(buf, sizeof buf, "sideways at most %.3g%% of reach",
				 pj->have_v ? 100 * pj->spread : 0.0);
		(void)nb;
		canvas_text(c, p.ax + 1, p.ay, buf, ROLE_TEXT);
	}
}
