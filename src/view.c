/* view.c — the screen as a whole: which panels fit, the model panel's text, the status
 * lines, the help overlay and the too-small message (SPEC §6). Reads the app; draws on a
 * canvas; no curses. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gdpath/act.h"
#include "gdpath/app.h"
#include "gdpath/canvas.h"
#include "gdpath/data.h"
#include "gdpath/keymap.h"
#include "gdpath/layout.h"
#include "gdpath/panel.h"
#include "gdpath/run.h"
#include "gdpath/theory.h"
#include "gdpath/track.h"
#include "gdpath/view.h"

/* Cells a UTF-8 string takes (one per code point). */
static int cells_of(const char *s)
{
	int n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		n += (*p & 0xC0) != 0x80;
	return n;
}

/* Text in at most w cells (UTF-8 aware); a cut is shown with "…", never as a number
 * that silently lost its last digits. Returns the cells used. */
static int text_w(struct canvas *c, int x, int y, int w, int role, const char *s)
{
	char buf[512];
	size_t o = 0;
	int cells = 0, need = cells_of(s);
	if (w <= 0)
		return 0;
	int keep = need > w ? w - 1 : w;
	for (const unsigned char *p = (const unsigned char *)s; *p && o + 8 < sizeof buf; p++) {
		if ((*p & 0xC0) != 0x80) {
			if (cells == keep)
				break;
			cells++;
		}
		buf[o++] = (char)*p;
	}
	if (need > w) {
		memcpy(buf + o, "…", 3);
		o += 3;
		cells++;
	}
	buf[o] = '\0';
	canvas_text(c, x, y, buf, role);
	return cells;
}

/* %.3g, or "n/a" for undefined values. */
static const char *num(double v, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "n/a");
	else if (isinf(v))
		snprintf(buf, len, v > 0 ? "inf" : "-inf");
	else
		snprintf(buf, len, "%.3g", v);
	return buf;
}

static void too_small(struct canvas *c, int w, int h)
{
	char need[64];
	snprintf(need, sizeof need, "need at least %dx%d, have %dx%d", VIEW_MIN_COLS, VIEW_MIN_ROWS,
		 w, h);
	const char *msg = "Terminal too small";
	int y = h / 2 - 1;
	if (y < 0)
		y = 0;
	int x1 = (w - (int)strlen(msg)) / 2, x2 = (w - (int)strlen(need)) / 2;
	text_w(c, x1 > 0 ? x1 : 0, y, w, ROLE_WARNING, msg);
	if (y + 1 < h)
		text_w(c, x2 > 0 ? x2 : 0, y + 1, w, ROLE_TEXT, need);
}

static void model_line(const struct run *r, char *buf, size_t len)
{
	const struct model *m = r->m;
	const struct model_cfg *mc = &m->cfg;
	int o = snprintf(buf, len, "model %s", m->ops->name);
	if (m->ops->has_act && m->ops != &model_glm_ops)
		o += snprintf(buf + o, len - (size_t)o, " %s", act_name(mc->act));
	o += snprintf(buf + o, len - (size_t)o, "  n=%zu d=%zu", m->n, mc->d);
	if (m->ops == &model_shallow_ops || m->ops == &model_du_ops || m->ops == &model_mlp_ops)
		o += snprintf(buf + o, len - (size_t)o, " %s=%zu", m->ops == &model_du_ops ? "m" : "k",
			      mc->k);
	if (m->ops == &model_lowrank_ops)
		o += snprintf(buf + o, len - (size_t)o, " r=%zu", mc->r);
	if (m->ops == &model_mlp_ops)
		o += snprintf(buf + o, len - (size_t)o, " depth=%zu", mc->depth);
	snprintf(buf + o, len - (size_t)o, "  p=%zu p/n=%.3g", m->p, (double)m->p / (double)m->n);
}

/* The η·β² gauge as "η·β²=0.5", flagged when GD on the local quadratic is unstable. */
static bool unstable(const struct run *r)
{
	return theory_eta_beta2(r->th, r->eta) > 2;
}

