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
#include "gdpath/clserr.h"
#include "gdpath/data.h"
#include "gdpath/keymap.h"
#include "gdpath/panel.h"
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
	if (m->nout > 1) /* class data: n images (or samples), C outputs each */
		o += snprintf(buf + o, len - (size_t)o, "  n=%zu C=%zu d=%zu", m->nsamples, m->nout,
			      mc->d);
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

/* Panel 4: what the model and the theory say, as text. */
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
	if (panel_classes_wanted(a)) {
		panel_classes_info(c, a, x, row, w, end - row);
		return;
	}
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
		LINE(ROLE_TEXT, "flipped patterns %s%%   max move %s vs R' = %s", num(100 * r->extras[0], b3, sizeof b3),
		     num(r->extras[1], b4, sizeof b4), num(r->extras[2], b5, sizeof b5));
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
	if (r->ce && r->ce->step >= 0)
		LINE(ROLE_TEXT, "train error %.1f%%  test error %.1f%% (first %zu test images), step %ld",
		     100 * r->ce->train, 100 * r->ce->test, r->ce->ntest, r->ce->step);
	LINE(th->no_guarantee ? ROLE_WARNING : ROLE_TEXT, "%s=%s %s=%s (min, max on the path)  %s0=%s %s0=%s%s%s%s",
	     s->alpha, num(th->alpha_hat, b1, sizeof b1), s->beta, num(th->beta_hat, b2, sizeof b2),
	     s->alpha, num(th->alpha0, b3, sizeof b3), s->beta, num(th->beta0, b4, sizeof b4),
	     th->no_guarantee ? "  no guarantee (" : "", th->no_guarantee ? s->alpha : "",
	     th->no_guarantee ? " = 0)" : "");
	LINE(ROLE_TEXT, "L%s=%s  %s%s=%s (estimates)  %s%s=%s  %s%s=%s", s->hat,
	     num(th->L_hat, b1, sizeof b1), s->delta, s->hat, num(th->delta_hat, b2, sizeof b2),
	     s->lambda, s->hat, num(th->lambda_hat, b3, sizeof b3), s->zeta, s->hat,
	     num(th->zeta_hat, b4, sizeof b4));
	const char *t22 = theory_thm22(th) == THM22_HOLDS   ? "holds"
			  : theory_thm22(th) == THM22_FAILS ? "fails"
							    : "unknown";
	LINE(ROLE_TEXT, "%s=%s  %s/%s_theory=%s  %s%s%s=%s  Thm 2.2 %s%s >= 4L r0: %s", s->eta,
	     num(r->eta, b1, sizeof b1), s->eta, s->eta, num(theory_eta_ratio(th, r->eta), b2, sizeof b2),
	     s->eta, a->ascii ? "*" : "·", a->ascii ? "beta^2" : "β²",
	     num(theory_eta_beta2(th, r->eta), b3, sizeof b3), s->alpha, s->sq, t22);
	LINE(ROLE_TEXT, "path %s  distance %s  directness %s", num(t->cur.path, b1, sizeof b1),
	     num(t->cur.distance, b2, sizeof b2), num(track_directness(t), b3, sizeof b3));
	if (with_layers && t->nlayers > 1)
		for (size_t l = 0; l < t->nlayers; l++)
			LINE(ROLE_LAYER1 + (int)(l % 8), "%-6s dist %s (%s)  path %s  directness %s",
			     r->m->layer[l].name, num(t->ldist[l], b1, sizeof b1),
			     num(track_layer_ndistance(t, l, t->ldist[l]), b2, sizeof b2),
			     num(t->lpath[l], b3, sizeof b3),
			     num(t->ldist[l] > 0 ? t->lpath[l] / t->ldist[l] : NAN, b4, sizeof b4));
	double bound = theory_path_bound_thm21(th), bz = theory_path_bound_zeta(th);
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
		/* the bound (2.5) holds only under Thm 2.2's condition */
		bool sure = theory_thm22(th) == THM22_HOLDS;
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
#undef LINE
}

