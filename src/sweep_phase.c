/* sweep_phase.c — `--sweep phase`: [OS19b] Sec. 4's phase-transition experiment (Fig. 2)
 * over a (k, d) grid, trials spread over the thread pool, rows per cell (sweep_phase.h). */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_rng.h>

#include "gdpath/act.h"
#include "gdpath/cli.h"
#include "gdpath/data.h"
#include "gdpath/model.h"
#include "gdpath/outfile.h"
#include "gdpath/pool.h"
#include "gdpath/run.h"
#include "gdpath/sweep.h"
#include "gdpath/sweep_phase.h"
#include "gdpath/util.h"

#define BLOWUP 1000.0    /* misfit above BLOWUP·r0: diverged (the "thousandfold") */
#define CANCEL_EVERY 256 /* steps between looks at pool_cancelled() */

static const size_t default_grid[] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13,
				      14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25};

/* Options a sweep does not use: everything that shapes a single run's output. */
static const char *const unused_opts[] = {"width", "dim", "rank", "depth", "gamma",
					  "train-output", "labels", "init", "save-init", "data",
					  "save-data", "optimizer", "minibatch", "beta1", "beta2",
					  "adam-eps", "spectrum-every", "steps", "every", NULL};

int phase_cfg_from_opts(const struct opts *o, struct phase_cfg *c, char **cause)
{
	const struct run_cfg *rc = &o->run;
	memset(c, 0, sizeof *c);
	for (size_t i = 0; unused_opts[i]; i++) {
		int code = cli_opt_code(unused_opts[i]);
		if (o->mode != MODE_BATCH && strcmp(unused_opts[i], "steps") == 0)
			continue; /* the live view's --snapshot steps */
		if (code >= 0 && o->given[code]) {
			const char *hint = strcmp(unused_opts[i], "width") == 0   ? " (use --ks)"
					   : strcmp(unused_opts[i], "dim") == 0   ? " (use --ds)"
					   : strcmp(unused_opts[i], "steps") == 0 ? " (use --max-steps)"
										  : "";
			*cause = xasprintf("--%s: --sweep phase does not use it%s", unused_opts[i], hint);
			return -1;
		}
	}
	/* The model: shallow (W trained) unless rf (v trained) was asked for. */
	c->ops = o->given['m'] ? rc->ops : &model_shallow_ops;
	if (c->ops != &model_shallow_ops && c->ops != &model_rf_ops) {
		*cause = xasprintf("--model: --sweep phase runs shallow or rf, not %s", c->ops->name);
		return -1;
	}
	c->act = rc->mcfg.act >= 0 ? rc->mcfg.act : ACT_SOFTPLUS;
	c->n = rc->mcfg.n ? rc->mcfg.n : 100;
	if (c->n > 100000) {
		*cause = xasprintf("--samples: %zu is more than a phase sweep's 100000", c->n);
		return -1;
	}
	c->ks = o->sw.nk ? o->sw.ks : default_grid;
	c->nk = o->sw.nk ? o->sw.nk : sizeof default_grid / sizeof default_grid[0];
	c->ds = o->sw.nd ? o->sw.ds : default_grid;
	c->nd = o->sw.nd ? o->sw.nd : sizeof default_grid / sizeof default_grid[0];
	c->trials = o->sw.trials ? (unsigned)o->sw.trials : 10;
	c->tol = o->sw.tol > 0 ? o->sw.tol : 2.5e-3; /* NAN (or a zeroed opts): the default */
	c->max_steps = o->sw.max_steps ? o->sw.max_steps : 15000;
	c->seed = rc->seed;
	/* [OS19b] Sec. 4: η = 0.15 (softplus), 0.1 (ReLU); rf: the least-squares step 1/‖Φ‖². */
	if (!rc->eta_theory)
		c->eta = rc->eta;
	else if (o->given['e'] || c->ops == &model_rf_ops)
		c->eta = NAN;
	else if (c->act == ACT_SOFTPLUS)
		c->eta = 0.15;
	else if (c->act == ACT_RELU)
		c->eta = 0.1;
	else {
		*cause = xasprintf("--eta: the paper gives no step for %s; give --eta X (or theory)",
				   act_name(c->act));
		return -1;
	}
	/* the largest trial must fit in memory once per thread */
	size_t kmax = 0, dmax = 0;
	for (size_t i = 0; i < c->nk; i++)
		kmax = c->ks[i] > kmax ? c->ks[i] : kmax;
	for (size_t i = 0; i < c->nd; i++)
		dmax = c->ds[i] > dmax ? c->ds[i] : dmax;
	struct model_cfg big = {.n = c->n, .d = dmax, .k = kmax, .act = c->act, .gamma = 0};
	int jobs = o->sw.jobs > 0 ? o->sw.jobs : pool_default_jobs();
	double need = (model_estimate_bytes(c->ops, &big) + 8.0 * (double)c->n * (double)c->n * 2) *
		      jobs,
	       have = mem_physical();
	if (have > 0 && need > 0.75 * have) {
		char a[32], b[32];
		*cause = xasprintf("--ks/--ds: a trial at k = %zu, d = %zu, n = %zu on %d threads needs about %s; this machine has %s",
				   kmax, dmax, c->n, jobs, fmt_bytes(need, a, sizeof a),
				   fmt_bytes(have, b, sizeof b));
		return -1;
	}
	double cells = (double)c->nk * (double)c->nd;
	if (cells * c->trials > 1e8) {
		*cause = xasprintf("--trials: %.3g trials in all is more than a sweep runs (1e8)",
				   cells * c->trials);
		return -1;
	}
	return 0;
}

