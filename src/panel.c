/* panel.c — the three plots: misfit vs distance inside the bound region ([OS19] Fig. 1),
 * loss vs step against the rate envelope (2.3), and per-layer normalized distance vs
 * normalized misfit (Fig. 2). Everything is read from the runs; nothing is computed here
 * but axis scaling. */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "gdpath/app.h"
#include "gdpath/band.h"
#include "gdpath/canvas.h"
#include "gdpath/panel.h"
#include "gdpath/plot.h"
#include "gdpath/run.h"
#include "gdpath/theory.h"
#include "gdpath/track.h"

#define GLYPH_CURRENT 0x25CF /* ● */

/* Runs and layers stay apart without colour: each ghost has its own dash pattern and end
 * glyph, each layer its own dash pattern (the live run and layer 1 are solid). */
static const enum canvas_style ghost_styles[8] = {CANVAS_DASHED,   CANVAS_DOTTED, CANVAS_DASHDOT,
						  CANVAS_LONGDASH, CANVAS_SPARSE, CANVAS_DASHED,
						  CANVAS_DOTTED,   CANVAS_DASHDOT};
static const uint32_t ghost_glyphs[8] = {0x25CB, 0x25A1, 0x25B3, 0x25C7,
					 0x25BD, 0x25C1, 0x25B7, 0x2606}; /* ○□△◇▽◁▷☆ */
static const char ghost_ascii[8] = {'o', 'x', '*', '%', '&', '$', '=', '~'};
static const enum canvas_style layer_styles[8] = {CANVAS_SOLID,	  CANVAS_DASHED, CANVAS_DOTTED,
						  CANVAS_DASHDOT,  CANVAS_LONGDASH, CANVAS_SPARSE,
						  CANVAS_DASHED,   CANVAS_DOTTED};

static int view_cells(const char *s)
{
	int n = 0;
	for (const unsigned char *q = (const unsigned char *)s; *q; q++)
		n += (*q & 0xC0) != 0x80;
	return n;
}

static int ghost_index(const struct app *a, int i)
{
	return (i < a->active ? i : i - 1) % 8;
}

static enum canvas_style run_style(const struct app *a, int i)
{
	return i == a->active ? CANVAS_SOLID : ghost_styles[ghost_index(a, i)];
}

static uint32_t run_glyph(const struct app *a, int i)
{
	if (i == a->active)
		return GLYPH_CURRENT;
	return a->ascii ? (uint32_t)ghost_ascii[ghost_index(a, i)] : ghost_glyphs[ghost_index(a, i)];
}

static const struct syms utf8_syms = {"η", "α", "β", "ζ", "λ", "θ", "Δ", "‖", "", "×", "²"};
static const struct syms ascii_syms = {"eta", "alpha", "beta", "zeta", "lambda", "theta", "Delta", "|", "", "x", "^2"};

const struct syms *view_syms(const struct app *a)
{
	return a->ascii ? &ascii_syms : &utf8_syms;
}

/* Axis scaling of the misfit plot: X = distance·sx, Y = misfit·sy. */
struct scaling {
	double sx, sy;
	const char *xtitle, *ytitle;
};

static struct scaling misfit_scaling(const struct app *a, const struct run *r)
{
	const struct track *t = r->tr;
	double ahat = r->th->alpha_hat;
	bool ascii = a->ascii;
	struct scaling s = {1, 1, ascii ? "distance |theta-theta0|" : "distance ‖θ−θ0‖",
			    ascii ? "misfit |f(theta)-y|" : "misfit ‖f(θ)−y‖"};
	if (a->axis == AXIS_NORMALIZED && t->theta0_norm > 0 && t->r0 > 0) {
		s = (struct scaling){1 / t->theta0_norm, 1 / t->r0,
				     ascii ? "normalized distance |theta-theta0|/|theta0|"
					   : "normalized distance ‖θ−θ0‖/‖θ0‖",
				     ascii ? "normalized misfit |r|/r0" : "normalized misfit ‖r‖/r0"};
	} else if (a->axis == AXIS_SCALED && ahat > 0 && t->r0 > 0) {
		s = (struct scaling){ahat / t->r0, 1 / t->r0,
				     ascii ? "distance / (r0/alpha)" : "distance / (r0/α)",
				     ascii ? "misfit / r0" : "misfit / r0"};
	}
	return s;
}

