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
#include "gdpath/panel.h"
#include "gdpath/panel_eta.h"
#include "gdpath/panel_param.h"
#include "gdpath/panel_phase.h"
#include "gdpath/phase_live.h"
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

__attribute__((format(printf, 6, 7))) static void line_f(struct canvas *c, int x, int y, int w,
							int role, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	text_w(c, x, y, w, role, buf);
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

/* Panel 4: what the model and the theory say, as text. */
/* A step rate for the status line: "60", "35k", "1.2M". */
static const char *rate(double sps, char *buf, size_t len)
{
	if (sps >= 1e6)
		snprintf(buf, len, "%.1fM", sps / 1e6);
	else if (sps >= 1e4)
		snprintf(buf, len, "%.0fk", sps / 1e3);
	else
		snprintf(buf, len, "%.0f", sps);
	return buf;
}

static void panel_info(struct canvas *c, const struct app *a, int x, int y, int w, int h,
		       bool with_layers)
{
	const struct run *r = app_active(a);
	const struct theory *th = r->th;
	const struct track *t = r->tr;
	const struct syms *s = view_syms(a);
	char b1[32], b2[32], b3[32], b4[32], b5[32];
	int row = y, end = y + h;
	canvas_erase(c, x, y, w, h);
#define LINE(role, ...)                                                                            \
	do {                                                                                       \
		if (row < end)                                                                     \
			line_f(c, x, row++, w, role, __VA_ARGS__);                                 \
	} while (0)
	char ml[160];
	model_line(r, ml, sizeof ml);
	LINE(ROLE_TITLE, "%s", ml);
	/* Most important first: a small terminal shows only the top lines. */
	if (a->phase) {
		const struct phase_live *pl = a->phase;
		const struct phase_cfg *pc = &pl->pr->cfg;
		double yn = 0;
		for (size_t i = 0; i < r->m->n; i++)
			yn += r->data->y[i] * r->data->y[i];
		LINE(ROLE_MARK, "trial %u/%u of k=%zu d=%zu (kd=%zu): misfit/%sy%s=%s, stop below %s or at step %ld",
		     pl->trial + 1, pc->trials, r->m->cfg.k, r->m->cfg.d, r->m->cfg.k * r->m->cfg.d,
		     s->norm, s->norm, num(t->cur.residual / sqrt(yn), b1, sizeof b1),
		     num(pc->tol, b2, sizeof b2), pc->max_steps);
	}
	if (r->m->ops == &model_rf_ops && r->nextras >= 2)
		LINE(ROLE_TEXT, "%smin(%s%s%s)=%s: v fits y exactly iff > 0 ((3.1), Thm 3.2)  k/n=%s",
		     s->lambda, a->ascii ? "Phi" : "Φ", a->ascii ? "Phi" : "Φ", a->ascii ? "^T" : "ᵀ",
		     num(r->extras[0], b1, sizeof b1),
		     num((double)r->m->cfg.k / (double)r->m->n, b2, sizeof b2));
	/* Model-specific quantities. */
	if (r->m->ops == &model_du_ops && r->nextras >= 4) {
		LINE(ROLE_TEXT, "%smin(H(k)) = %s%s = %s   %s0 = %s", s->lambda, s->alpha, s->sq,
		     num(th->alpha * th->alpha, b1, sizeof b1), s->lambda, num(r->extras[3], b2, sizeof b2));
		LINE(ROLE_TEXT, "flipped patterns %s%%   max move %s vs R' = 4%sn r0/(%sm %s0) = %s ([Du18] Cor. 4.1 proof)",
		     num(100 * r->extras[0], b3, sizeof b3), num(r->extras[1], b4, sizeof b4),
		     a->ascii ? "sqrt " : "√", a->ascii ? "sqrt " : "√", s->lambda,
		     num(r->extras[2], b5, sizeof b5));
	} else if (r->m->ops == &model_lowrank_ops && r->nextras > 0) {
		char sv[256];
		int o = snprintf(sv, sizeof sv, "singular values of %s:", a->ascii ? "Theta" : "Θ");
		for (size_t i = 0; i < r->nextras && o < (int)sizeof sv - 12; i++)
			o += snprintf(sv + o, sizeof sv - (size_t)o, " %.3g", r->extras[i]);
		LINE(ROLE_TEXT, "%s", sv);
	}
	if (a->fan && row < end)
		LINE(ROLE_MARK, "2/%s0%s=%s: %s above it is unstable (fan around %s)", s->beta, s->sq,
		     num(a->fan_threshold, b2, sizeof b2), s->eta, num(a->fan_base, b1, sizeof b1));
	LINE(ROLE_TEXT, "r0=%s  misfit=%s (%s r0)", num(th->r0, b1, sizeof b1),
	     num(t->cur.residual, b2, sizeof b2), num(track_nresidual(t, t->cur.residual), b3, sizeof b3));
	char vt[192];
	LINE(theory_guaranteed(th) ? ROLE_TEXT : ROLE_WARNING, "%s",
	     theory_verdict_text(th, a->ascii, true, vt, sizeof vt));
	for (int i = 0; th->os.shallow && i < 3; i++) {
		char ob[192];
		if (theory_shallow_text(th, r->eta, a->ascii, i, ob, sizeof ob) == NULL)
			break;
		LINE(i == 0 && !theory_shallow_checkable_met(th, r->eta) ? ROLE_WARNING : ROLE_TEXT, "%s", ob);
	}
	if (th->glm)
		LINE(ROLE_TEXT, "Thm 4.1: %s <= 1/(%sX%s%s%s%s) = %s  rate (4.2) %s  path (4.3) <= %s", s->eta,
		     s->norm, s->norm, s->sq, a->ascii ? "Gamma" : "Γ", s->sq,
		     num(theory_thm41_eta(th), b1, sizeof b1), num(theory_thm41_rate(th, r->eta), b2, sizeof b2),
		     num(theory_thm41_path(th), b3, sizeof b3));
	LINE(th->no_guarantee ? ROLE_WARNING : ROLE_TEXT, "%s=%s %s=%s (min, max on the path)  %s0=%s %s0=%s%s%s%s",
	     s->alpha, num(th->alpha_hat, b1, sizeof b1), s->beta, num(th->beta_hat, b2, sizeof b2),
	     s->alpha, num(th->alpha0, b3, sizeof b3), s->beta, num(th->beta0, b4, sizeof b4),
	     th->no_guarantee ? "  no guarantee (" : "", th->no_guarantee ? s->alpha : "",
	     th->no_guarantee ? " = 0)" : "");
	if (th->lipschitz)
		LINE(ROLE_TEXT, "L%s=%s  %s%s=%s (estimates)  %s%s=%s  %s%s=%s", s->hat,
		     num(th->L_hat, b1, sizeof b1), s->delta, s->hat, num(th->delta_hat, b2, sizeof b2),
		     s->lambda, s->hat, num(th->lambda_hat, b3, sizeof b3), s->zeta, s->hat,
		     num(th->zeta_hat, b4, sizeof b4));
	else
		LINE(ROLE_TEXT, "%s%s=%s (estimate, Assumption 2(a))  %s%s=%s  %s%s=%s  L: none (J not Lipschitz)",
		     s->delta, s->hat, num(th->delta_hat, b2, sizeof b2), s->lambda, s->hat,
		     num(th->lambda_hat, b3, sizeof b3), s->zeta, s->hat, num(th->zeta_hat, b4, sizeof b4));
	enum thm22 c22 = theory_thm22(th);
	const char *t22 = c22 == THM22_HOLDS ? "holds (L estimated)"
			  : c22 == THM22_FAILS ? "fails"
			  : c22 == THM22_NA    ? "n/a (J not Lipschitz)"
					       : "unknown";
	LINE(ROLE_TEXT, "%s=%s  %s/%s_theory=%s  %s%s%s=%s  Thm 2.2 (2.6) %smin(J0)%s >= 16L r0: %s", s->eta,
	     num(r->eta, b1, sizeof b1), s->eta, s->eta, num(theory_eta_ratio(th, r->eta), b2, sizeof b2),
	     s->eta, a->ascii ? "*" : "·", a->ascii ? "beta^2" : "β²",
	     num(theory_eta_beta2(th, r->eta), b3, sizeof b3), a->ascii ? "sigma" : "σ", s->sq, t22);
	{
		bool above = theory_eta_above_limit(th);
		if (above)
			LINE(ROLE_WARNING, "%s_theory%s%s0%s=%s > 1: above 1/%s0%s (Thm 9.3 needs %s%s%s%s %s %s %s 1); rule %s",
			     s->eta, a->ascii ? "*" : "·", s->beta, s->sq,
			     num(th->eta_theory * th->beta0 * th->beta0, b1, sizeof b1), s->beta, s->sq, s->eta,
			     a->ascii ? "*" : "·", s->beta, s->sq, a->ascii ? "<=" : "≤", s->lambda,
			     a->ascii ? "<=" : "≤", th->eta_source);
		else
			LINE(ROLE_TEXT, "%s_theory = %s", s->eta, th->eta_source);
	}
	LINE(ROLE_TEXT, "path %s  distance %s  directness %s", num(t->cur.path, b1, sizeof b1),
	     num(t->cur.distance, b2, sizeof b2), num(track_directness(t), b3, sizeof b3));
	if (with_layers && t->nlayers > 1)
		for (size_t l = 0; l < t->nlayers; l++)
			LINE(ROLE_LAYER1 + (int)(l % 8), "%-6s dist %s (%s)  path %s  directness %s",
			     r->m->layer[l].name, num(t->ldist[l], b1, sizeof b1),
			     num(track_layer_ndistance(t, l, t->ldist[l]), b2, sizeof b2),
			     num(t->lpath[l], b3, sizeof b3),
			     num(t->ldist[l] > 0 ? t->lpath[l] / t->ldist[l] : NAN, b4, sizeof b4));
	double bound = theory_path_bound_thm21(th);
	double bz = th->verdict == TV_THM93 ? theory_path_bound_zeta(th) : NAN; /* (9.4) under Thm 9.3 only */
	LINE(ROLE_TEXT, "path bounds: 4r0/%s=%s (2.5)  r0/%s=%s (9.4)  %s/%s|%s*-%s0|=%s (2.14)", s->alpha,
	     num(bound, b1, sizeof b1), s->zeta, num(bz, b2, sizeof b2), s->beta, s->alpha, s->theta,
	     s->theta, num(theory_path_bound_star(th), b3, sizeof b3));
	if (row < end && isfinite(bound) && bound > 0 && w > 20) {
		/* a bar: measured path against 4r0/α̂ */
		int bw = w - 18;
		double f = fmin(1, t->cur.path / bound);
		int fill = (int)lround(f * bw);
		char bar[512];
		size_t o = 0;
		for (int i = 0; i < bw && o + 4 < sizeof bar; i++) {
			const char *g = i < fill ? (a->ascii ? "#" : "█") : (a->ascii ? "." : "░");
			size_t gl = strlen(g);
			memcpy(bar + o, g, gl);
			o += gl;
		}
		bar[o] = '\0';
		/* the bound (2.5) holds only under Thm 2.1's conditions (λ ≥ ½, η·β² ≤ ½) */
		bool sure = theory_envelope_applies(th, TE_23);
		LINE(f >= 1 ? ROLE_WARNING : sure ? ROLE_TEXT : ROLE_MARK, "path/bound %s %3.0f%%%s", bar,
		     100 * f, sure ? "" : " (not guaranteed)");
	}
	if (th->have_star)
		LINE(ROLE_TEXT, "%s%s*-%s0%s=%s  %s%s-%s*%s=%s  ratio %s", s->norm, s->theta, s->theta,
		     s->norm, num(th->star_dist, b1, sizeof b1), s->norm, s->theta, s->theta, s->norm,
		     num(theory_star_gap(th, r->theta), b2, sizeof b2),
		     num(t->cur.distance / th->star_dist, b3, sizeof b3));
	else
		LINE(ROLE_TEXT, "closest optimum: r0/%s=%s <= %s%s*-%s0%s;  %s%s-%s0%s <= %s/%s %s%s*-%s0%s",
		     s->beta, num(theory_dist_min(th), b1, sizeof b1), s->norm, s->theta, s->theta, s->norm,
		     s->norm, s->theta, s->theta, s->norm, s->beta, s->alpha, s->norm, s->theta, s->theta,
		     s->norm);
	LINE(ROLE_TEXT, "data %s, labels %s, init %s, seed %lu",
	     r->cfg.data_file ? r->cfg.data_file : "generated",
	     r->cfg.data_file ? "from file" : labels_name(r->cfg.labels),
	     r->cfg.init == INIT_ZERO ? "zero" : r->cfg.init == INIT_FILE ? "file" : "random",
	     r->cfg.seed);
	const char *note = run_labels_note(r);
	if (note)
		LINE(r->cfg.ops == &model_linear_ops ? ROLE_TEXT : ROLE_WARNING, "%s", note);
#undef LINE
}

/* The model in a few words for the status line; panel 4 has the rest. */
static void model_tag(const struct run *r, char *buf, size_t len)
{
	const struct model *m = r->m;
	snprintf(buf, len, "model %s  n=%zu p=%zu p/n=%.3g", m->ops->name, m->n, m->p,
		 (double)m->p / (double)m->n);
}

/* Two status lines: what runs and how fast, then the message or warning (first, so a
 * narrow terminal still shows it), then the constants. */
static void status_lines(struct canvas *c, const struct app *a, int y, int w)
{
	const struct run *r = app_active(a);
	const struct theory *th = r->th;
	const struct track *t = r->tr;
	const struct syms *s = view_syms(a);
	char b1[32], b2[32], b3[32], b4[32], b5[32], tag[96], state[48], line[512];
	canvas_fill_bg(c, 0, y, w, 2, ROLE_STATUS);
	model_tag(r, tag, sizeof tag);
	if (r->status == RUN_DIVERGED)
		snprintf(state, sizeof state, "DIVERGED");
	else if (a->paused)
		snprintf(state, sizeof state, "paused");
	else if (!(a->steps_per_sec > 0))
		snprintf(state, sizeof state, "running");
	else if (a->speed > 0 && a->engine_sps > 1.25 * a->steps_per_sec)
		/* --speed holds the run below what the optimizer does: say both */
		snprintf(state, sizeof state, "running %s/s (--speed; free %s/s)",
			 rate(a->steps_per_sec, b1, sizeof b1), rate(a->engine_sps, b2, sizeof b2));
	else
		snprintf(state, sizeof state, "running %s/s", rate(a->steps_per_sec, b1, sizeof b1));
	snprintf(line, sizeof line, " %s │ step %ld │ %s │ %s │ %s=%.4g │ %s%s=%s", tag, r->step, state,
		 optim_name(r->cfg.ocfg.kind), s->eta, r->eta, s->eta, a->ascii ? "*beta^2" : "·β²",
		 num(theory_eta_beta2(th, r->eta), b1, sizeof b1));
	text_w(c, 0, y, w, r->status == RUN_DIVERGED ? ROLE_WARNING : ROLE_STATUS, line);
	if (a->editing) {
		snprintf(line, sizeof line, " %s = %s_   (Enter sets, Esc cancels)", s->eta, a->edit);
		text_w(c, 0, y + 1, w, ROLE_WARNING, line);
		return;
	}
	if (a->captioning) {
		snprintf(line, sizeof line, " mark %d caption: %s_   (Enter adds the mark, Esc cancels)",
			 a->nmarks + 1, a->caption);
		text_w(c, 0, y + 1, w, ROLE_WARNING, line);
		return;
	}
	int x = 1;
	char warn[256] = "", outside[64];
	/* Steps are checked only where a theorem's guarantee applied (Thm 9.3 or 4.1). */
	if (th->checked > 0)
		snprintf(outside, sizeof outside, "%ld of %ld checked", th->outside, th->checked);
	else
		snprintf(outside, sizeof outside, "none checked");
	if (r->status == RUN_DIVERGED)
		snprintf(warn, sizeof warn, "DIVERGED at step %ld", r->status_step);
	else if (!theory_guaranteed(th))
		theory_verdict_text(th, a->ascii, false, warn, sizeof warn);
	if (r->step - th->spec_step > 2 * th->every)
		snprintf(warn + strlen(warn), sizeof warn - strlen(warn), "%sspectrum stale (%ld steps)",
			 warn[0] ? "  " : "", r->step - th->spec_step);
	if (a->msg[0]) {
		x += text_w(c, x, y + 1, w - x, a->msg_warn ? ROLE_WARNING : ROLE_STATUS, a->msg);
		x += text_w(c, x, y + 1, w - x, ROLE_STATUS, " │ ");
	}
	if (warn[0] && x < w) {
		x += text_w(c, x, y + 1, w - x, ROLE_WARNING, warn);
		x += text_w(c, x, y + 1, w - x, ROLE_STATUS, " │ ");
	}
	snprintf(line, sizeof line,
		 "%s=%s %s=%s L=%s │ r0=%s misfit=%s │ outside: %s │ spectrum age %ld │ ? help  q quit",
		 s->alpha, num(th->alpha_hat, b1, sizeof b1), s->beta, num(th->beta_hat, b2, sizeof b2),
		 num(th->L_hat, b3, sizeof b3), num(th->r0, b4, sizeof b4),
		 num(t->cur.residual, b5, sizeof b5), outside, r->step - th->spec_step);
	if (x < w)
		text_w(c, x, y + 1, w - x, ROLE_STATUS, line);
}

static void help_overlay(struct canvas *c, int w, int h)
{
	size_t nb;
	const struct binding *b = keymap_bindings(&nb);
	/* As many columns as it takes for every key to show (texts are cut in narrow ones). */
	int ncol = 1;
	while (ncol < 4 && (int)(nb + (size_t)ncol - 1) / ncol + 3 > h - 2)
		ncol++;
	int per = (int)(nb + (size_t)ncol - 1) / ncol;
	int rows = per + 3, cols = ncol == 1 ? 58 : 55 * ncol;
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
		char line[160];
		snprintf(line, sizeof line, "%-6s %s", b[i].label, action_help(b[i].action));
		text_w(c, x0 + 2 + col * colw, y0 + 1 + row, colw - 3, ROLE_HELP, line);
	}
	text_w(c, x0 + 2, y0 + rows - 1, cols - 4, ROLE_HELP, "any key closes this help");
}