static int phase_validate(const struct opts *o, char **cause)
{
	struct phase_cfg c;
	return phase_cfg_from_opts(o, &c, cause);
}

unsigned long phase_trial_seed(unsigned long seed, size_t k, size_t d, unsigned t)
{
	return (unsigned long)(pool_seed(seed, k, d, t, 0x9A5Eu) & 0xFFFFFFFFu);
}

/* The limit of GD on a model with a constant Jacobian J: r_∞ = (I − P) r_0, P the projection
 * onto range(J Jᵀ), from GSL's eigen-decomposition of J Jᵀ (eigenvalues above
 * n·ε·λ_max span the range). Sets out->misfit (relative to ynorm) and out->lmin. */
static int linear_limit(struct model *m, const double *theta, const double *r0, double ynorm,
			struct phase_trial *out)
{
	size_t n = m->n;
	gsl_matrix *G = gsl_matrix_alloc(n, n), *V = gsl_matrix_alloc(n, n);
	gsl_vector *ev = gsl_vector_alloc(n);
	gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc(n);
	double *Jscratch = m->ops->gram ? NULL : xcalloc(n * m->p, sizeof(double));
	int rc = -1;
	if (G && V && ev && w && (m->ops->gram || Jscratch) &&
	    model_gram(m, theta, G->data, Jscratch) == 0 &&
	    gsl_eigen_symmv(G, ev, V, w) == GSL_SUCCESS) {
		double lmax = gsl_vector_max(ev), lmin = gsl_vector_min(ev);
		double cut = (double)n * 2.220446049250313e-16 * lmax;
		double keep = 0; /* ‖P r0‖² */
		for (size_t i = 0; i < n; i++) {
			if (!(gsl_vector_get(ev, i) > cut))
				continue;
			double c = 0;
			for (size_t j = 0; j < n; j++)
				c += gsl_matrix_get(V, j, i) * r0[j];
			keep += c * c;
		}
		double all = 0;
		for (size_t j = 0; j < n; j++)
			all += r0[j] * r0[j];
		out->misfit = sqrt(fmax(0, all - keep)) / ynorm;
		out->lmin = lmin > cut ? lmin : 0; /* below the cut: rounding of a singular matrix */
		rc = 0;
	}
	free(Jscratch);
	gsl_matrix_free(G);
	gsl_matrix_free(V);
	gsl_vector_free(ev);
	if (w)
		gsl_eigen_symmv_free(w);
	return rc;
}