static bool run_visible(const struct run *r)
{
	return r->status != RUN_DIVERGED || r->step > 0;
}

/* The largest finite distance any run reached (the diverged part excluded). */
static double max_distance(const struct app *a)
{
	double m = 0;
	for (int i = 0; i < a->nruns; i++) {
		const struct track *t = a->run[i]->tr;
		for (size_t j = 0; j < t->len; j++)
			if (isfinite(t->h[j].distance) && isfinite(t->h[j].residual) &&
			    t->h[j].residual <= 2 * t->r0)
				m = fmax(m, t->h[j].distance);
		if (isfinite(t->cur.distance) && t->cur.residual <= 2 * t->r0)
			m = fmax(m, t->cur.distance);
	}
	return m;
}

static void trajectory(struct plot *p, const struct run *r, double sx, double sy, int role,
		       enum canvas_style st)
{
	const struct track *t = r->tr;
	plot_pen_up(p);
	for (size_t j = 0; j < t->len; j++)
		plot_pen_to(p, t->h[j].distance * sx, t->h[j].residual * sy, role, st);
	if (t->measured == t->cur.step) /* else the misfit is from an earlier step */
		plot_pen_to(p, t->cur.distance * sx, t->cur.residual * sy, role, st);
}

/* Whether the runs shown differ in their optimizer (then each legend entry names it). */
static bool optimizers_differ(const struct app *a)
{
	for (int i = 1; i < a->nruns; i++)
		if (a->run[i]->cfg.ocfg.kind != a->run[0]->cfg.ocfg.kind)
			return true;
	return false;
}

/* A legend entry per run: its end glyph, its actual η (3 significant digits, as
 * everywhere), the fan's multiple, its optimizer when the runs differ in it, and its state:
 * running, paused, converged at step N, diverged at step N. */
static void run_label(const struct app *a, int i, char *buf, size_t len)
{
	const struct run *r = a->run[i];
	const struct syms *s = view_syms(a);
	const struct app_run *m = &a->meta[i];
	char who[64], fate[48], g[8];
	int o = snprintf(who, sizeof who, "%s=%.3g", s->eta, r->eta);
	if (m->fan_factor > 0) {
		static const char *const frac[] = {"¼", "½"};
		if (m->fan_factor < 1)
			o += snprintf(who + o, sizeof who - (size_t)o, " (%s%s)", s->times,
				      a->ascii ? (m->fan_factor < 0.3 ? "1/4" : "1/2")
					       : frac[m->fan_factor < 0.3 ? 0 : 1]);
		else
			o += snprintf(who + o, sizeof who - (size_t)o, " (%s%g)", s->times, m->fan_factor);
	}
	if (optimizers_differ(a))
		snprintf(who + o, sizeof who - (size_t)o, " %s", optim_name(r->cfg.ocfg.kind));
	if (r->status == RUN_DIVERGED)
		snprintf(fate, sizeof fate, "diverged at step %ld", r->status_step);
	else if (r->status == RUN_FAILED)
		snprintf(fate, sizeof fate, "failed at step %ld", r->status_step);
	else if (m->halted)
		snprintf(fate, sizeof fate, "diverged at step %ld", r->blowup_step);
	else if (m->converged_step >= 0)
		snprintf(fate, sizeof fate, "converged at step %ld", m->converged_step);
	else if (a->paused)
		snprintf(fate, sizeof fate, "paused at step %ld", r->step);
	else
		snprintf(fate, sizeof fate, "running");
	bool unstable = a->fan && isfinite(a->fan_threshold) && r->eta > a->fan_threshold;
	g[canvas_utf8_encode(run_glyph(a, i), g)] = '\0';
	snprintf(buf, len, "%s %s%s %s", g, who, unstable ? (a->ascii ? " >2/beta0^2" : " >2/β0²") : "",
		 fate);
}

/* The ζ̂ line of Thm 9.3: only where its conditions hold, and only when it differs from
 * the green line. */
