/* panel_info.c — panel 4, what the model and the theory say, as whole items by priority
 * (layout.h): 0 is what the lesson needs at 80×24 (misfit, path, distance, directness, the
 * ratio to θ* or the bound on it, η, η·β², and which theorem applies or why none does),
 * then the rest. Every verdict is theory.c's (theory_verdict, Thm 9.3 / 4.1 / 3.1 of [OS19],
 * [OS19b] Thm 2.1 / 2.3); this file only words it. Reads the app; no curses. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gdpath/act.h"
#include "gdpath/app.h"
#include "gdpath/canvas.h"
#include "gdpath/clserr.h"
#include "gdpath/data.h"
#include "gdpath/layout.h"
#include "gdpath/panel.h"
#include "gdpath/phase_live.h"
#include "gdpath/run.h"
#include "gdpath/sweep_phase.h"
#include "gdpath/theory.h"
#include "gdpath/track.h"

static const char *num(double v, char *buf, size_t len)
{
	return panel_num(v, buf, len);
}

void panel_model_line(const struct run *r, char *buf, size_t len)
{
	const struct model *m = r->m;
	const struct model_cfg *mc = &m->cfg;
	int o = snprintf(buf, len, "model %s", m->ops->name);
	if (m->ops->has_act && m->ops != &model_glm_ops)
		o += snprintf(buf + o, len - (size_t)o, " %s", act_name(mc->act));
	if (m->nout > 1) /* class data: n images (or samples), C outputs each */
		o += snprintf(buf + o, len - (size_t)o, "  n=%zu C=%zu d=%zu", m->nsamples, m->nout, mc->d);
	else
		o += snprintf(buf + o, len - (size_t)o, "  n=%zu d=%zu", m->n, mc->d);
	if (m->ops == &model_shallow_ops || m->ops == &model_rf_ops || m->ops == &model_du_ops ||
	    m->ops == &model_mlp_ops)
		o += snprintf(buf + o, len - (size_t)o, " %s=%zu", m->ops == &model_du_ops ? "m" : "k",
			      mc->k);
	if (m->ops == &model_lowrank_ops)
		o += snprintf(buf + o, len - (size_t)o, " r=%zu", mc->r);
	if (m->ops == &model_mlp_ops)
		o += snprintf(buf + o, len - (size_t)o, " depth=%zu", mc->depth);
	snprintf(buf + o, len - (size_t)o, "  p=%zu p/n=%.3g", m->p, (double)m->p / (double)m->n);
}

static void phase_items(struct llist *l, const struct app *a, const struct run *r,
			const struct syms *s)
{
	char b1[32], b2[32];
	const struct phase_live *pl = a->phase;
	const struct phase_cfg *pc = &pl->pr->cfg;
	double yn = 0;
	for (size_t i = 0; i < r->m->n; i++)
		yn += r->data->y[i] * r->data->y[i];
	struct litem *it = llist_add(l, 0, ROLE_MARK, "trial %u/%u of k=%zu d=%zu (kd=%zu)",
				     pl->trial + 1, pc->trials, r->m->cfg.k, r->m->cfg.d,
				     r->m->cfg.k * r->m->cfg.d);
	llist_brief(it, "trial %u/%u k=%zu d=%zu", pl->trial + 1, pc->trials, r->m->cfg.k, r->m->cfg.d);
	it = llist_add(l, 1, ROLE_MARK, "misfit/%sy%s=%s, stop below %s or at step %ld", s->norm,
		       s->norm, num(r->tr->cur.residual / sqrt(yn), b1, sizeof b1),
		       num(pc->tol, b2, sizeof b2), pc->max_steps);
	llist_brief(it, "misfit/%sy%s=%s", s->norm, s->norm, b1);
	llist_break(l);
}

