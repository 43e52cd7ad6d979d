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
#define GLYPH_GHOST 0x25CB   /* ○ */

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

static void trajectory(struct plot *p, const struct run *r, double sx, double sy, int role)
{
	const struct track *t = r->tr;
	plot_pen_up(p);
	for (size_t j = 0; j < t->len; j++)
		plot_pen_to(p, t->h[j].distance * sx, t->h[j].residual * sy, role, CANVAS_SOLID);
	if (t->measured == t->cur.step) /* else the misfit is from an earlier step */
		plot_pen_to(p, t->cur.distance * sx, t->cur.residual * sy, role, CANVAS_SOLID);
}

/* A legend line per run when several are shown: η multiple or run number, and fate. */
static void run_label(const struct app *a, int i, char *buf, size_t len)
{
	const struct run *r = a->run[i];
	const struct syms *s = view_syms(a);
	const struct app_run *m = &a->meta[i];
	char who[32], fate[48];
	static const char *const frac[] = {"¼", "½"};
	if (m->fan_factor > 0) {
		if (m->fan_factor < 1 && !a->ascii)
			snprintf(who, sizeof who, "%s×%s", s->eta, frac[m->fan_factor < 0.3 ? 0 : 1]);
		else if (m->fan_factor < 1)
			snprintf(who, sizeof who, "etax%s", m->fan_factor < 0.3 ? "1/4" : "1/2");
		else
			snprintf(who, sizeof who, "%s%s%g", s->eta, a->ascii ? "x" : "×", m->fan_factor);
	} else {
		snprintf(who, sizeof who, "run %d %s=%.3g", i + 1, s->eta, r->eta);
	}
	if (r->status == RUN_DIVERGED)
		snprintf(fate, sizeof fate, "diverged at step %ld", r->status_step);
	else if (r->status == RUN_FAILED)
		snprintf(fate, sizeof fate, "failed at step %ld", r->status_step);
	else if (m->halted)
		snprintf(fate, sizeof fate, "diverged at step %ld", r->blowup_step);
	else if (m->converged_step >= 0)
		snprintf(fate, sizeof fate, "converged at step %ld", m->converged_step);
	else
		snprintf(fate, sizeof fate, "running");
	bool unstable = a->fan && isfinite(a->fan_threshold) && r->eta > a->fan_threshold;
	snprintf(buf, len, "%s%s %s", who, unstable ? (a->ascii ? " >2/beta0^2" : " >2/β0²") : "",
		 fate);
}

void panel_misfit(struct canvas *c, const struct app *a, int x, int y, int w, int h)
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
	if (th->spectrum_off && p.aw > 30)
		canvas_text(c, p.ax + 2, p.ay + 1,
			    a->ascii ? "no bound lines: the spectrum of J is not computed"
				     : "no bound lines: J's spectrum is not computed", ROLE_MARK);
	if (a->bounds && !th->spectrum_off) {
		if (th->alpha_hat > 0)
			plot_fill_between(&p, a0, -th->beta_hat * k, a0, -th->alpha_hat * k, ROLE_REGION);
		if (th->zeta_hat > 0 && th->zeta_hat < th->alpha_hat * 0.999)
			plot_line_ab(&p, a0, -th->zeta_hat * k, ROLE_ZETA_LINE, CANVAS_DOTTED);
		plot_line_ab(&p, a0, -th->beta_hat * k, ROLE_RED_LINE, CANVAS_DASHED);
		if (th->alpha_hat > 0)
			plot_line_ab(&p, a0, -th->alpha_hat * k, ROLE_GREEN_LINE, CANVAS_SOLID);
		char lb[32];
		snprintf(lb, sizeof lb, "r0/%s", s->beta);
		if (isfinite(dmin))
			plot_vmark(&p, dmin * sc.sx, ROLE_MARK, lb);
		snprintf(lb, sizeof lb, "r0/%s", s->alpha);
		if (isfinite(dmax))
			plot_vmark(&p, dmax * sc.sx, ROLE_MARK, lb);
		if (th->have_star)
			plot_vmark(&p, th->star_dist * sc.sx, ROLE_MARK, a->ascii ? "theta*" : "θ*");
	}
	for (int i = 0; i < a->nruns; i++)
		if (i != a->active && run_visible(a->run[i]))
			trajectory(&p, a->run[i], sc.sx, sc.sy, app_run_role(a, i));
	trajectory(&p, r, sc.sx, sc.sy, ROLE_TRAJECTORY);
	for (int i = 0; i < a->nruns; i++) {
		const struct track *t = a->run[i]->tr;
		bool act = i == a->active;
		if (t->measured != t->cur.step)
			continue;
		plot_point(&p, t->cur.distance * sc.sx, t->cur.residual * sc.sy,
			   act ? GLYPH_CURRENT : GLYPH_GHOST, act ? ROLE_CURRENT : app_run_role(a, i));
	}

	/* Legend: the runs when there are several, else what the lines mean. */
	struct plot_legend_entry e[APP_MAX_RUNS + 1];
	char text[APP_MAX_RUNS][96];
	int n = 0;
	if (a->nruns > 1) {
		for (int i = 0; i < a->nruns; i++) {
			run_label(a, i, text[i], sizeof text[i]);
			e[n++] = (struct plot_legend_entry){PLOT_LEGEND_LINE, app_run_role(a, i),
							     CANVAS_SOLID, 0, text[i]};
		}
	} else if (a->bounds && !th->spectrum_off && p.aw >= 36 && p.ah >= 10) {
		static char g[48], rr[48], z[48];
		snprintf(g, sizeof g, "r0 - %s%s d  (2.12)", s->alpha, s->hat);
		snprintf(rr, sizeof rr, "r0 - %s%s d  (2.15)", s->beta, s->hat);
		snprintf(z, sizeof z, "r0 - %s%s d  (Thm 9.3)", s->zeta, s->hat);
		e[n++] = (struct plot_legend_entry){PLOT_LEGEND_LINE, ROLE_GREEN_LINE, CANVAS_SOLID, 0, g};
		e[n++] = (struct plot_legend_entry){PLOT_LEGEND_LINE, ROLE_RED_LINE, CANVAS_DASHED, 0, rr};
		if (th->zeta_hat > 0 && th->zeta_hat < th->alpha_hat * 0.999)
			e[n++] = (struct plot_legend_entry){PLOT_LEGEND_LINE, ROLE_ZETA_LINE, CANVAS_DOTTED,
							     0, z};
		e[n++] = (struct plot_legend_entry){PLOT_LEGEND_MARKER, ROLE_CURRENT, 0, GLYPH_CURRENT,
						     "current"};
	}
	/* Above the green line, far from θ0, is where converging iterates never go: the
	 * legend's corner. */
	if (n > 0) {
		struct plot below = p; /* the top row keeps the marks' labels */
		below.ay++;
		below.ah--;
		plot_legend(&below, e, n, PLOT_NE);
	}
}