/* The model in a few words for the status line; panel 4 has the rest. */
static void model_tag(const struct run *r, char *buf, size_t len)
{
	const struct model *m = r->m;
	if (m->nout > 1)
		snprintf(buf, len, "model %s  n=%zu C=%zu p=%zu", m->ops->name, m->nsamples, m->nout,
			 m->p);
	else
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
	else if (a->steps_per_sec >= 1e4)
		snprintf(state, sizeof state, "running %.0fk/s", a->steps_per_sec / 1e3);
	else if (a->steps_per_sec < 10) /* slow models (lenet): 0.8/s, not 1/s */
		snprintf(state, sizeof state, "running %.2g/s", a->steps_per_sec);
	else
		snprintf(state, sizeof state, "running %.0f/s", a->steps_per_sec);
	snprintf(line, sizeof line, " %s │ step %ld │ %s │ %s │ %s=%.4g │ %s%s=%s", tag, r->step, state,
		 optim_name(r->cfg.ocfg.kind), s->eta, r->eta, s->eta, a->ascii ? "*beta^2" : "·β²",
		 num(theory_eta_beta2(th, r->eta), b1, sizeof b1));
	if (th->spectrum_off) /* no β: no gauge */
		snprintf(line, sizeof line, " %s │ step %ld │ %s │ %s │ %s=%.4g", tag, r->step, state,
			 optim_name(r->cfg.ocfg.kind), s->eta, r->eta);
	text_w(c, 0, y, w, r->status == RUN_DIVERGED ? ROLE_WARNING : ROLE_STATUS, line);
	if (a->editing) {
		snprintf(line, sizeof line, " %s = %s_   (Enter sets, Esc cancels)", s->eta, a->edit);
		text_w(c, 0, y + 1, w, ROLE_WARNING, line);
		return;
	}
	int x = 1;
	char warn[256] = "", outside[64];
	if (r->cfg.ocfg.kind == OPT_GD)
		snprintf(outside, sizeof outside, "%ld of %ld checked", th->outside, th->checked);
	else
		snprintf(outside, sizeof outside, "gd only"); /* Thm 9.3 is about gradient descent */
	if (r->status == RUN_DIVERGED)
		snprintf(warn, sizeof warn, "DIVERGED at step %ld", r->status_step);
	else if (th->spectrum_off)
		snprintf(warn, sizeof warn, "spectrum not computed: no theorem's bound shown");
	else if (th->no_guarantee)
		snprintf(warn, sizeof warn, "%s = 0: no guarantee", s->alpha);
	else if (isnan(th->zeta_hat))
		snprintf(warn, sizeof warn, "%s not measured yet (spectrum every %ld steps)", s->zeta,
			 th->every);
	else if (!(th->zeta_hat > 0))
		snprintf(warn, sizeof warn, "%s <= 0: no guarantee at this %s", s->zeta, s->eta);
	if (!th->spectrum_off && r->step - th->spec_step > 2 * th->every)
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
	if (th->spectrum_off)
		snprintf(line, sizeof line, "r0=%s misfit=%s (step %ld) │ ? help  q quit",
			 num(th->r0, b4, sizeof b4), num(t->cur.residual, b5, sizeof b5), t->measured);
	else
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

void view_draw(struct canvas *c, const struct app *a)
{
	int w = canvas_width(c), h = canvas_height(c);
	canvas_clear(c);
	if (w < VIEW_MIN_COLS || h < VIEW_MIN_ROWS) {
		too_small(c, w, h);
		return;
	}
	int body = h - 2;
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
	} else if (w >= 120 && h >= 36) {
		int lw = w / 2, th = body / 2;
		panel_misfit(c, a, 0, 0, lw, th);
		panel_loss(c, a, lw + 1, 0, w - lw - 1, th);
		panel_layers(c, a, 0, th, lw, body - th);
		panel_info(c, a, lw + 2, th + 1, w - lw - 2, body - th - 1, true);
	} else {
		int lw = w * 56 / 100, th = body / 2;
		/* without a spectrum there are no bounds to draw: Fig. 2's per-layer paths */
		if (panel_classes_wanted(a))
			panel_layers(c, a, 0, 0, lw, body);
		else
			panel_misfit(c, a, 0, 0, lw, body);
		panel_loss(c, a, lw + 1, 0, w - lw - 1, th);
		panel_info(c, a, lw + 2, th + 1, w - lw - 2, body - th - 1, true);
	}
	status_lines(c, a, h - 2, w);
	if (a->help)
		help_overlay(c, w, h);
}
