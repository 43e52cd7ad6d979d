/* panel_classes.c — what the screen shows for models trained on image classes without a
 * Jacobian spectrum (lenet): [OS19] Fig. 3a/b (training and test classification error and
 * the normalized misfit against iterations) in place of the loss plot, and the model
 * panel's text saying which theory quantities are not computed. Reads the run; no curses. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gdpath/app.h"
#include "gdpath/canvas.h"
#include "gdpath/clserr.h"
#include "gdpath/data.h"
#include "gdpath/idx.h"
#include "gdpath/panel.h"
#include "gdpath/plot.h"
#include "gdpath/run.h"
#include "gdpath/theory.h"
#include "gdpath/track.h"

/* Text cut to w cells (UTF-8 aware). */
static void text_cut(struct canvas *c, int x, int y, int w, int role, const char *s)
{
	char buf[512];
	size_t o = 0;
	int cells = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && o + 4 < sizeof buf; p++) {
		if ((*p & 0xC0) != 0x80 && cells++ == w)
			break;
		buf[o++] = (char)*p;
	}
	while (o > 0 && ((unsigned char)buf[o - 1] & 0xC0) == 0xC0)
		o--; /* never end inside a character */
	buf[o] = '\0';
	canvas_text(c, x, y, buf, role);
}

bool panel_classes_wanted(const struct app *a)
{
	const struct run *r = app_active(a);
	return r->ce != NULL && r->th->spectrum_off;
}

void panel_classes(struct canvas *c, const struct app *a, int x, int y, int w, int h)
{
	const struct run *r = app_active(a);
	const struct clserr *e = r->ce;
	const struct track *t = r->tr;
	struct plot p;
	plot_init(&p, c, x, y, w, h, 0);
	long smax = t->cur.step > 10 ? t->cur.step : 10;
	plot_set_x(&p, 0, (double)smax, PLOT_LINEAR);
	plot_set_y(&p, 0, 1.05, PLOT_LINEAR);
	plot_axes(&p, "step", a->ascii ? "error, |r|/r0" : "error, ‖r‖/r0");
	/* normalized misfit at its measured steps (the history holds only those) */
	plot_pen_up(&p);
	for (size_t j = 0; j < t->len; j++)
		plot_pen_to(&p, (double)t->h[j].step, t->h[j].residual / t->r0, ROLE_TRAJECTORY,
			    CANVAS_SOLID);
	if (t->measured == t->cur.step)
		plot_pen_to(&p, (double)t->cur.step, t->cur.residual / t->r0, ROLE_TRAJECTORY,
			    CANVAS_SOLID);
	plot_pen_up(&p);
	for (size_t j = 0; j < e->len; j++)
		plot_pen_to(&p, (double)e->h_step[j], e->h_train[j], ROLE_LAYER1 + 1, CANVAS_SOLID);
	plot_pen_up(&p);
	for (size_t j = 0; j < e->len; j++)
		if (isfinite(e->h_test[j]))
			plot_pen_to(&p, (double)e->h_step[j], e->h_test[j], ROLE_LAYER1 + 3,
				    CANVAS_DASHED);
	static char tr[64], te[64], mf[64];
	snprintf(mf, sizeof mf, "%s", a->ascii ? "misfit |r|/r0" : "misfit ‖r‖/r0");
	snprintf(tr, sizeof tr, "train error (n=%zu)", r->m->nsamples);
	snprintf(te, sizeof te, "test error (%zu imgs)", e->ntest);
	struct plot_legend_entry le[3] = {
	    {PLOT_LEGEND_LINE, ROLE_TRAJECTORY, CANVAS_SOLID, 0, mf},
	    {PLOT_LEGEND_LINE, ROLE_LAYER1 + 1, CANVAS_SOLID, 0, tr},
	    {PLOT_LEGEND_LINE, ROLE_LAYER1 + 3, CANVAS_DASHED, 0, te},
	};
	if (p.aw >= 28 && p.ah >= 6)
		plot_legend(&p, le, 3, PLOT_SW); /* errors and misfit fall from the top left */
}

int panel_classes_info(struct canvas *c, const struct app *a, int x, int y, int w, int h)
{
	const struct run *r = app_active(a);
	const struct clserr *e = r->ce;
	const struct track *t = r->tr;
	const struct syms *s = view_syms(a);
	char line[512];
	int row = y, end = y + h;
#define OUT(role, ...)                                                                             \
	do {                                                                                       \
		if (row < end) {                                                                   \
			snprintf(line, sizeof line, __VA_ARGS__);                                  \
			text_cut(c, x, row++, w, role, line);                                      \
		}                                                                                  \
	} while (0)
	OUT(ROLE_TEXT, "r0=%.4g  misfit=%.4g (%.3g r0) at step %ld", t->r0, t->cur.residual,
	    t->cur.residual / t->r0, t->measured);
	if (e && e->step >= 0)
		OUT(ROLE_TEXT, "train error %.1f%%  test error %.1f%% at step %ld", 100 * e->train,
		    100 * e->test, e->step);
	if (r->measure_every > 1)
		OUT(ROLE_MARK, "misfit & errors every %ld steps; test on first %zu test images",
		    r->measure_every, e ? e->ntest : (size_t)0);
	else if (e)
		OUT(ROLE_MARK, "errors every %ld steps; test on first %zu test images",
		    r->errors_every, e->ntest);
	OUT(ROLE_WARNING, "not computed (J is %zux%zu): %s %s L %s %s %s, bound lines,", r->m->n,
	    r->m->p, s->alpha, s->beta, s->delta, s->lambda, s->zeta);
	OUT(ROLE_WARNING, "  path bounds, theory %s, outside count: no theorem shown", s->eta);
	OUT(ROLE_TEXT, "%s=%.4g  %s  minibatch %zu", s->eta, r->eta, optim_name(r->cfg.ocfg.kind),
	    r->cfg.ocfg.minibatch);
	OUT(ROLE_TEXT, "path %.4g  distance %.4g  directness %.4g", t->cur.path, t->cur.distance,
	    track_directness(t));
	for (size_t l = 0; l < t->nlayers; l++)
		OUT(ROLE_LAYER1 + (int)(l % 8), "%-6s dist %.3g (%.3g)  path %.3g  directness %.3g",
		    r->m->layer[l].name, t->ldist[l], track_layer_ndistance(t, l, t->ldist[l]),
		    t->lpath[l], t->ldist[l] > 0 ? t->lpath[l] / t->ldist[l] : NAN);
	OUT(ROLE_TEXT, "data %s, %zu images, seed %lu",
	    r->cfg.data_file ? r->cfg.data_file : IDX_DEFAULT_DIR, r->m->nsamples, r->cfg.seed);
#undef OUT
	return row - y;
}