static bool show_zeta(const struct theory *th)
{
	return th->verdict == TV_THM93 && th->zeta_hat > 0 && th->zeta_hat < th->alpha_hat * 0.999;
}

/* Entries no corner of their plot had room for go to `away` (shown beside the plots). */
void panel_legend_place(struct plot *p, const struct plot_legend_entry *e, int n,
			   struct panel_legend *away, bool shown)
{
	if (n <= 0 || !shown)
		return;
	if (plot_legend_auto(p, e, n) == 0 || away == NULL)
		return;
	for (int i = 0; i < n && away->n < PANEL_LEGEND_MAX; i++) {
		snprintf(away->text[away->n], sizeof away->text[away->n], "%s", e[i].text);
		away->role[away->n++] = e[i].role;
	}
}

void panel_misfit(struct canvas *c, const struct app *a, int x, int y, int w, int h,
		  struct panel_legend *away)
{
	const struct run *r = app_active(a);
	const struct theory *th = r->th;
	const struct syms *s = view_syms(a);
	struct scaling sc = misfit_scaling(a, r);
	double r0 = th->r0;
	struct plot p;
	plot_init(&p, c, x, y, w, h, 0);

	/* The whole wedge (to r0/α̂) when the path reaches a quarter of it; otherwise zoom on
	 * the path (at least 1.5 r0/β̂), which a wide wedge would squeeze into a few columns. */
	double dmax = theory_dist_max(th), dmin = theory_dist_min(th), far = max_distance(a);
	double reach = fmax(far, th->have_star ? th->star_dist : 0), xhi;
	if (isfinite(dmax) && reach >= dmax / 4)
		xhi = fmin(fmax(dmax, far), 4 * dmax);
	else
		xhi = fmax(3 * reach, isfinite(dmin) ? 1.5 * dmin : 1);
	xhi *= 1.06;
	if (!(xhi > 0))
		xhi = 1;
	plot_set_x(&p, 0, xhi * sc.sx, PLOT_LINEAR);
	plot_set_y(&p, 0, (r0 > 0 ? r0 : 1) * 1.06 * sc.sy, PLOT_LINEAR);
	plot_axes(&p, sc.xtitle, sc.ytitle);

	/* The bound lines misfit = r0 − c·distance become Y = sy·r0 − c·(sy/sx)·X. */
	double a0 = sc.sy * r0, k = sc.sy / sc.sx;
	/* The region and the green line are gradient descent's ([OS19] Fig. 1, (2.12)); the ζ̂
	 * line only where Thm 9.3's conditions hold at this η; the red line (2.15) holds for
	 * every θ, so every optimizer gets it. */
	bool gd = th->method == THEORY_GD, zeta = show_zeta(th);
	int label_rows = a->bounds ? 1 : 0;
	if (th->spectrum_off && p.aw > 30)
		canvas_text(c, p.ax + 2, p.ay + 1,
			    a->ascii ? "no bound lines: the spectrum of J is not computed"
				     : "no bound lines: J's spectrum is not computed", ROLE_MARK);
	if (a->bounds && !th->spectrum_off) {
		if (gd && th->alpha_hat > 0)
			plot_fill_between(&p, a0, -th->beta_hat * k, a0, -th->alpha_hat * k, ROLE_REGION);
		if (zeta)
			plot_line_ab(&p, a0, -th->zeta_hat * k, ROLE_ZETA_LINE, CANVAS_DOTTED);
		plot_line_ab(&p, a0, -th->beta_hat * k, ROLE_RED_LINE, CANVAS_DASHED);
		if (gd && th->alpha_hat > 0)
			plot_line_ab(&p, a0, -th->alpha_hat * k, ROLE_GREEN_LINE, CANVAS_SOLID);
		/* The marks' labels on the top row; θ*'s goes one row down when it would
		 * run into r0/β's or r0/α's (θ* is often just past r0/β). */
		char lb[32], la[32];
		const char *ls = a->ascii ? "theta*" : "θ*";
		snprintf(lb, sizeof lb, "r0/%s", s->beta);
		snprintf(la, sizeof la, "r0/%s", s->alpha);
		int xb = isfinite(dmin) ? plot_vmark_label_x(&p, dmin * sc.sx, lb) : -1;
		int xa = isfinite(dmax) ? plot_vmark_label_x(&p, dmax * sc.sx, la) : -1;
		if (xb >= 0)
			plot_vmark(&p, dmin * sc.sx, ROLE_MARK, lb);
		if (gd && xa >= 0)
			plot_vmark(&p, dmax * sc.sx, ROLE_MARK, la);
		if (th->have_star) {
			int xs = plot_vmark_label_x(&p, th->star_dist * sc.sx, ls);
			int ns = view_cells(ls);
			bool hit = (xb >= 0 && xs < xb + view_cells(lb) + 1 && xb < xs + ns + 1) ||
				   (xa >= 0 && xs < xa + view_cells(la) + 1 && xa < xs + ns + 1);
			label_rows = hit ? 2 : 1;
			plot_vmark_row(&p, th->star_dist * sc.sx, ROLE_MARK, ls, hit ? 1 : 0);
		}
	}
	for (int i = 0; i < a->nruns; i++)
		if (i != a->active && run_visible(a->run[i]))
			trajectory(&p, a->run[i], sc.sx, sc.sy, app_run_role(a, i), run_style(a, i));
	trajectory(&p, r, sc.sx, sc.sy, ROLE_TRAJECTORY, CANVAS_SOLID);
	for (int i = 0; i < a->nruns; i++) {
		const struct track_point *pt = app_view_point(a, i); /* the cursor's, or the current */
		bool act = i == a->active;
		const struct track *t = a->run[i]->tr;
		if (a->cursor < 0 && t->measured != t->cur.step)
			continue; /* its misfit is not measured at this step (--measure-every) */
		plot_point(&p, pt->distance * sc.sx, pt->residual * sc.sy, run_glyph(a, i),
			   act ? ROLE_CURRENT : app_run_role(a, i));
	}