/* The top-right slot: the range test while it is shown, else the parameter space when it
 * was asked for on a terminal too small for its own slot, else the loss plot. */
static void top_right(struct canvas *c, const struct app *a, bool param, int x, int y, int w,
		      int h)
{
	if (a->eta_sweep)
		panel_eta(c, a, x, y, w, h);
	else if (param)
		panel_param(c, a, x, y, w, h);
	else
		panel_loss(c, a, x, y, w, h);
}

void view_draw(struct canvas *c, const struct app *a)
{
	int w = canvas_width(c), h = canvas_height(c);
	canvas_clear(c);
	if (w < VIEW_MIN_COLS || h < VIEW_MIN_ROWS) {
		too_small(c, w, h);
		return;
	}
	int body = h - 2;
	bool param = panel_param_shown(a, w, h);
	if (a->phase) {
		/* the phase presets: the trial shown on the left, the map filling in on the right */
		int big = w >= 120 && h >= 36;
		int lw = w / 2, rw = w - lw - 2;
		int ph = panel_phase_rows(a);
		if (ph > body - 5)
			ph = body - 5;
		if (big) {
			int th = body / 2;
			panel_misfit(c, a, 0, 0, lw, th);
			panel_loss(c, a, 0, th, lw, body - th);
		} else {
			panel_misfit(c, a, 0, 0, lw, body);
		}
		panel_phase(c, a, lw + 2, 0, rw, ph);
		panel_info(c, a, lw + 2, ph + 1, rw, body - ph - 1, big);
	} else if (param && w >= PANEL_PARAM_MIN_COLS && h >= PANEL_PARAM_MIN_ROWS) {
		/* misfit | parameter space | loss over per-layer paths | model */
		int cw = w / 3, th = body / 2, lw = w / 2;
		panel_misfit(c, a, 0, 0, cw, th);
		panel_param(c, a, cw + 1, 0, cw, th);
		top_right(c, a, false, 2 * cw + 2, 0, w - 2 * cw - 2, th);
		panel_layers(c, a, 0, th, lw, body - th);
		panel_info(c, a, lw + 2, th + 1, w - lw - 2, body - th - 1, true);
	} else if (w >= 120 && h >= 36) {
		int lw = w / 2, th = body / 2;
		panel_misfit(c, a, 0, 0, lw, th);
		top_right(c, a, param, lw + 1, 0, w - lw - 1, th);
		panel_layers(c, a, 0, th, lw, body - th);
		panel_info(c, a, lw + 2, th + 1, w - lw - 2, body - th - 1, true);
	} else {
		int lw = w * 56 / 100, th = body / 2;
		panel_misfit(c, a, 0, 0, lw, body);
		top_right(c, a, param, lw + 1, 0, w - lw - 1, th);
		panel_info(c, a, lw + 2, th + 1, w - lw - 2, body - th - 1, true);
	}
	status_lines(c, a, h - 2, w);
	if (a->help)
		help_overlay(c, w, h);
}