void phase_trial(const struct phase_cfg *c, size_t k, size_t d, unsigned t,
		 const struct pool *p, struct phase_trial *out)
{
	struct model_cfg mc = {.n = c->n, .d = d, .k = k, .act = c->act, .gamma = 0};
	struct dataset *ds = data_new(c->n, d);
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	struct model *m = NULL;
	double *theta = NULL, *r = NULL, *g = NULL;
	char *cause = NULL;
	out->outcome = PHASE_ERROR;
	out->steps = 0;
	out->misfit = NAN;
	out->lmin = NAN;
	if (ds == NULL || rng == NULL)
		goto done;
	/* The same draws, in the same order, as run_new() for this seed (run.c). */
	gsl_rng_set(rng, run_seed_mix(phase_trial_seed(c->seed, k, d, t), 0));
	c->ops->gen_x(&mc, rng, ds->X);
	if (data_labels(ds, LABELS_GAUSSIAN, rng, &cause) != 0)
		goto done;
	if ((m = model_new(c->ops, &mc, ds, &cause)) == NULL)
		goto done;
	size_t n = m->n, np = m->p;
	theta = xcalloc(np, sizeof(double));
	r = xcalloc(n, sizeof(double));
	g = xcalloc(np, sizeof(double));
	if (!theta || !r || !g)
		goto done;
	c->ops->init(m, rng, theta);
	double eta = c->eta;
	if (isnan(eta))
		eta = c->ops->theory_eta ? c->ops->theory_eta(m, theta) : NAN;
	if (!(eta > 0) || !isfinite(eta))
		goto done;
	double ynorm = vec_norm(ds->y, n);
	if (!(ynorm > 0))
		goto done;
	/* Plain GD on ½‖f(θ) − y‖²: θ ← θ − η Jᵀr (SPEC §4 (2.2)); stop at the first step
	 * whose relative misfit is under tol ([OS19b] Sec. 4). */
	if (m->constant_jacobian) {
		model_residual(m, theta, r);
		if (linear_limit(m, theta, r, ynorm, out) == 0) {
			out->outcome = out->misfit < c->tol ? PHASE_SUCCESS : PHASE_FAIL;
			out->steps = -1;
		}
		goto done;
	}
	double r0 = NAN;
	for (long step = 0;; step++) {
		model_residual(m, theta, r);
		double res = vec_norm(r, n);
		if (step == 0)
			r0 = res;
		out->steps = step;
		out->misfit = res / ynorm;
		if (!isfinite(res) || res > BLOWUP * r0) {
			out->outcome = PHASE_DIVERGED;
			break;
		}
		if (res / ynorm < c->tol) {
			out->outcome = PHASE_SUCCESS;
			break;
		}
		if (step == c->max_steps) {
			out->outcome = PHASE_FAIL;
			break;
		}
		if (p && step % CANCEL_EVERY == 0 && pool_cancelled(p)) {
			out->outcome = PHASE_CANCELLED;
			break;
		}
		c->ops->vjp(m, theta, r, NULL, 0, g);
		for (size_t j = 0; j < np; j++)
			theta[j] -= eta * g[j];
	}
done:
	free(cause);
	free(theta);
	free(r);
	free(g);
	model_free(m);
	data_free(ds);
	if (rng)
		gsl_rng_free(rng);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
	if (n == 0)
		return NAN;
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

void phase_run_cell(const struct phase_run *pr, size_t i, struct phase_cell *out)
{
	const struct phase_cfg *c = &pr->cfg;
	size_t j = pr->cell[i];
	const struct phase_trial *tr = pr->tr + i * c->trials;
	double steps[c->trials], mis[c->trials], lm[c->trials];
	size_t ns = 0;
	memset(out, 0, sizeof *out);
	out->k = pr->ks[j / c->nd];
	out->d = pr->ds[j % c->nd];
	out->trials = c->trials;
	for (unsigned t = 0; t < c->trials; t++) {
		if (tr[t].outcome == PHASE_SUCCESS && tr[t].steps >= 0) {
			out->successes++;
			steps[ns++] = (double)tr[t].steps;
		}
		out->successes += tr[t].outcome == PHASE_SUCCESS && tr[t].steps < 0;
		out->diverged += tr[t].outcome == PHASE_DIVERGED;
		mis[t] = tr[t].misfit;
		lm[t] = tr[t].lmin;
	}
	out->rate = (double)out->successes / (double)c->trials;
	out->median_steps = median(steps, ns);
	out->median_misfit = median(mis, c->trials);
	out->median_lmin = median(lm, c->trials);
}

static void work(void *ctx, size_t idx, int worker)
{
	(void)worker;
	struct phase_run *pr = ctx;
	const struct phase_cfg *c = &pr->cfg;
	size_t i = idx / c->trials, j = pr->cell[i];
	unsigned t = (unsigned)(idx % c->trials);
	phase_trial(c, pr->ks[j / c->nd], pr->ds[j % c->nd], t, pr->pool, &pr->tr[idx]);
}

void phase_run_free(struct phase_run *pr)
{
	if (pr == NULL)
		return;
	pool_free(pr->pool);
	free(pr->ks);
	free(pr->ds);
	free(pr->cell);
	free(pr->tr);
	free(pr);
}

struct phase_run *phase_run_new(const struct phase_cfg *c, const struct shard *sh, int jobs,
				char **cause)
{
	struct phase_run *pr = calloc(1, sizeof *pr);
	if (pr == NULL) {
		*cause = xstrdup("out of memory");
		return NULL;
	}
	pr->cfg = *c;
	pr->shard = *sh;
	if (pr->shard.n < 1) /* a zeroed struct: everything */
		shard_whole(&pr->shard);
	sh = &pr->shard;
	size_t total = c->nk * c->nd;
	pr->ks = xmallocarray(c->nk, sizeof(size_t));
	pr->ds = xmallocarray(c->nd, sizeof(size_t));
	pr->ncells = shard_count(sh, total);
	pr->cell = xmallocarray(pr->ncells ? pr->ncells : 1, sizeof(size_t));
	pr->tr = xcalloc(pr->ncells * c->trials + 1, sizeof *pr->tr);
	if (!pr->ks || !pr->ds || !pr->cell || !pr->tr) {
		*cause = xstrdup("out of memory for the sweep");
		phase_run_free(pr);
		return NULL;
	}
	memcpy(pr->ks, c->ks, c->nk * sizeof(size_t));
	memcpy(pr->ds, c->ds, c->nd * sizeof(size_t));
	pr->cfg.ks = pr->ks;
	pr->cfg.ds = pr->ds;
	for (size_t j = 0, i = 0; j < total; j++)
		if (shard_owns(sh, j))
			pr->cell[i++] = j;
	if ((pr->pool = pool_new(jobs, cause)) == NULL) {
		phase_run_free(pr);
		return NULL;
	}
	return pr;
}

int phase_run_start(struct phase_run *pr, char **cause)
{
	return pool_start(pr->pool, pr->ncells * pr->cfg.trials, work, pr, cause);
}

bool phase_run_cell_done(struct phase_run *pr, size_t i)
{
	for (unsigned t = 0; t < pr->cfg.trials; t++)
		if (!pool_is_done(pr->pool, i * pr->cfg.trials + t))
			return false;
	return true;
}

void phase_write_csv(FILE *out, const struct phase_run *pr)
{
	const struct phase_cfg *c = &pr->cfg;
	bool rf = c->ops == &model_rf_ops;
	fprintf(out, "# gdpath %s\n", PACKAGE_VERSION);
	fprintf(out, "# sweep: phase ([OS19b] Sec. 4, Fig. 2)\n");
	fprintf(out, "# model: %s (%s trained)\n", c->ops->name, rf ? "v" : "W");
	fprintf(out, "# activation: %s\n", act_name(c->act));
	fprintf(out, "# n: %zu\n", c->n);
	fputs("# ks: ", out);
	sweep_write_list(out, c->ks, c->nk);
	fputs("\n# ds: ", out);
	sweep_write_list(out, c->ds, c->nd);
	fprintf(out, "\n# trials: %u\n", c->trials);
	fputs("# tol: ", out);
	sweep_num(out, c->tol);
	fprintf(out, "\n# max_steps: %ld\n# eta: ", c->max_steps);
	if (isnan(c->eta))
		fputs("theory (the model's step size, per trial)", out);
	else
		sweep_num(out, c->eta);
	fprintf(out, "\n# seed: %lu\n", c->seed);
	if (rf) {
		fputs("# success: the limit of GD on v, the closest least-squares fit of (3.1), has "
		      "|f-y|/|y| < tol (computed exactly: at the stable step GD needs far more than "
		      "max_steps); Thm 3.2: it is 0 when lambda_min(Phi Phi^T) > 0\n",
		      out);
		fputs("# columns: rate = successes/trials; median_steps empty (no steps); "
		      "median_misfit = median |f-y|/|y| of the limit; median_lambda_min = median "
		      "lambda_min(Phi Phi^T) at W0\n",
		      out);
	} else {
		fputs("# success: |f(theta)-y|/|y| < tol at a step <= max_steps (the first such step "
		      "is the trial's steps); diverged: the misfit turned non-finite or exceeded "
		      "1000 r0\n",
		      out);
		fputs("# columns: rate = successes/trials; median_steps over the successful trials; "
		      "median_misfit = median final |f-y|/|y|\n",
		      out);
	}
	fprintf(out, "# rows: %zu\n", c->nk * c->nd);
	shard_write_meta(out, &pr->shard);
	fputs(rf ? "k,d,kd,trials,successes,diverged,rate,median_steps,median_misfit,median_lambda_min\n"
		 : "k,d,kd,trials,successes,diverged,rate,median_steps,median_misfit\n",
	      out);
	for (size_t i = 0; i < pr->ncells; i++) {
		struct phase_cell cell;
		phase_run_cell(pr, i, &cell);
		fprintf(out, "%zu,%zu,%zu,%u,%u,%u,", cell.k, cell.d, cell.k * cell.d, cell.trials,
			cell.successes, cell.diverged);
		sweep_num(out, cell.rate);
		fputc(',', out);
		if (!isnan(cell.median_steps))
			sweep_num(out, cell.median_steps);
		fputc(',', out);
		sweep_num(out, cell.median_misfit);
		if (rf) {
			fputc(',', out);
			sweep_num(out, cell.median_lmin);
		}
		fputc('\n', out);
	}
}

static int phase_batch(const struct opts *o)
{
	struct phase_cfg c;
	char *cause = NULL;
	if (phase_cfg_from_opts(o, &c, &cause) != 0) {
		fprintf(stderr, "gdpath: %s\n", cause);
		free(cause);
		return EXIT_USAGE;
	}
	struct phase_run *pr = phase_run_new(&c, &o->sw.shard, o->sw.jobs, &cause);
	struct outfile of = {0};
	int rc = EXIT_OK;
	if (pr == NULL) {
		fprintf(stderr, "gdpath: %s\n", cause);
		free(cause);
		return EXIT_ERROR;
	}
	/* The output file exists (as a temporary) before the long work, so a bad path fails
	 * at once, not after an hour. */
	if (outfile_open(&of, o->output, &cause) != 0) {
		rc = EXIT_ERROR;
		goto fail;
	}
	sweep_catch_signals();
	if (phase_run_start(pr, &cause) != 0) {
		rc = EXIT_ERROR;
		goto fail;
	}
	struct sweep_progress prog;
	sweep_progress_start(&prog, "phase");
	size_t ntr = pr->ncells * c.trials;
	while (!pool_wait(pr->pool, 0.25)) {
		if (sweep_interrupted())
			break;
		sweep_progress_show(&prog, pool_done(pr->pool) / c.trials, pr->ncells, "cells");
	}
	sweep_progress_end(&prog);
	if (sweep_interrupted()) {
		pool_cancel(pr->pool);
		outfile_abort(&of);
		fprintf(stderr, "gdpath: interrupted after %zu of %zu trials; no CSV written\n",
			pool_done(pr->pool), ntr);
		phase_run_free(pr);
		return 128 + sweep_interrupted();
	}
	for (size_t i = 0; i < ntr; i++)
		if (pr->tr[i].outcome == PHASE_ERROR) {
			size_t j = pr->cell[i / c.trials];
			cause = xasprintf("trial %zu of cell k=%zu d=%zu could not be set up (out of memory?)",
					  i % c.trials, pr->ks[j / c.nd], pr->ds[j % c.nd]);
			rc = EXIT_ERROR;
			goto fail;
		}
	phase_write_csv(of.f, pr);
	if (outfile_commit(&of, &cause) != 0) {
		rc = EXIT_ERROR;
		goto fail;
	}
	phase_run_free(pr);
	return EXIT_OK;
fail:
	fprintf(stderr, "gdpath: %s\n", cause);
	free(cause);
	outfile_abort(&of);
	phase_run_free(pr);
	return rc;
}

const struct sweep sweep_phase = {
    .name = "phase",
    .summary = "success rate of GD over a (k, d) grid at n samples ([OS19b] Sec. 4, Fig. 2)",
    .validate = phase_validate,
    .batch = phase_batch,
};
