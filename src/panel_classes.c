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
#include "gdpath/layout.h"
#include "gdpath/optim.h"
#include "gdpath/panel.h"
#include "gdpath/plot.h"
#include "gdpath/run.h"
#include "gdpath/theory.h"
#include "gdpath/track.h"

bool panel_classes_wanted(const struct app *a)
{
	const struct run *r = app_active(a);
	return r->ce != NULL && r->th->spectrum_off;
}

void panel_classes(struct canvas *c, const struct app *a, int x, int y, int w, int h,
		   struct panel_legend *away)
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
	panel_legend_place(&p, le, 3, away, a->legends);
}

int panel_classes_info(struct canvas *c, const struct app *a, int x, int y, int w, int h)
{
	const struct run *r = app_active(a);
	const struct clserr *e = r->ce;
	const struct track *t = r->tr;
	const struct syms *s = view_syms(a);
	char b1[32], b2[32], b3[32], ml[160];
	struct llist l;
	struct litem *it;
	canvas_erase(c, x, y, w, h);
	llist_init(&l);
	panel_model_line(r, ml, sizeof ml);
	it = llist_add(&l, 3, ROLE_TITLE, "%s", ml);
	llist_brief(it, "model %s  n=%zu p=%zu", r->m->ops->name, r->m->nsamples, r->m->p);
	llist_break(&l);
	it = llist_add(&l, 0, ROLE_TEXT, "misfit %s = %s r0 at step %ld", panel_num(t->cur.residual, b1, sizeof b1),
		       panel_num(t->cur.residual / t->r0, b2, sizeof b2), t->measured);
	llist_brief(it, "misfit %s = %s r0", b1, b2);
	llist_add(&l, 3, ROLE_TEXT, "r0 %s", panel_num(t->r0, b3, sizeof b3));
	llist_break(&l);
	if (e && e->step >= 0) {
		llist_add(&l, 0, ROLE_TEXT, "train error %.1f%%", 100 * e->train);
		llist_add(&l, 0, ROLE_TEXT, "test error %.1f%%", 100 * e->test);
		llist_add(&l, 2, ROLE_TEXT, "at step %ld", e->step);
		llist_break(&l);
	}
	if (r->measure_every > 1)
		it = llist_add(&l, 2, ROLE_MARK, "misfit & errors every %ld steps; test on the first %zu test images",
			       r->measure_every, e ? e->ntest : (size_t)0);
	else
		it = llist_add(&l, 2, ROLE_MARK, "errors every %ld steps; test on the first %zu test images",
			       r->errors_every, e ? e->ntest : (size_t)0);
	llist_brief(it, "measured every %ld steps", r->measure_every > 1 ? r->measure_every : r->errors_every);
	llist_break(&l);
	it = llist_add(&l, 0, ROLE_WARNING, "not computed (J is %zux%zu): %s %s L %s %s %s, bound lines,",
		       r->m->n, r->m->p, s->alpha, s->beta, s->delta, s->lambda, s->zeta);
	llist_brief(it, "spectrum not computed");
	llist_add(&l, 1, ROLE_WARNING, "path bounds, theory %s, outside count: no theorem shown", s->eta);
	llist_break(&l);
	llist_add(&l, 0, ROLE_TEXT, "%s=%s", s->eta, panel_num(r->eta, b1, sizeof b1));
	llist_add(&l, 1, ROLE_TEXT, "%s", optim_name(r->cfg.ocfg.kind));
	llist_add(&l, 2, ROLE_TEXT, "minibatch %zu", r->cfg.ocfg.minibatch);
	llist_break(&l);
	panel_path_items(&l, &t->cur);
	panel_layer_items(&l, r);
	it = llist_add(&l, 6, ROLE_TEXT, "data %s, %zu images, seed %lu",
		       r->cfg.data_file ? r->cfg.data_file : IDX_DEFAULT_DIR, r->m->nsamples, r->cfg.seed);
	llist_brief(it, "seed %lu", r->cfg.seed);
	return layout_draw(c, x, y, w, h, &l, "  ", ROLE_TEXT);
}