/* What the model itself measures (du, lowrank, rf). */
static void model_items(struct llist *l, const struct app *a, const struct run *r,
			const struct syms *s)
{
	const struct theory *th = r->th;
	char b1[32], b2[32], b3[32];
	struct litem *it;
	if (r->m->ops == &model_rf_ops && r->nextras >= 2) {
		const char *phi = a->ascii ? "Phi" : "Φ", *tr = a->ascii ? "^T" : "ᵀ";
		it = llist_add(l, 1, ROLE_TEXT, "%smin(%s%s%s)=%s: v fits y iff > 0 ((3.1), Thm 3.2)",
			       s->lambda, phi, phi, tr, num(r->extras[0], b1, sizeof b1));
		llist_brief(it, "%smin(%s%s%s)=%s", s->lambda, phi, phi, tr, b1);
		llist_add(l, 3, ROLE_TEXT, "k/n=%s", num((double)r->m->cfg.k / (double)r->m->n, b2, sizeof b2));
		llist_break(l);
	} else if (r->m->ops == &model_du_ops && r->nextras >= 4) {
		it = llist_add(l, 1, ROLE_TEXT, "%smin(H(k)) = %s%s = %s", s->lambda, s->alpha, s->sq,
			       num(th->alpha * th->alpha, b1, sizeof b1));
		llist_brief(it, "%smin(H)=%s", s->lambda, b1);
		llist_add(l, 2, ROLE_TEXT, "%s0 = %s", s->lambda, num(r->extras[3], b2, sizeof b2));
		llist_break(l);
		it = llist_add(l, 1, ROLE_TEXT, "flipped patterns %s%%", num(100 * r->extras[0], b1, sizeof b1));
		llist_brief(it, "flipped %s%%", b1);
		it = llist_add(l, 1, ROLE_TEXT, "max move %s vs R' = %s ([Du18] Cor. 4.1 proof)",
			       num(r->extras[1], b2, sizeof b2), num(r->extras[2], b3, sizeof b3));
		llist_brief(it, "move %s/R' %s", b2, b3);
		llist_break(l);
	} else if (r->m->ops == &model_lowrank_ops && r->nextras > 0) {
		char sv[LAYOUT_TEXT_MAX - 32];
		int o = 0;
		sv[0] = '\0';
		for (size_t i = 0; i < r->nextras && o < (int)sizeof sv - 12; i++)
			o += snprintf(sv + o, sizeof sv - (size_t)o, " %s", num(r->extras[i], b1, sizeof b1));
		it = llist_add(l, 1, ROLE_TEXT, "singular values of %s:%s", a->ascii ? "Theta" : "Θ", sv);
		llist_brief(it, "%s(%s):%s", a->ascii ? "sv" : "σ", a->ascii ? "Theta" : "Θ", sv);
		llist_break(l);
	}
}

/* Which theorem applies at this step and η, or why none does: the item the lesson
 * needs (priority 0), then its details. */
static void verdict_items(struct llist *l, const struct app *a, const struct run *r,
			  const struct track_point *pt, const struct syms *s)
{
	const struct theory *th = r->th;
	char b1[32], b2[32], vt[192], vb[64];
	struct litem *it;
	if (th->verdict == TV_THM93) {
		it = llist_add(l, 0, ROLE_TEXT, "%s%s=%s: Thm 9.3 applies", s->zeta, s->hat,
			       num(th->zeta_hat, b1, sizeof b1));
		llist_brief(it, "%s=%s (Thm 9.3)", s->zeta, b1);
		llist_add(l, 3, ROLE_TEXT, "region (9.3), rate (9.2), path (9.4)%s",
			  th->lipschitz ? "" : "; J not Lipschitz: Assumption 2(a) only");
	} else {
		theory_verdict_text(th, a->ascii, false, vt, sizeof vt);
		it = llist_add(l, 0, theory_guaranteed(th) ? ROLE_TEXT : ROLE_WARNING, "%s", vt);
		llist_brief(it, "%s", theory_verdict_brief(th, a->ascii, vb, sizeof vb));
	}
	if (a->cursor >= 0 && !isnan(pt->zeta))
		llist_add(l, 1, ROLE_CURRENT, "%s%s=%s by then", s->zeta, s->hat, num(pt->zeta, b2, sizeof b2));
	/* steps count as checked only where a theorem's guarantee applied (Thm 9.3 or 4.1) */
	if (th->method != THEORY_GD)
		llist_add(l, 2, ROLE_TEXT, "outside: gd only");
	else if (a->cursor >= 0 && pt->checked > 0)
		llist_add(l, 1, ROLE_TEXT, "outside %ld of %ld by then", pt->outside, pt->checked);
	else if (th->checked > 0)
		llist_add(l, 1, ROLE_TEXT, "outside %ld of %ld checked", th->outside, th->checked);
	else
		llist_add(l, 1, ROLE_TEXT, "none checked");
	llist_break(l);
	for (int i = 0; th->os.shallow && i < 3; i++) {
		char ob[192];
		if (theory_shallow_text(th, r->eta, a->ascii, i, ob, sizeof ob) == NULL)
			break;
		/* its parts ("a;  b") are items of their own, so a narrow panel shows them on rows */
		int role = i == 0 && !theory_shallow_checkable_met(th, r->eta) ? ROLE_WARNING : ROLE_TEXT;
		for (char *part = ob, *next; part; part = next) {
			next = strstr(part, ";  ");
			if (next) {
				*next = '\0';
				next += 3;
			}
			llist_add(l, 2, role, "%s%s", part, next ? ";" : "");
		}
		llist_break(l);
	}
	if (th->glm) {
		char b3[32];
		it = llist_add(l, 2, ROLE_TEXT, "Thm 4.1: %s <= 1/(%sX%s%s%s%s) = %s", s->eta, s->norm, s->norm,
			       s->sq, a->ascii ? "Gamma" : "Γ", s->sq, num(theory_thm41_eta(th), b1, sizeof b1));
		llist_brief(it, "Thm 4.1: %s <= %s", s->eta, b1);
		llist_add(l, 3, ROLE_TEXT, "rate (4.2) %s", num(theory_thm41_rate(th, r->eta), b2, sizeof b2));
		llist_add(l, 3, ROLE_TEXT, "path (4.3) <= %s", num(theory_thm41_path(th), b3, sizeof b3));
		llist_break(l);
	}
}