	/* Legend: the runs when there are several, else what the lines mean. */
	struct plot_legend_entry e[APP_MAX_RUNS + 1];
	char text[APP_MAX_RUNS][160];
	int n = 0;
	if (a->nruns > 1) {
		for (int i = 0; i < a->nruns; i++) {
			run_label(a, i, text[i], sizeof text[i]);
			e[n++] = (struct plot_legend_entry){PLOT_LEGEND_LINE, app_run_role(a, i),
							     run_style(a, i), 0, text[i]};
		}
	} else if (a->bounds && !th->spectrum_off) {
		static char g[48], rr[48], z[48];
		snprintf(g, sizeof g, "r0 - %s%s d  %s", s->alpha, s->hat, theory_overlay(OV_GREEN)->legend);
		snprintf(rr, sizeof rr, "r0 - %s%s d  %s", s->beta, s->hat, theory_overlay(OV_RED)->legend);
		snprintf(z, sizeof z, "r0 - %s%s d  %s", s->zeta, s->hat, theory_overlay(OV_ZETA)->legend);
		if (gd && th->alpha_hat > 0)
			e[n++] = (struct plot_legend_entry){PLOT_LEGEND_LINE, ROLE_GREEN_LINE, CANVAS_SOLID, 0, g};
		e[n++] = (struct plot_legend_entry){PLOT_LEGEND_LINE, ROLE_RED_LINE, CANVAS_DASHED, 0, rr};
		if (zeta)
			e[n++] = (struct plot_legend_entry){PLOT_LEGEND_LINE, ROLE_ZETA_LINE, CANVAS_DOTTED,
							     0, z};
		e[n++] = (struct plot_legend_entry){PLOT_LEGEND_MARKER, ROLE_CURRENT, 0, GLYPH_CURRENT,
						     "current"};
	}
	/* In an empty corner (above the green line, far from θ0, is where converging iterates
	 * never go), below the marks' labels; else beside the plots. */
	struct plot below = p;
	below.ay += label_rows;
	below.ah -= label_rows;
	panel_legend_place(&below, e, n, away, a->legends);
}

