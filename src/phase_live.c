/* phase_live.c — the live phase sweep behind the heat-map panel (phase_live.h). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gdpath/cli.h"
#include "gdpath/data.h"
#include "gdpath/phase_live.h"
#include "gdpath/pool.h"
#include "gdpath/track.h"
#include "gdpath/util.h"

void phase_live_trial_cfg(const struct phase_live *pl, const struct run_cfg *base, size_t i,
			  unsigned t, struct run_cfg *out)
{
	const struct phase_run *pr = pl->pr;
	const struct phase_cfg *c = &pr->cfg;
	size_t j = pr->cell[i];
	*out = *base;
	out->ops = c->ops;
	memset(&out->mcfg, 0, sizeof out->mcfg);
	out->mcfg.n = c->n;
	out->mcfg.k = pr->ks[j / c->nd];
	out->mcfg.d = pr->ds[j % c->nd];
	out->mcfg.act = c->act;
	out->mcfg.gamma = 0;
	out->labels = LABELS_GAUSSIAN;
	out->init = INIT_RANDOM;
	out->init_file = out->save_init = out->data_file = out->save_data = NULL;
	out->ocfg.kind = OPT_GD;
	out->eta_theory = isnan(c->eta);
	out->eta_scale = 1;
	out->eta = c->eta;
	out->seed = phase_trial_seed(c->seed, out->mcfg.k, out->mcfg.d, t);
}

struct phase_live *phase_live_new(const struct opts *o, struct run_cfg *rc, char **cause)
{
	struct phase_cfg c;
	if (phase_cfg_from_opts(o, &c, cause) != 0)
		return NULL;
	struct phase_live *pl = calloc(1, sizeof *pl);
	if (pl == NULL) {
		*cause = xstrdup("out of memory");
		return NULL;
	}
	pl->last_outcome = -1;
	/* one core fewer by default: the main thread steps the trial shown and reads keys */
	int jobs = o->sw.jobs > 0 ? o->sw.jobs : pool_default_jobs() > 1 ? pool_default_jobs() - 1 : 1;
	if ((pl->pr = phase_run_new(&c, &o->sw.shard, jobs, cause)) == NULL ||
	    phase_run_start(pl->pr, cause) != 0) {
		phase_live_free(pl);
		return NULL;
	}
	if (pl->pr->ncells == 0) {
		*cause = xstrdup("--shard: this shard has no cells of the grid");
		phase_live_free(pl);
		return NULL;
	}
	if (o->mode == MODE_SNAPSHOT)
		pool_wait(pl->pr->pool, -1);
	phase_live_trial_cfg(pl, &o->run, 0, 0, rc);
	return pl;
}

void phase_live_free(struct phase_live *pl)
{
	if (pl == NULL)
		return;
	phase_run_free(pl->pr);
	free(pl);
}

bool phase_live_trial_over(struct phase_live *pl, const struct run *r, int *outcome)
{
	const struct phase_cfg *c = &pl->pr->cfg;
	if (pl->finished)
		return false;
	double ynorm = vec_norm(r->data->y, r->m->n), res = r->tr->cur.residual;
	/* the stop rule of sweep_phase.c, on the tracker's misfit */
	if (r->status != RUN_OK || !isfinite(res) || res > 1000 * r->tr->r0)
		*outcome = PHASE_DIVERGED;
	else if (res / ynorm < c->tol)
		*outcome = PHASE_SUCCESS;
	else if (r->step >= c->max_steps)
		*outcome = PHASE_FAIL;
	else
		return false;
	pl->last_outcome = *outcome;
	pl->last_steps = r->step;
	return true;
}

bool phase_live_next(struct phase_live *pl)
{
	struct phase_run *pr = pl->pr;
	size_t cur = pl->cur;
	unsigned t = pl->trial + 1;
	if (t >= pr->cfg.trials) {
		cur++;
		t = 0;
	}
	/* jump ahead to where the pool works, if it is further on */
	size_t first = 0;
	while (first < pr->ncells && phase_run_cell_done(pr, first))
		first++;
	if (first < pr->ncells && first > cur) {
		cur = first;
		t = 0;
	}
	if (cur >= pr->ncells) {
		pl->finished = true;
		return false;
	}
	pl->cur = cur;
	pl->trial = t;
	return true;
}

void phase_live_pause(struct phase_live *pl, bool paused)
{
	pool_pause(pl->pr->pool, paused);
}

size_t phase_live_done(const struct phase_live *pl)
{
	return pool_done(pl->pr->pool) / pl->pr->cfg.trials;
}