/* The estimates behind the verdict: α̂, β̂, the deviation, L̂, Thm 2.2's condition, η_theory. */
static void estimate_items(struct llist *l, const struct app *a, const struct run *r,
			   const struct syms *s)
{
	const struct theory *th = r->th;
	char b1[32], b2[32], b3[32], b4[32];
	const char *ge = a->ascii ? ">=" : "≥", *le = a->ascii ? "<=" : "≤";
	struct litem *it = llist_add(l, 1, th->no_guarantee ? ROLE_WARNING : ROLE_TEXT,
				     "%s%s=%s %s%s=%s (min, max on the path)", s->alpha, s->hat,
				     num(th->alpha_hat, b1, sizeof b1), s->beta, s->hat,
				     num(th->beta_hat, b2, sizeof b2));
	llist_brief(it, "%s=%s %s=%s", s->alpha, b1, s->beta, b2);
	llist_add(l, 5, ROLE_TEXT, "%s0=%s %s0=%s", s->alpha, num(th->alpha0, b3, sizeof b3), s->beta,
		  num(th->beta0, b4, sizeof b4));
	llist_break(l);
	llist_add(l, 3, ROLE_TEXT, "%s%s=%s", s->lambda, s->hat, num(th->lambda_hat, b1, sizeof b1));
	if (th->lipschitz) {
		it = llist_add(l, 5, ROLE_TEXT, "L%s=%s %s%s=%s (estimates)", s->hat,
			       num(th->L_hat, b2, sizeof b2), s->delta, s->hat,
			       num(th->delta_hat, b3, sizeof b3));
		llist_brief(it, "L=%s %s=%s", b2, s->delta, b3);
	} else {
		it = llist_add(l, 5, ROLE_TEXT, "%s%s=%s (Assumption 2(a)); L: none (J not Lipschitz)",
			       s->delta, s->hat, num(th->delta_hat, b3, sizeof b3));
		llist_brief(it, "%s=%s, J not Lipschitz", s->delta, b3);
	}
	llist_break(l);
	enum thm22 c22 = theory_thm22(th);
	const char *t22 = c22 == THM22_HOLDS ? "holds (L estimated)"
			  : c22 == THM22_FAILS ? "fails"
			  : c22 == THM22_NA    ? "n/a (J not Lipschitz)"
					       : "unknown";
	it = llist_add(l, 4, ROLE_TEXT, "Thm 2.2 (2.6) %smin(J0)%s %s 16L r0: %s", a->ascii ? "sigma" : "σ",
		       s->sq, ge, t22);
	llist_brief(it, "Thm 2.2: %s", c22 == THM22_HOLDS ? "holds" : t22);
	llist_break(l);
	if (theory_eta_above_limit(th)) {
		it = llist_add(l, 1, ROLE_WARNING, "%s_theory%s%s0%s=%s > 1: above 1/%s0%s (Thm 9.3 needs %s%s%s%s %s %s %s 1)",
			       s->eta, a->ascii ? "*" : "·", s->beta, s->sq,
			       num(th->eta_theory * th->beta0 * th->beta0, b1, sizeof b1), s->beta, s->sq, s->eta,
			       a->ascii ? "*" : "·", s->beta, s->sq, le, s->lambda, le);
		llist_brief(it, "%s_theory above 1/%s0%s", s->eta, s->beta, s->sq);
		llist_add(l, 4, ROLE_TEXT, "rule %s", th->eta_source);
	} else {
		llist_add(l, 4, ROLE_TEXT, "%s_theory = %s", s->eta, th->eta_source);
	}
	llist_break(l);
}

