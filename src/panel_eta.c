/* panel_eta.c — the range test's plot (panel_eta.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "gdpath/app.h"
#include "gdpath/canvas.h"
#include "gdpath/panel.h"
#include "gdpath/panel_eta.h"
#include "gdpath/plot.h"
#include "gdpath/run.h"
#include "gdpath/sweep_eta.h"

#define GLYPH_OK 0x25CF	   /* ● converged or descending */
#define GLYPH_WOBBLE 0x25C6 /* ◆ oscillating */
#define GLYPH_DIVERGED 0x2715 /* ✕ */

void panel_eta(struct canvas *c, const struct app *a, int x, int y, int w, int h,
	       struct panel_legend *away)
{
	const struct eta_sweep *s = a->eta_sweep;
	const struct syms *sy = view_syms(a);
	char yt[128], xt[64];
	struct plot p;
	canvas_erase(c, x, y, w, h);
	plot_init(&p, c, x, y, w, h, 0);
	if (s == NULL)
		return;
	size_t done = eta_sweep_done(s);
	double best = eta_sweep_largest_stable(s);
	char bnum[16];
	snprintf(bnum, sizeof bnum, "%.3g", best);
	snprintf(yt, sizeof yt, "range test (%zu/%zu): final %sr%s/r0 after %ld steps; largest stable %s %s",
		 done, s->k, sy->norm, sy->norm, s->steps, sy->eta, isfinite(best) ? bnum : "none");
	snprintf(xt, sizeof xt, "%s (log)", sy->eta);
	/* y: the finished runs' misfits, diverged ones drawn at the top */
	struct plot_range yr;
	plot_range_init(&yr);
	for (size_t i = 0; i < s->k; i++)
		if (eta_sweep_point_done(s, i) && s->pt[i].verdict != ETA_DIVERGED)
			plot_range_value(&yr, s->pt[i].misfit, PLOT_LOG);
	plot_range_value(&yr, 1, PLOT_LOG);
	double lo, hi;
	plot_range_get(&yr, PLOT_LOG, 0.05, &lo, &hi);
	hi *= 10; /* a decade above for the diverged row */
	plot_set_x(&p, s->lo / 1.15, s->hi * 1.15, PLOT_LOG);
	plot_set_y(&p, lo, hi, PLOT_LOG);
	plot_axes(&p, xt, yt);
	/* diverged runs: on the second row, below the marks' labels */
	double top = hi, ux;
	if (p.ah > 2)
		plot_unmap(&p, 0, (p.ay + 1.5) * canvas_dots_y(c), &ux, &top);
	/* the marks: where theory says, what was found, what is in force */
	char lb[32];
	snprintf(lb, sizeof lb, "2/%s0%s", sy->beta, sy->sq);
	plot_vmark(&p, s->threshold, ROLE_RED_LINE, lb);
	plot_vmark(&p, s->eta_theory, ROLE_GREEN_LINE, a->ascii ? "theory" : "η_th");
	if (isfinite(best))
		plot_vmark(&p, best, ROLE_MARK, NULL);
	plot_vmark(&p, app_active(a)->eta, ROLE_CURRENT, "now");
	/* the finished runs, joined in η order where neither end diverged */
	plot_pen_up(&p);
	for (size_t i = 0; i < s->k; i++) {
		if (!eta_sweep_point_done(s, i) || s->pt[i].verdict == ETA_DIVERGED ||
		    s->pt[i].verdict == ETA_FAILED) {
			plot_pen_up(&p);
			continue;
		}
		plot_pen_to(&p, s->pt[i].eta, s->pt[i].misfit, ROLE_TRAJECTORY, CANVAS_SOLID);
	}
	for (size_t i = 0; i < s->k; i++) {
		if (!eta_sweep_point_done(s, i))
			continue;
		const struct eta_point *pt = &s->pt[i];
		if (pt->verdict == ETA_DIVERGED)
			plot_point(&p, pt->eta, top, GLYPH_DIVERGED, ROLE_WARNING);
		else if (pt->verdict == ETA_OSCILLATING)
			plot_point(&p, pt->eta, pt->misfit, GLYPH_WOBBLE, ROLE_MARK);
		else if (pt->verdict != ETA_FAILED)
			plot_point(&p, pt->eta, pt->misfit, GLYPH_OK, ROLE_TRAJECTORY);
	}
	if (p.aw >= 34 && p.ah >= 16) {
		static char stable[48];
		snprintf(stable, sizeof stable, "largest stable %s %s", sy->eta,
			 isfinite(best) ? bnum : "none");
		struct plot_legend_entry e[] = {
		    {PLOT_LEGEND_MARKER, ROLE_TRAJECTORY, 0, GLYPH_OK, "converged / descending"},
		    {PLOT_LEGEND_MARKER, ROLE_MARK, 0, GLYPH_WOBBLE, "oscillating"},
		    {PLOT_LEGEND_MARKER, ROLE_WARNING, 0, GLYPH_DIVERGED, "diverged"},
		    {PLOT_LEGEND_LINE, ROLE_MARK, CANVAS_DOTTED, 0, stable},
		};
		struct plot below = p;
		below.ay++;
		below.ah--;
		panel_legend_place(&below, e, 4, away, a->legends);
	}
}