void panel_loss(struct canvas *c, const struct app *a, int x, int y, int w, int h,
		struct panel_legend *away)
{
	if (panel_classes_wanted(a)) {
		panel_classes(c, a, x, y, w, h, away);
		return;
	}
	const struct run *act = app_active(a);
	struct plot p;
	plot_init(&p, c, x, y, w, h, 0);
	enum plot_scale ys = a->loss_log ? PLOT_LOG : PLOT_LINEAR;
	enum plot_scale xs = a->step_log ? PLOT_LOG : PLOT_LINEAR;
	long smax = 10;
	struct plot_range yr;
	plot_range_init(&yr);
	for (int i = 0; i < a->nruns; i++) {
		const struct track *t = a->run[i]->tr;
		smax = t->cur.step > smax ? t->cur.step : smax;
		for (size_t j = 0; j < t->len; j++)
			if (t->h[j].loss <= 1e6 * t->h[0].loss)
				plot_range_value(&yr, t->h[j].loss, ys);
		if (t->cur.loss <= 1e6 * t->h[0].loss)
			plot_range_value(&yr, t->cur.loss, ys);
	}
	double lo, hi;
	plot_range_get(&yr, ys, 0.05, &lo, &hi);
	if (ys == PLOT_LINEAR)
		lo = 0;
	plot_set_x(&p, xs == PLOT_LOG ? 1 : 0, (double)smax, xs);
	plot_set_y(&p, lo, hi, ys);
	plot_axes(&p, "step", a->ascii ? "loss |r|^2/2" : "loss ½‖r‖²");

	/* Each envelope a theorem states for this optimizer, piecewise in the η in force at
	 * each step (the tracker's marks), drawn as loss ½‖r‖². */
	const struct theory *th = act->th;
	const struct track *et = act->tr;
	struct plot_legend_entry le[TE_COUNT];
	int nle = 0;
	for (int kind = 0; a->bounds && kind < TE_COUNT; kind++) {
		if (!theory_envelope_applies(th, kind))
			continue;
		int samples = p.aw * 2 > 8 ? p.aw * 2 : 8;
		double x0 = xs == PLOT_LOG ? 1 : 0;
		int role = kind == TE_92 || kind == TE_DU_FLOW ? ROLE_ZETA_LINE : ROLE_ENVELOPE;
		enum canvas_style st = plot_role_style(role);
		plot_pen_up(&p);
		for (int k = 0; k <= samples; k++) {
			double tau = xs == PLOT_LOG ? pow((double)smax, (double)k / samples)
						    : x0 + (smax - x0) * (double)k / samples;
			double env = theory_envelope_at(th, kind, et->mark_step, et->mark_eta, et->nmarks, tau);
			plot_pen_to(&p, tau, 0.5 * env * env, role, st);
		}
		le[nle++] = (struct plot_legend_entry){PLOT_LEGEND_LINE, role, st, 0,
							theory_envelope_source(kind)};
	}
	const struct track *t = act->tr;
	if (a->cursor >= 0) {
		const struct track_point *cp = app_view_point(a, a->active);
		plot_vmark(&p, (double)cp->step, ROLE_CURRENT, a->ascii ? "cursor" : "◆ cursor");
		plot_point(&p, (double)cp->step, cp->loss, GLYPH_CURRENT, ROLE_CURRENT);
	}
	for (size_t k = 1; k < t->nmarks; k++)
		plot_vmark(&p, (double)t->mark_step[k], ROLE_MARK,
			   k + 1 == t->nmarks ? (a->ascii ? "eta" : "η") : NULL);
	bool labelled = false;
	for (int i = 0; i < a->nruns; i++) {
		int idx = i == a->nruns - 1 ? a->active : (i >= a->active ? i + 1 : i);
		const struct run *r = a->run[idx];
		const struct track *rt = r->tr;
		int role = app_run_role(a, idx);
		plot_pen_up(&p);
		for (size_t j = 0; j < rt->len; j++)
			plot_pen_to(&p, (double)rt->h[j].step, rt->h[j].loss, role, run_style(a, idx));
		plot_pen_to(&p, (double)rt->cur.step, rt->cur.loss, role, run_style(a, idx));
		/* one "diverged" label: several side by side would run into each other */
		if (r->status == RUN_DIVERGED || a->meta[idx].halted) {
			plot_vmark(&p, (double)(r->status == RUN_DIVERGED ? r->status_step : r->blowup_step),
				   ROLE_WARNING, labelled ? NULL : "diverged");
			labelled = true;
		}
	}
	/* Every envelope names its source, in an empty corner (else beside the plots). */
	panel_legend_place(&p, le, nle, away, a->legends);
}