/* The path against 4r0/α̂ (2.5) as a bar that fits its row, and the other path bounds. */
static void bound_items(struct llist *l, const struct app *a, const struct run *r,
			const struct track_point *pt, const struct syms *s, int w)
{
	const struct theory *th = r->th;
	char b1[32], b2[32], b3[32];
	double bound = theory_path_bound_thm21(th);
	double bz = th->verdict == TV_THM93 ? theory_path_bound_zeta(th) : NAN; /* (9.4): Thm 9.3 only */
	if (isfinite(bound) && bound > 0 && w >= 24) {
		/* (2.5) holds only under Thm 2.1's conditions (λ̂ ≥ ½, η·β̂² ≤ ½) */
		bool sure = theory_envelope_applies(th, TE_23);
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
			llist_add(l, 1, f >= 1 ? ROLE_WARNING : sure ? ROLE_TEXT : ROLE_MARK,
				  "path/bound %s%s", bar, tail);
			llist_break(l);
		}
	}
	llist_add(l, 3, ROLE_TEXT, "4r0/%s=%s (2.5)", s->alpha, num(bound, b1, sizeof b1));
	llist_add(l, 3, ROLE_TEXT, "r0/%s=%s (9.4)", s->zeta, num(bz, b2, sizeof b2));
	if (th->have_star)
		llist_add(l, 4, ROLE_TEXT, "%s/%s%s%s*-%s0%s=%s (2.14)", s->beta, s->alpha, s->norm,
			  s->theta, s->theta, s->norm, num(theory_path_bound_star(th), b3, sizeof b3));
	llist_break(l);
	if (!th->have_star)
		llist_add(l, 6, ROLE_TEXT, "%s%s-%s0%s %s %s/%s %s%s*-%s0%s", s->norm, s->theta,
			  s->theta, s->norm, a->ascii ? "<=" : "≤", s->beta, s->alpha, s->norm, s->theta,
			  s->theta, s->norm);
	llist_break(l);
}

void panel_path_items(struct llist *l, const struct track_point *pt)
{
	char b1[32], b2[32], b3[32];
	llist_add(l, 0, ROLE_TEXT, "path %s", num(pt->path, b1, sizeof b1));
	struct litem *it = llist_add(l, 0, ROLE_TEXT, "distance %s", num(pt->distance, b2, sizeof b2));
	llist_brief(it, "dist %s", b2);
	llist_add(l, 0, ROLE_TEXT, "directness %s",
		  num(pt->distance > 0 ? pt->path / pt->distance : NAN, b3, sizeof b3));
	llist_break(l);
}

void panel_layer_items(struct llist *l, const struct run *r)
{
	const struct track *t = r->tr;
	char b1[32], b2[32], b3[32], b4[32];
	for (size_t k = 0; k < t->nlayers; k++) {
		double ld = t->ldist[k], lp = t->lpath[k];
		struct litem *it = llist_add(l, 2, ROLE_LAYER1 + (int)(k % 8),
					     "%-6s dist %s (%s)  path %s  directness %s",
					     r->m->layer[k].name, num(ld, b1, sizeof b1),
					     num(track_layer_ndistance(t, k, ld), b2, sizeof b2),
					     num(lp, b3, sizeof b3), num(ld > 0 ? lp / ld : NAN, b4, sizeof b4));
		llist_brief(it, "%s dist %s path %s dir %s", r->m->layer[k].name, b1, b3, b4);
		llist_break(l);
	}
}

