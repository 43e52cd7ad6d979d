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

/* %.3g, or "n/a" for undefined values (panel.h). */
const char *panel_num(double v, char *buf, size_t len)
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

/* A step rate for the status line: "60", "35k", "1.2M". */
static const char *rate(double sps, char *buf, size_t len)
{
	if (sps >= 1e6)
		snprintf(buf, len, "%.1fM", sps / 1e6);
	else if (sps >= 1e4)
		snprintf(buf, len, "%.0fk", sps / 1e3);
	else if (sps < 10) /* slow models (lenet): 0.8/s, not 1/s */
		snprintf(buf, len, "%.2g", sps);
	else
		snprintf(buf, len, "%.0f", sps);
	return buf;
}

/* The model in a few words for the status line; panel 4 has the rest. */
static void model_tag(const struct run *r, char *buf, size_t len)
{
	const struct model *m = r->m;
	if (m->nout > 1)
		snprintf(buf, len, "model %s  n=%zu C=%zu p=%zu", m->ops->name, m->nsamples, m->nout, m->p);
	else
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
	char b1[32], b2[32], b3[32], b4[32], tag[96], state[64], line[512];
	struct llist l;
	struct litem *it;
	canvas_fill_bg(c, 0, y, w, 2, ROLE_STATUS);
	model_tag(r, tag, sizeof tag);
	run_state(a, state, sizeof state);
	bool bad = r->status != RUN_OK || a->meta[a->active].halted;
	bool unstable = theory_eta_beta2(th, r->eta) > 2;

	llist_init(&l);
	it = llist_add(&l, 1, ROLE_STATUS, "%s", tag);
	llist_brief(it, "model %s", r->m->ops->name);
	if (a->cursor >= 0)
		llist_add(&l, 0, ROLE_STATUS, "step %ld of %ld", app_view_point(a, a->active)->step, r->step);
	else
		llist_add(&l, 0, ROLE_STATUS, "step %ld", r->step);
	if (!bad && !a->paused && a->steps_per_sec > 0) {
		if (app_speed(a) > 0 && a->engine_sps > 1.25 * a->steps_per_sec)
			/* the pace (--speed, ]/[, or the adaptive one) holds the run below what the
			 * optimizer does: say both */
			it = llist_add(&l, 0, ROLE_STATUS, "running %s/s (paced; free %s/s)",
				       rate(a->steps_per_sec, b1, sizeof b1), rate(a->engine_sps, b2, sizeof b2));
		else
			it = llist_add(&l, 0, ROLE_STATUS, "running %s/s", rate(a->steps_per_sec, b1, sizeof b1));
		llist_brief(it, "running %s/s", b1);
	} else {
		llist_add(&l, 0, bad ? ROLE_WARNING : ROLE_STATUS, "%s", state);
	}
	llist_add(&l, 1, ROLE_STATUS, "%s", optim_name(r->cfg.ocfg.kind));
	llist_add(&l, 0, ROLE_STATUS, "%s=%s", s->eta, panel_num(r->eta, b1, sizeof b1));
	if (!th->spectrum_off) { /* no β: no gauge */
		it = llist_add(&l, 0, unstable ? ROLE_WARNING : ROLE_STATUS, "%s%s=%s%s", s->eta,
			       a->ascii ? "*beta^2" : "·β²", panel_num(theory_eta_beta2(th, r->eta), b2, sizeof b2),
			       unstable ? " > 2: unstable" : "");
		if (unstable)
			llist_brief(it, "%s%s=%s>2", s->eta, a->ascii ? "*beta^2" : "·β²", b2);
	}
	layout_draw(c, 1, y, w - 1, 1, &l, sep, ROLE_STATUS);

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
	/* A message longer than the row has the row to itself (cut: it is words, not a
	 * number); it lasts until the next key. */
	if (a->msg[0] && layout_cells(a->msg) > w - 2) {
		text_w(c, 1, y + 1, w - 1, a->msg_warn ? ROLE_WARNING : ROLE_STATUS, a->msg);
		return;
	}
	llist_init(&l);
	if (a->msg[0])
		llist_add(&l, 0, a->msg_warn ? ROLE_WARNING : ROLE_STATUS, "%s", a->msg);
	/* the verdict when no theorem's guarantee applies (theory_verdict_text) */
	if (!theory_guaranteed(th) && r->status != RUN_DIVERGED) {
		char vt[192], vb[64];
		it = llist_add(&l, 1, ROLE_WARNING, "%s", theory_verdict_text(th, a->ascii, false, vt, sizeof vt));
		llist_brief(it, "%s", theory_verdict_brief(th, a->ascii, vb, sizeof vb));
	}
	if (!th->spectrum_off && r->step - th->spec_step > 2 * th->every)
		llist_add(&l, 2, ROLE_WARNING, "spectrum stale (%ld steps)", r->step - th->spec_step);
	/* steps are checked only where a theorem's guarantee applied (Thm 9.3 or 4.1) */
	if (th->spectrum_off) {
		/* nothing to check, no α, β, L: the verdict item says why */
	} else if (th->method != THEORY_GD) {
		llist_add(&l, 2, ROLE_STATUS, "outside: gd only");
	} else if (th->checked > 0) {
		it = llist_add(&l, 0, ROLE_STATUS, "outside: %ld of %ld checked", th->outside, th->checked);
		llist_brief(it, "outside %ld/%ld", th->outside, th->checked);
	} else {
		llist_add(&l, 1, ROLE_STATUS, "none checked");
	}
	const struct track_point *vp = app_view_point(a, a->active);
	if (a->cursor < 0 && r->tr->measured != vp->step) /* --measure-every: an earlier step's */
		llist_add(&l, 3, ROLE_STATUS, "misfit=%s (step %ld)", panel_num(vp->residual, b1, sizeof b1),
			  r->tr->measured);
	else
		llist_add(&l, 3, ROLE_STATUS, "misfit=%s", panel_num(vp->residual, b1, sizeof b1));
	if (!th->spectrum_off) {
		it = llist_add(&l, 4, ROLE_STATUS, "%s=%s %s=%s L=%s", s->alpha,
			       panel_num(th->alpha_hat, b2, sizeof b2), s->beta,
			       panel_num(th->beta_hat, b3, sizeof b3), panel_num(th->L_hat, b4, sizeof b4));
		llist_brief(it, "%s=%s %s=%s", s->alpha, b2, s->beta, b3);
	}
	llist_add(&l, 5, ROLE_STATUS, "r0=%s", panel_num(th->r0, b1, sizeof b1));
	if (!th->spectrum_off)
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

/* The top-right slot: the range test while it is shown, else the parameter space when it
 * was asked for on a terminal too small for its own slot, else the loss plot. */
static void top_right(struct canvas *c, const struct app *a, bool param, int x, int y, int w,
		      int h, struct panel_legend *away)
{
	if (a->eta_sweep)
		panel_eta(c, a, x, y, w, h, away);
	else if (param)
		panel_param(c, a, x, y, w, h, away);
	else
		panel_loss(c, a, x, y, w, h, away);
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
	bool param = panel_param_shown(a, w, h);
	if (a->phase) {
		/* the phase presets: the trial shown on the left, the map filling in on the right */
		int big = w >= 120 && h >= 36;
		int lw = w / 2, rw = w - lw - 2;
		int ph = panel_phase_rows(a, rw);
		if (ph > body - 5)
			ph = body - 5;
		if (big) {
			int th = body / 2;
			panel_misfit(c, a, 0, 0, lw, th, &away);
			panel_loss(c, a, 0, th, lw, body - th, &away);
		} else {
			panel_misfit(c, a, 0, 0, lw, body, &away);
		}
		panel_phase(c, a, lw + 2, 0, rw, ph);
		panel_info(c, a, lw + 2, ph + 1, rw, body - ph - 1, big, &away);
	} else if (param && w >= PANEL_PARAM_MIN_COLS && h >= PANEL_PARAM_MIN_ROWS) {
		/* misfit | parameter space | loss over per-layer paths | model */
		int cw = w / 3, th = body / 2, lw = w / 2;
		panel_misfit(c, a, 0, 0, cw, th, &away);
		panel_param(c, a, cw + 1, 0, cw, th, &away);
		top_right(c, a, false, 2 * cw + 2, 0, w - 2 * cw - 2, th, &away);
		panel_layers(c, a, 0, th, lw, body - th, &away);
		panel_info(c, a, lw + 2, th + 1, w - lw - 2, body - th - 1, true, &away);
	} else if (w >= 120 && h >= 36) {
		int lw = w / 2, th = body / 2;
		panel_misfit(c, a, 0, 0, lw, th, &away);
		top_right(c, a, param, lw + 1, 0, w - lw - 1, th, &away);
		panel_layers(c, a, 0, th, lw, body - th, &away);
		panel_info(c, a, lw + 2, th + 1, w - lw - 2, body - th - 1, true, &away);
	} else {
		int lw = w * 56 / 100, th = body / 2;
		/* without a spectrum there are no bounds to draw: Fig. 2's per-layer paths */
		if (panel_classes_wanted(a))
			panel_layers(c, a, 0, 0, lw, body, &away);
		else
			panel_misfit(c, a, 0, 0, lw, body, &away);
		top_right(c, a, param, lw + 1, 0, w - lw - 1, th, &away);
		panel_info(c, a, lw + 2, th + 1, w - lw - 2, body - th - 1, true, &away);
	}
	status_lines(c, a, h - 2, w);
	if (a->help)
		help_overlay(c, w, h);
}