void panel_layers(struct canvas *c, const struct app *a, int x, int y, int w, int h,
		  struct panel_legend *away)
{
	const struct run *r = app_active(a);
	const struct track *t = r->tr;
	size_t nl = t->nlayers;
	struct plot p;
	plot_init(&p, c, x, y, w, h, 0);
	double ymax = 0;
	for (size_t l = 0; l < nl; l++) {
		if (!(t->l0norm[l] > 0))
			continue;
		for (size_t j = 0; j < t->len; j++)
			ymax = fmax(ymax, t->h_ldist[j * nl + l] / t->l0norm[l]);
		if (t->measured == t->cur.step)
			ymax = fmax(ymax, t->ldist[l] / t->l0norm[l]);
	}
	if (!(ymax > 0) || !isfinite(ymax))
		ymax = 0.1;
	plot_set_x(&p, 0, 1.02, PLOT_LINEAR);
	if (a->band)
		for (size_t l = 0; l < nl; l++) {
			int k = band_layer(a->band, r->m->layer[l].name);
			for (size_t g = 0; k >= 0 && g < BAND_GRID; g++)
				if (isfinite(a->band->mean[k][g]))
					ymax = fmax(ymax, a->band->mean[k][g] +
							      2 * (isfinite(a->band->sd[k][g]) ? a->band->sd[k][g] : 0));
		}
	plot_set_y(&p, 0, ymax * 1.08, PLOT_LINEAR);
	plot_axes(&p, a->ascii ? "normalized misfit |r|/r0" : "normalized misfit ‖r‖/r0",
		  a->ascii ? "layer distance |W-W0|/|W0|" : "layer distance ‖W−W0‖/‖W0‖");
	/* --band: the realizations' mean (dashed) and mean ± 2 sd (dotted), per layer */
	for (size_t l = 0; a->band && l < nl; l++) {
		int k = band_layer(a->band, r->m->layer[l].name), role = ROLE_LAYER1 + (int)(l % 8);
		for (int q = -2; k >= 0 && q <= 2; q += 2) {
			plot_pen_up(&p);
			for (size_t g = 0; g < BAND_GRID; g++) {
				double m = a->band->mean[k][g], sd = a->band->sd[k][g];
				if (!isfinite(m) || (q != 0 && !isfinite(sd))) {
					plot_pen_up(&p);
					continue;
				}
				plot_pen_to(&p, band_grid(g), m + q * (q ? sd : 0), role,
					    q ? CANVAS_DOTTED : CANVAS_DASHED);
			}
		}
	}
	struct plot_legend_entry e[MODEL_MAX_LAYERS];
	int n = 0;
	for (size_t l = 0; l < nl; l++) {
		int role = ROLE_LAYER1 + (int)(l % 8);
		if (!(t->l0norm[l] > 0) || !(t->r0 > 0))
			continue;
		plot_pen_up(&p);
		for (size_t j = 0; j < t->len; j++)
			plot_pen_to(&p, t->h[j].residual / t->r0, t->h_ldist[j * nl + l] / t->l0norm[l],
				    role, layer_styles[l % 8]);
		if (t->measured == t->cur.step)
			plot_pen_to(&p, t->cur.residual / t->r0, t->ldist[l] / t->l0norm[l], role,
				    layer_styles[l % 8]);
		e[n++] = (struct plot_legend_entry){PLOT_LEGEND_LINE, role, layer_styles[l % 8], 0,
						     r->m->layer[l].name};
	}
	if (n == 0)
		canvas_text(c, p.ax + 1, p.ay + 1,
			    a->ascii ? "theta0 = 0: no normalized distance" : "θ0 = 0: no normalized distance",
			    ROLE_TEXT);
	else
		panel_legend_place(&p, e, n, away, a->legends);
}