void panel_info(struct canvas *c, const struct app *a, int x, int y, int w, int h,
		bool with_layers, const struct panel_legend *away)
{
	const struct run *r = app_active(a);
	if (panel_classes_wanted(a)) { /* lenet: no spectrum; the class errors instead */
		panel_classes_info(c, a, x, y, w, h);
		return;
	}
	const struct theory *th = r->th;
	const struct track *t = r->tr;
	const struct track_point *pt = app_view_point(a, a->active); /* cursor or current */
	const struct syms *s = view_syms(a);
	const char *dot = a->ascii ? "*" : "·", *le = a->ascii ? "<=" : "≤";
	char b1[32], b2[32], b3[32];
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
	panel_model_line(r, ml, sizeof ml);
	it = llist_add(&l, 3, ROLE_TITLE, "%s", ml);
	llist_brief(it, "model %s  n=%zu p=%zu", r->m->ops->name, r->m->n, r->m->p);
	llist_break(&l);
	if (a->phase)
		phase_items(&l, a, r, s);
	model_items(&l, a, r, s);
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
	if (r->ce && r->ce->step >= 0) { /* class data with a spectrum (mlp on images) */
		llist_add(&l, 1, ROLE_TEXT, "train error %.1f%%", 100 * r->ce->train);
		llist_add(&l, 1, ROLE_TEXT, "test error %.1f%%", 100 * r->ce->test);
		llist_add(&l, 3, ROLE_TEXT, "(first %zu test images, step %ld)", r->ce->ntest, r->ce->step);
		llist_break(&l);
	}
	panel_path_items(&l, pt);
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
	bool unstable = theory_eta_beta2(th, r->eta) > 2;
	/* the phase presets' panel is short, and the status line has η and η·β² too */
	int pe = a->phase ? 1 : 0;
	llist_add(&l, pe, ROLE_TEXT, "%s=%s", s->eta, num(pt->eta, b1, sizeof b1));
	it = llist_add(&l, pe, unstable ? ROLE_WARNING : ROLE_TEXT, "%s%s%s=%s%s", s->eta, dot,
		       a->ascii ? "beta^2" : "β²", num(theory_eta_beta2(th, pt->eta), b2, sizeof b2),
		       unstable ? " > 2: unstable" : "");
	if (unstable)
		llist_brief(it, "%s%s%s=%s>2", s->eta, dot, a->ascii ? "beta^2" : "β²", b2);
	it = llist_add(&l, 2, ROLE_TEXT, "%s/%s_theory=%s", s->eta, s->eta,
		       num(theory_eta_ratio(th, r->eta), b3, sizeof b3));
	llist_brief(it, "%s/%s_th=%s", s->eta, s->eta, b3);
	llist_break(&l);
	verdict_items(&l, a, r, pt, s);
	estimate_items(&l, a, r, s);
	if (with_layers && t->nlayers > 1)
		panel_layer_items(&l, r);
	bound_items(&l, a, r, pt, s, w);
	it = llist_add(&l, 6, ROLE_TEXT, "data %s, labels %s, init %s, seed %lu",
		       r->cfg.data_file ? r->cfg.data_file : "generated",
		       r->cfg.data_file ? "from file" : labels_name(r->cfg.labels),
		       r->cfg.init == INIT_ZERO ? "zero" : r->cfg.init == INIT_FILE ? "file" : "random",
		       r->cfg.seed);
	llist_brief(it, "seed %lu", r->cfg.seed);
	const char *note = run_labels_note(r);
	if (note) {
		llist_break(&l);
		llist_add(&l, 3, r->cfg.ops == &model_linear_ops ? ROLE_TEXT : ROLE_WARNING, "%s", note);
	}
	for (int i = 0; away && i < away->n; i++) {
		if (away->role[i] >= ROLE_GHOST1 || away->role[i] == ROLE_TRAJECTORY)
			continue;
		llist_break(&l);
		llist_add(&l, 5, away->role[i], "%s%s", a->ascii ? "-- " : "── ", away->text[i]);
	}
	layout_draw(c, x, y, w, h, &l, "  ", ROLE_TEXT);
}