/* Panel 4: what the model and the theory say, as whole items by priority (layout.h):
 * 0 = what the lesson needs at 80×24 (misfit, path, distance, directness, the ratio to θ*
 * or the bound on it, η, η·β², ζ or why there is none), then the rest. */
static void panel_info(struct canvas *c, const struct app *a, int x, int y, int w, int h,
		       bool with_layers, const struct panel_legend *away)
{
	const struct run *r = app_active(a);
	const struct theory *th = r->th;
	const struct track *t = r->tr;
	const struct track_point *pt = app_view_point(a, a->active); /* cursor or current */
	const struct syms *s = view_syms(a);
	const char *dot = a->ascii ? "*" : "·", *le = a->ascii ? "<=" : "≤";
	char b1[32], b2[32], b3[32], b4[32];
	struct llist l;
	struct litem *it;
	canvas_erase(c, x, y, w, h);
	llist_init(&l);

	/* legends that found no empty corner in their plot: here, runs first */
	for (int i = 0; away && i < away->n; i++) {
		bool run = away->role[i] >= ROLE_GHOST1 || away->role[i] == ROLE_TRAJECTORY;
		if (!run)
			continue; /* the lines' legend comes last */
		/* the runs' legend is what a fan or a fork is about: first; its brief form drops
		 * the fan's multiple */
		it = llist_add(&l, 0, away->role[i], "%s", away->text[i]);
		const char *par = strstr(away->text[i], " ("), *end = par ? strchr(par, ')') : NULL;
		if (par && end)
			llist_brief(it, "%.*s%s", (int)(par - away->text[i]), away->text[i], end + 1);
		llist_break(&l);
	}
	char ml[160];
	model_line(r, ml, sizeof ml);
	it = llist_add(&l, 3, ROLE_TITLE, "%s", ml);
	llist_brief(it, "model %s  n=%zu p=%zu", r->m->ops->name, r->m->n, r->m->p);
	llist_break(&l);
	/* Model-specific quantities. */
	if (r->m->ops == &model_du_ops && r->nextras >= 4) {
		it = llist_add(&l, 1, ROLE_TEXT, "%smin(H(k)) = %s%s = %s", s->lambda, s->alpha, s->sq,
			       num(th->alpha * th->alpha, b1, sizeof b1));
		llist_brief(it, "%smin(H)=%s", s->lambda, b1);
		llist_add(&l, 2, ROLE_TEXT, "%s0 = %s", s->lambda, num(r->extras[3], b2, sizeof b2));
		llist_break(&l);
		it = llist_add(&l, 1, ROLE_TEXT, "flipped patterns %s%%",
			       num(100 * r->extras[0], b1, sizeof b1));
		llist_brief(it, "flipped %s%%", b1);
		it = llist_add(&l, 1, ROLE_TEXT, "max move %s vs R' = %s", num(r->extras[1], b2, sizeof b2),
			       num(r->extras[2], b3, sizeof b3));
		llist_brief(it, "move %s/R' %s", b2, b3);
		llist_break(&l);
	} else if (r->m->ops == &model_lowrank_ops && r->nextras > 0) {
		char sv[LAYOUT_TEXT_MAX - 32];
		int o = 0;
		sv[0] = '\0';
		for (size_t i = 0; i < r->nextras && o < (int)sizeof sv - 12; i++)
			o += snprintf(sv + o, sizeof sv - (size_t)o, " %s", num(r->extras[i], b1, sizeof b1));
		it = llist_add(&l, 1, ROLE_TEXT, "singular values of %s:%s", a->ascii ? "Theta" : "Θ", sv);
		llist_brief(it, "%s(%s):%s", a->ascii ? "sv" : "σ", a->ascii ? "Theta" : "Θ", sv);
		llist_break(&l);
	}
	if (a->fan) {
		it = llist_add(&l, 1, ROLE_MARK, "2/%s0%s=%s: %s above it is unstable", s->beta, s->sq,
			       num(a->fan_threshold, b1, sizeof b1), s->eta);
		llist_brief(it, "2/%s0%s=%s (unstable above)", s->beta, s->sq, b1);
		llist_break(&l);
	}
	it = llist_add(&l, 0, ROLE_TEXT, "misfit %s = %s r0", num(pt->residual, b1, sizeof b1),
		       num(track_nresidual(t, pt->residual), b2, sizeof b2));
	llist_brief(it, "misfit %s", b1);
	llist_add(&l, 3, ROLE_TEXT, "r0 %s", num(th->r0, b3, sizeof b3));
	llist_break(&l);
	llist_add(&l, 0, ROLE_TEXT, "path %s", num(pt->path, b1, sizeof b1));
	it = llist_add(&l, 0, ROLE_TEXT, "distance %s", num(pt->distance, b2, sizeof b2));
	llist_brief(it, "dist %s", b2);
	llist_add(&l, 0, ROLE_TEXT, "directness %s",
		  num(pt->distance > 0 ? pt->path / pt->distance : NAN, b3, sizeof b3));
	llist_break(&l);
	if (th->have_star) {
		it = llist_add(&l, 0, ROLE_TEXT, "distance/%s%s*-%s0%s %s", s->norm, s->theta, s->theta,
			       s->norm, num(pt->distance / th->star_dist, b1, sizeof b1));
		llist_brief(it, "ratio to %s* %s", s->theta, b1);
		llist_add(&l, 2, ROLE_TEXT, "%s%s*-%s0%s=%s", s->norm, s->theta, s->theta, s->norm,
			  num(th->star_dist, b2, sizeof b2));
		llist_add(&l, 4, ROLE_TEXT, "%s%s-%s*%s=%s", s->norm, s->theta, s->theta, s->norm,
			  num(theory_star_gap(th, r->theta), b3, sizeof b3));
	} else {
		it = llist_add(&l, 0, ROLE_TEXT, "r0/%s=%s %s %s%s*-%s0%s (closest optimum)", s->beta,
			       num(theory_dist_min(th), b1, sizeof b1), le, s->norm, s->theta, s->theta,
			       s->norm);
		llist_brief(it, "r0/%s=%s %s %s%s*-%s0%s", s->beta, b1, le, s->norm, s->theta, s->theta,
			    s->norm);
	}
	llist_break(&l);
	if (a->cursor >= 0)
		llist_add(&l, 0, ROLE_CURRENT, "at step %ld (cursor)", pt->step);
	llist_add(&l, 0, ROLE_TEXT, "%s=%s", s->eta, num(pt->eta, b1, sizeof b1));
	it = llist_add(&l, 0, unstable(r) ? ROLE_WARNING : ROLE_TEXT, "%s%s%s=%s%s", s->eta, dot,
		       a->ascii ? "beta^2" : "β²", num(theory_eta_beta2(th, pt->eta), b2, sizeof b2),
		       unstable(r) ? " > 2: unstable" : "");
	if (unstable(r))
		llist_brief(it, "%s%s%s=%s>2", s->eta, dot, a->ascii ? "beta^2" : "β²", b2);
	it = llist_add(&l, 2, ROLE_TEXT, "%s/%s_theory=%s", s->eta, s->eta,
		       num(theory_eta_ratio(th, r->eta), b3, sizeof b3));
	llist_brief(it, "%s/%s_th=%s", s->eta, s->eta, b3);
	llist_break(&l);
	double zeta = a->cursor >= 0 ? pt->zeta : th->zeta_hat;
	if (th->no_guarantee)
		it = llist_add(&l, 0, ROLE_WARNING, "no %s: %s = 0, no guarantee", s->zeta, s->alpha);
	else if (isnan(zeta))
		it = llist_add(&l, 0, ROLE_TEXT, "%s not measured yet", s->zeta);
	else if (!(zeta > 0))
		it = llist_add(&l, 0, ROLE_WARNING, "%s=%s %s 0: no guarantee at this %s", s->zeta,
			       num(zeta, b1, sizeof b1), le, s->eta);
	else
		it = llist_add(&l, 0, ROLE_TEXT, "%s=%s (Thm 9.3)", s->zeta, num(zeta, b1, sizeof b1));
	if (th->no_guarantee)
		llist_brief(it, "no %s (%s=0)", s->zeta, s->alpha);
	else if (isnan(zeta))
		llist_brief(it, "%s: not yet", s->zeta);
	else if (!(zeta > 0))
		llist_brief(it, "%s%s0: none", s->zeta, le);
	else
		llist_brief(it, "%s=%s", s->zeta, b1);
	llist_add(&l, 3, ROLE_TEXT, "%s=%s", s->lambda, num(th->lambda_hat, b2, sizeof b2));
	if (r->cfg.ocfg.kind == OPT_GD && a->cursor >= 0 && pt->outside >= 0)
		it = llist_add(&l, 1, ROLE_TEXT, "outside %ld by then", pt->outside);
	else if (r->cfg.ocfg.kind == OPT_GD)
		it = llist_add(&l, 1, ROLE_TEXT, "outside %ld of %ld", th->outside, th->checked);
	else
		it = llist_add(&l, 1, ROLE_TEXT, "outside: gd only");
	llist_break(&l);
	it = llist_add(&l, 1, th->no_guarantee ? ROLE_WARNING : ROLE_TEXT, "%s=%s %s=%s (min, max on the path)",
		       s->alpha, num(th->alpha_hat, b1, sizeof b1), s->beta, num(th->beta_hat, b2, sizeof b2));
	llist_brief(it, "%s=%s %s=%s", s->alpha, b1, s->beta, b2);
	llist_add(&l, 5, ROLE_TEXT, "%s0=%s %s0=%s", s->alpha, num(th->alpha0, b3, sizeof b3), s->beta,
		  num(th->beta0, b4, sizeof b4));
	llist_break(&l);
	if (with_layers && t->nlayers > 1) {
		for (size_t k = 0; k < t->nlayers; k++) {
			double ld = t->ldist[k], lp = t->lpath[k];
			it = llist_add(&l, 2, ROLE_LAYER1 + (int)(k % 8),
				       "%-6s dist %s (%s)  path %s  directness %s", r->m->layer[k].name,
				       num(ld, b1, sizeof b1),
				       num(track_layer_ndistance(t, k, ld), b2, sizeof b2),
				       num(lp, b3, sizeof b3), num(ld > 0 ? lp / ld : NAN, b4, sizeof b4));
			llist_brief(it, "%s dist %s path %s dir %s", r->m->layer[k].name, b1, b3, b4);
			llist_break(&l);
		}
	}
	/* the path against 4r0/α̂ (2.5), as a bar that fits its row */
	double bound = theory_path_bound_thm21(th), bz = theory_path_bound_zeta(th);
	if (isfinite(bound) && bound > 0 && w >= 24) {
		bool sure = theory_thm22(th) == THM22_HOLDS; /* (2.5) needs Thm 2.2's condition */
		double f = fmin(1, pt->path / bound);
		char tail[32];
		snprintf(tail, sizeof tail, " %3.0f%%%s", 100 * f, sure ? "" : " (not guaranteed)");
		int bw = w - layout_cells("path/bound ") - layout_cells(tail);
		if (bw > 40)
			bw = 40;
		if (bw >= 5) {
			char bar[40 * 3 + 1];
			size_t o = 0;
			int fill = (int)lround(f * bw);
			for (int i = 0; i < bw; i++) {
				const char *g = i < fill ? (a->ascii ? "#" : "█") : (a->ascii ? "." : "░");
				size_t gl = strlen(g);
				memcpy(bar + o, g, gl);
				o += gl;
			}
			bar[o] = '\0';
			llist_add(&l, 1, f >= 1 ? ROLE_WARNING : sure ? ROLE_TEXT : ROLE_MARK,
				  "path/bound %s%s", bar, tail);
			llist_break(&l);
		}
	}
	it = llist_add(&l, 3, ROLE_TEXT, "4r0/%s=%s (2.5)", s->alpha, num(bound, b1, sizeof b1));
	llist_add(&l, 3, ROLE_TEXT, "r0/%s=%s (9.4)", s->zeta, num(bz, b2, sizeof b2));
	if (th->have_star)
		llist_add(&l, 4, ROLE_TEXT, "%s/%s%s%s*-%s0%s=%s (2.14)", s->beta, s->alpha, s->norm,
			  s->theta, s->theta, s->norm, num(theory_path_bound_star(th), b3, sizeof b3));
	llist_break(&l);
	const char *t22 = theory_thm22(th) == THM22_HOLDS   ? "holds"
			  : theory_thm22(th) == THM22_FAILS ? "fails"
							    : "unknown";
	it = llist_add(&l, 4, ROLE_TEXT, "Thm 2.2 %s%s %s 4L r0: %s", s->alpha, s->sq,
		       a->ascii ? ">=" : "≥", t22);
	it = llist_add(&l, 5, ROLE_TEXT, "L=%s %s=%s (estimates)", num(th->L_hat, b1, sizeof b1),
		       s->delta, num(th->delta_hat, b2, sizeof b2));
	llist_brief(it, "L=%s %s=%s", b1, s->delta, b2);
	llist_break(&l);
	if (!th->have_star)
		llist_add(&l, 6, ROLE_TEXT, "%s%s-%s0%s %s %s/%s %s%s*-%s0%s", s->norm, s->theta,
			  s->theta, s->norm, le, s->beta, s->alpha, s->norm, s->theta, s->theta, s->norm);
	llist_break(&l);
	it = llist_add(&l, 6, ROLE_TEXT, "data %s, labels %s, init %s, seed %lu",
		       r->cfg.data_file ? r->cfg.data_file : "generated",
		       r->cfg.data_file ? "from file" : labels_name(r->cfg.labels),
		       r->cfg.init == INIT_ZERO ? "zero" : r->cfg.init == INIT_FILE ? "file" : "random",
		       r->cfg.seed);
	llist_brief(it, "seed %lu", r->cfg.seed);
	for (int i = 0; away && i < away->n; i++) {
		if (away->role[i] >= ROLE_GHOST1 || away->role[i] == ROLE_TRAJECTORY)
			continue;
		llist_break(&l);
		llist_add(&l, 5, away->role[i], "%s%s", a->ascii ? "-- " : "── ", away->text[i]);
	}
	layout_draw(c, x, y, w, h, &l, "  ", ROLE_TEXT);
}