void panel_loss(struct canvas *c, const struct app *a, int x, int y, int w, int h)
{
	if (panel_classes_wanted(a)) {
		panel_classes(c, a, x, y, w, h);
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

	const struct theory *th = act->th;
	if (a->bounds && th->alpha_hat > 0) {
		/* (2.3): ‖r_τ‖ ≤ (1 − ηα̂²/2)^{τ/2} r0 (SGD: Thm 3.1), drawn as loss ½‖r‖². */
		int samples = p.aw * 2 > 8 ? p.aw * 2 : 8;
		double x0 = xs == PLOT_LOG ? 1 : 0;
		plot_pen_up(&p);
		for (int k = 0; k <= samples; k++) {
			double tau = xs == PLOT_LOG ? pow((double)smax, (double)k / samples)
						    : x0 + (smax - x0) * (double)k / samples;
			double env = act->cfg.ocfg.kind == OPT_SGD ? theory_envelope_sgd(th, act->eta, tau)
								   : theory_envelope(th, act->eta, tau);
			plot_pen_to(&p, tau, 0.5 * env * env, ROLE_ENVELOPE, CANVAS_DASHED);
		}
	}
	const struct track *t = act->tr;
	for (size_t k = 1; k < t->nmarks; k++)
		plot_vmark(&p, (double)t->mark_step[k], ROLE_MARK,
			   k + 1 == t->nmarks ? (a->ascii ? "eta" : "η") : NULL);
	for (int i = 0; i < a->nruns; i++) {
		int idx = i == a->nruns - 1 ? a->active : (i >= a->active ? i + 1 : i);
		const struct run *r = a->run[idx];
		const struct track *rt = r->tr;
		int role = app_run_role(a, idx);
		plot_pen_up(&p);
		for (size_t j = 0; j < rt->len; j++)
			plot_pen_to(&p, (double)rt->h[j].step, rt->h[j].loss, role, CANVAS_SOLID);
		plot_pen_to(&p, (double)rt->cur.step, rt->cur.loss, role, CANVAS_SOLID);
		if (r->status == RUN_DIVERGED)
			plot_vmark(&p, (double)r->status_step, ROLE_WARNING, "diverged");
		else if (a->meta[idx].halted)
			plot_vmark(&p, (double)r->blowup_step, ROLE_WARNING, "diverged");
	}
}

void panel_layers(struct canvas *c, const struct app *a, int x, int y, int w, int h)
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
				    role, CANVAS_SOLID);
		if (t->measured == t->cur.step)
			plot_pen_to(&p, t->cur.residual / t->r0, t->ldist[l] / t->l0norm[l], role,
				    CANVAS_SOLID);
		e[n++] = (struct plot_legend_entry){PLOT_LEGEND_LINE, role, CANVAS_SOLID, 0,
						     r->m->layer[l].name};
	}
	if (n == 0)
		canvas_text(c, p.ax + 1, p.ay + 1,
			    a->ascii ? "theta0 = 0: no normalized distance" : "θ0 = 0: no normalized distance",
			    ROLE_TEXT);
	else if (p.aw >= 16 && p.ah >= 4)
		/* the paths run from (1, 0) up and to the left: low misfit at small distance
		 * (the bottom left) is where no path goes once the layers start to move */
		plot_legend(&p, e, n, t->measured > 0 && r->measure_every > 1 ? PLOT_SW : PLOT_NW);
}