/* The model in a few words for the status line; panel 4 has the rest. */
static void model_tag(const struct run *r, char *buf, size_t len)
{
	const struct model *m = r->m;
	snprintf(buf, len, "model %s  n=%zu p=%zu p/n=%.3g", m->ops->name, m->n, m->p,
		 (double)m->p / (double)m->n);
}

/* What the run is doing, in the words the fan's legend uses too. */
static void run_state(const struct app *a, char *buf, size_t len)
{
	const struct run *r = app_active(a);
	if (r->status == RUN_DIVERGED)
		snprintf(buf, len, "DIVERGED at step %ld", r->status_step);
	else if (r->status == RUN_FAILED)
		snprintf(buf, len, "failed at step %ld", r->status_step);
	else if (a->meta[a->active].halted)
		snprintf(buf, len, "blew up at step %ld", r->blowup_step);
	else if (a->paused)
		snprintf(buf, len, "paused");
	else
		snprintf(buf, len, "running");
}

/* Two status lines of whole items (layout.h): what runs (step, state, η, η·β²), then the
 * message, the warning, the outside count and the help hint. */
static void status_lines(struct canvas *c, const struct app *a, int y, int w)
{
	const struct run *r = app_active(a);
	const struct theory *th = r->th;
	const struct syms *s = view_syms(a);
	const char *sep = a->ascii ? " | " : " │ ";
	char b1[32], b2[32], b3[32], tag[96], state[64], line[512];
	struct llist l;
	struct litem *it;
	canvas_fill_bg(c, 0, y, w, 2, ROLE_STATUS);
	model_tag(r, tag, sizeof tag);
	run_state(a, state, sizeof state);
	bool bad = r->status != RUN_OK || a->meta[a->active].halted;

	llist_init(&l);
	it = llist_add(&l, 1, ROLE_STATUS, "%s", tag);
	llist_brief(it, "model %s", r->m->ops->name);
	if (a->cursor >= 0)
		llist_add(&l, 0, ROLE_STATUS, "step %ld of %ld", app_view_point(a, a->active)->step, r->step);
	else
		llist_add(&l, 0, ROLE_STATUS, "step %ld", r->step);
	if (!bad && !a->paused && a->steps_per_sec > 0) {
		it = llist_add(&l, 0, ROLE_STATUS, "running %.0f%s/s",
			       a->steps_per_sec >= 1e4 ? a->steps_per_sec / 1e3 : a->steps_per_sec,
			       a->steps_per_sec >= 1e4 ? "k" : "");
		llist_brief(it, "running");
	} else {
		llist_add(&l, 0, bad ? ROLE_WARNING : ROLE_STATUS, "%s", state);
	}
	llist_add(&l, 1, ROLE_STATUS, "%s", optim_name(r->cfg.ocfg.kind));
	llist_add(&l, 0, ROLE_STATUS, "%s=%s", s->eta, num(r->eta, b1, sizeof b1));
	it = llist_add(&l, 0, unstable(r) ? ROLE_WARNING : ROLE_STATUS, "%s%s=%s%s", s->eta,
		       a->ascii ? "*beta^2" : "·β²", num(theory_eta_beta2(th, r->eta), b2, sizeof b2),
		       unstable(r) ? " > 2: unstable" : "");
	if (unstable(r))
		llist_brief(it, "%s%s=%s>2", s->eta, a->ascii ? "*beta^2" : "·β²", b2);
	layout_draw(c, 1, y, w - 1, 1, &l, sep, ROLE_STATUS);

	if (a->editing) {
		snprintf(line, sizeof line, " %s = %s_   (Enter sets, Esc cancels)", s->eta, a->edit);
		text_w(c, 0, y + 1, w, ROLE_WARNING, line);
		return;
	}
	/* A message longer than the row has the row to itself (cut: it is words, not a
	 * number); it lasts until the next key. */
	if (a->msg[0] && layout_cells(a->msg) > w - 2) {
		text_w(c, 1, y + 1, w - 1, a->msg_warn ? ROLE_WARNING : ROLE_STATUS, a->msg);
		return;
	}
	llist_init(&l);
	if (a->msg[0])
		llist_add(&l, 0, a->msg_warn ? ROLE_WARNING : ROLE_STATUS, "%s", a->msg);
	if (th->no_guarantee) {
		it = llist_add(&l, 1, ROLE_WARNING, "%s = 0: no guarantee", s->alpha);
	} else if (isnan(th->zeta_hat)) {
		it = llist_add(&l, 2, ROLE_WARNING, "%s not measured yet (spectrum every %ld steps)",
			       s->zeta, th->every);
		llist_brief(it, "%s not measured yet", s->zeta);
	} else if (!(th->zeta_hat > 0)) {
		it = llist_add(&l, 1, ROLE_WARNING, "%s <= 0: no guarantee at this %s", s->zeta, s->eta);
		llist_brief(it, "%s <= 0", s->zeta);
	}
	if (r->step - th->spec_step > 2 * th->every)
		llist_add(&l, 2, ROLE_WARNING, "spectrum stale (%ld steps)", r->step - th->spec_step);
	if (r->cfg.ocfg.kind == OPT_GD) {
		it = llist_add(&l, 0, ROLE_STATUS, "outside: %ld of %ld checked", th->outside, th->checked);
		llist_brief(it, "outside %ld/%ld", th->outside, th->checked);
	} else {
		llist_add(&l, 2, ROLE_STATUS, "outside: gd only"); /* Thm 9.3 is about gradient descent */
	}
	llist_add(&l, 3, ROLE_STATUS, "misfit=%s", num(app_view_point(a, a->active)->residual, b1, sizeof b1));
	llist_add(&l, 4, ROLE_STATUS, "%s=%s %s=%s", s->alpha, num(th->alpha_hat, b2, sizeof b2), s->beta,
		  num(th->beta_hat, b3, sizeof b3));
	llist_add(&l, 5, ROLE_STATUS, "r0=%s", num(th->r0, b1, sizeof b1));
	llist_add(&l, 6, ROLE_STATUS, "spectrum age %ld", r->step - th->spec_step);
	it = llist_add(&l, 0, ROLE_STATUS, "? help  q quit");
	llist_brief(it, "? help");
	layout_draw(c, 1, y + 1, w - 1, 1, &l, sep, ROLE_STATUS);
}

/* The keys in as many columns as it takes for every line to show; a description that
 * does not fit its column is given in its brief form, not cut. */
static void help_overlay(struct canvas *c, int w, int h)
{
	size_t nb;
	const struct help_line *hl = keymap_help_lines(&nb);
	int ncol = 1;
	while (ncol < 4 && (int)(nb + (size_t)ncol - 1) / ncol + 3 > h - 2)
		ncol++;
	int per = (int)(nb + (size_t)ncol - 1) / ncol;
	int rows = per + 3, cols = 44 * ncol;
	if (cols > w - 2)
		cols = w - 2;
	if (rows > h - 2)
		rows = h - 2;
	if (cols < 10 || rows < 3)
		return;
	int x0 = (w - cols) / 2, y0 = (h - rows) / 2, colw = cols / ncol;
	canvas_erase(c, x0, y0, cols, rows);
	canvas_fill_bg(c, x0, y0, cols, rows, ROLE_HELP);
	text_w(c, x0 + 2, y0, cols - 4, ROLE_HELP, "Keys");
	for (size_t i = 0; i < nb; i++) {
		int col = (int)i / per, row = (int)i % per;
		if (row + 1 >= rows - 1)
			continue;
		char keys[32], line[160];
		keymap_help_keys(&hl[i], keys, sizeof keys);
		int pad = 6 - layout_cells(keys); /* in cells: "← →" is 3 wide, 7 bytes */
		snprintf(line, sizeof line, "%s%*s %s", keys, pad > 0 ? pad : 0, "", hl[i].text);
		if (layout_cells(line) > colw - 2)
			snprintf(line, sizeof line, "%s%*s %s", keys, pad > 0 ? pad : 0, "", hl[i].brief);
		text_w(c, x0 + 2 + col * colw, y0 + 1 + row, colw - 2, ROLE_HELP, line);
	}
	text_w(c, x0 + 2, y0 + rows - 1, cols - 4, ROLE_HELP, "any key closes this help");
}

void view_draw(struct canvas *c, const struct app *a)
{
	int w = canvas_width(c), h = canvas_height(c);
	canvas_clear(c);
	canvas_set_fill_glyph(c, ROLE_REGION, !a->region_fill ? 0 : a->ascii ? ':' : 0xB7 /* · */);
	if (w < VIEW_MIN_COLS || h < VIEW_MIN_ROWS) {
		too_small(c, w, h);
		return;
	}
	int body = h - 2;
	static struct panel_legend away; /* big: not on the stack */
	away.n = 0;
	if (w >= 120 && h >= 36) {
		int lw = w / 2, th = body / 2;
		panel_misfit(c, a, 0, 0, lw, th, &away);
		panel_loss(c, a, lw + 1, 0, w - lw - 1, th, &away);
		panel_layers(c, a, 0, th, lw, body - th, &away);
		panel_info(c, a, lw + 2, th + 1, w - lw - 2, body - th - 1, true, &away);
	} else {
		int lw = w * 56 / 100, th = body / 2;
		panel_misfit(c, a, 0, 0, lw, body, &away);
		panel_loss(c, a, lw + 1, 0, w - lw - 1, th, &away);
		panel_info(c, a, lw + 2, th + 1, w - lw - 2, body - th - 1, true, &away);
	}
	status_lines(c, a, h - 2, w);
	if (a->help)
		help_overlay(c, w, h);
}
