/* sweep_layers.c — `--batch --trials N` (the sweep "layers"): [OS19] Fig. 2's realizations.
 * Trial t is the single run with --seed S+t (its own data sample and θ0); from its measured
 * history, per layer, the normalized distance ‖W−W0‖_F/‖W0‖_F where the normalized misfit
 * ‖r‖/r0 first falls to each value of a fixed grid, by linear interpolation (GSL interp) on
 * the first-passage points; over the trials, the mean and standard deviation at each grid
 * value (GSL statistics), over the trials that reached it.
 *
 * Output: the whole sweep writes the band (one row per grid value). With --shard i/N a
 * shard writes its trials, one row each, which `--merge` joins into the trials of the whole;
 * `--batch --band FILE` turns such a file into the band, the same bytes the unsharded run
 * writes. The live view draws a band file (or a trials file) behind the run (--band). */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_interp.h>
#include <gsl/gsl_statistics_double.h>

#include "gdpath/band.h"
#include "gdpath/cli.h"
#include "gdpath/clserr.h"
#include "gdpath/outfile.h"
#include "gdpath/pool.h"
#include "gdpath/run.h"
#include "gdpath/shard.h"
#include "gdpath/sweep.h"
#include "gdpath/track.h"
#include "gdpath/util.h"

#define DEFAULT_TRIALS 20

struct trial {
	int status;         /* 0 ok, else an exit status */
	char *cause;
	unsigned long seed;
	long steps;
	double nres, train, test;
	double nd[MODEL_MAX_LAYERS][BAND_GRID];
};

struct layers_run {
	const struct opts *o;
	struct run_cfg cfg;
	long steps;
	size_t ntrials, nlayers;
	const char *layer_names[MODEL_MAX_LAYERS];
	struct trial *tr;     /* one per trial of the whole list (only this shard's filled) */
	size_t *mine;         /* the trials of this shard */
	struct pool *pool;
	size_t nmine;
};

double band_grid(size_t k)
{
	return (double)(k + 1) / BAND_GRID;
}

/* The first-passage curve: points where the misfit reaches a new minimum, so x (misfit) is
 * strictly decreasing in time; interpolated in increasing x by gsl_interp_linear. */
int band_interpolate(const double *nres, const double *nd, size_t len, double *out)
{
	double *x = xcalloc(len + 1, sizeof(double)), *y = xcalloc(len + 1, sizeof(double));
	if (x == NULL || y == NULL) {
		free(x);
		free(y);
		return -1;
	}
	size_t k = 0;
	double lo = INFINITY;
	for (size_t j = 0; j < len; j++)
		if (isfinite(nres[j]) && isfinite(nd[j]) && nres[j] < lo) {
			lo = nres[j];
			x[k] = nres[j];
			y[k] = nd[j];
			k++;
		}
	/* reverse into increasing misfit */
	for (size_t i = 0; i < k / 2; i++) {
		double t = x[i];
		x[i] = x[k - 1 - i];
		x[k - 1 - i] = t;
		t = y[i];
		y[i] = y[k - 1 - i];
		y[k - 1 - i] = t;
	}
	gsl_interp *ip = k >= 2 ? gsl_interp_alloc(gsl_interp_linear, k) : NULL;
	int rc = 0;
	if (k >= 2 && (ip == NULL || gsl_interp_init(ip, x, y, k) != GSL_SUCCESS))
		rc = -1;
	for (size_t g = 0; g < BAND_GRID; g++) {
		double v = band_grid(g);
		out[g] = NAN;
		if (rc == 0 && k >= 2 && v >= x[0] && v <= x[k - 1])
			out[g] = gsl_interp_eval(ip, x, y, v, NULL);
		else if (k >= 1 && v == x[0] && v == x[k - 1])
			out[g] = y[0];
	}
	if (ip)
		gsl_interp_free(ip);
	free(x);
	free(y);
	return rc;
}

static void trial_work(void *ctx, size_t index, int worker)
{
	(void)worker;
	struct layers_run *lr = ctx;
	size_t t = lr->mine[index];
	struct trial *tr = &lr->tr[t];
	struct run_cfg c = lr->cfg;
	c.seed = tr->seed;
	int st = 1;
	struct run *r = run_new(&c, &tr->cause, &st);
	if (r == NULL) {
		tr->status = st;
		return;
	}
	r->measure_at = lr->steps;
	long s;
	for (s = 1; s <= lr->steps; s++) {
		if (run_step(r) != RUN_OK || pool_cancelled(lr->pool))
			break;
	}
	const struct track *k = r->tr;
	tr->steps = r->step;
	tr->nres = k->cur.residual / k->r0;
	tr->train = r->ce ? r->ce->train : NAN;
	tr->test = r->ce ? r->ce->test : NAN;
	size_t len = k->len, nl = k->nlayers;
	double *x = xcalloc(len + 1, sizeof(double)), *y = xcalloc(len + 1, sizeof(double));
	if (x == NULL || y == NULL) {
		tr->status = 1;
		tr->cause = xstrdup("out of memory");
	} else {
		for (size_t l = 0; l < nl && l < MODEL_MAX_LAYERS; l++) {
			size_t m = 0;
			for (size_t j = 0; j < len; j++, m++) {
				x[m] = k->h[j].residual / k->r0;
				y[m] = track_layer_ndistance(k, l, k->h_ldist[j * nl + l]);
			}
			if (k->measured == k->cur.step && (len == 0 || k->h[len - 1].step != k->cur.step)) {
				x[m] = k->cur.residual / k->r0;
				y[m] = track_layer_ndistance(k, l, k->ldist[l]);
				m++;
			}
			if (band_interpolate(x, y, m, tr->nd[l]) != 0) {
				tr->status = 1;
				tr->cause = xstrdup("GSL interpolation failed");
			}
		}
	}
	free(x);
	free(y);
	if (r->status == RUN_DIVERGED && tr->status == 0) {
		tr->status = EXIT_DIVERGED;
		tr->cause = xasprintf("trial %zu (seed %lu) diverged at step %ld", t, tr->seed,
				      r->status_step);
	}
	run_free(r);
}

static int layers_validate(const struct opts *o, char **cause)
{
	static const char *const unused_opts[] = {"ks", "ds", "tol", "max-steps", "every",
						  "save-init", "save-data", "band", NULL};
	for (size_t i = 0; unused_opts[i]; i++) {
		int code = cli_opt_code(unused_opts[i]);
		if (code >= 0 && o->given[code]) {
			*cause = xasprintf("--%s: --trials does not use it", unused_opts[i]);
			return -1;
		}
	}
	if (o->run.init == INIT_FILE) {
		*cause = xstrdup("--init FILE: --trials draws a θ0 per trial");
		return -1;
	}
	if (o->run.data_file && !o->run.ops->images) {
		*cause = xstrdup("--data: --trials draws data per trial (a CSV file would be the "
				 "same in every trial); image models take --data DIR");
		return -1;
	}
	return 0;
}

static void write_meta(FILE *out, const struct layers_run *lr, const char *kind)
{
	const struct opts *o = lr->o;
	const struct run_cfg *c = &lr->cfg;
	fprintf(out, "# gdpath %s\n", PACKAGE_VERSION);
	fprintf(out, "# %s: per-layer normalized distance |W-W0|_F/|W0|_F where the normalized "
		"misfit |r|/r0 first falls to each grid value ([OS19] Fig. 2)\n", kind);
	fprintf(out, "# model: %s\n", c->ops->name);
	fprintf(out, "# preset: %s\n", o->preset ? o->preset : "none");
	fprintf(out, "# samples: %zu\n", c->mcfg.n);
	fprintf(out, "# data: %s\n", c->data_file ? c->data_file : c->ops->images ? "default" : "generated");
	fprintf(out, "# optimizer: %s\n", optim_name(c->ocfg.kind));
	fprintf(out, "# minibatch: %zu\n", c->ocfg.minibatch);
	fputs("# eta: ", out);
	if (c->eta_theory)
		fprintf(out, "theory x %.17g\n", c->eta_scale);
	else
		fprintf(out, "%.17g\n", c->eta);
	fprintf(out, "# steps: %ld\n", lr->steps);
	fprintf(out, "# measure_every: %ld\n", c->measure_every);
	fprintf(out, "# seeds: %lu to %lu (trial t has seed %lu+t)\n", c->seed,
		c->seed + lr->ntrials - 1, c->seed);
	fprintf(out, "# trials: %zu\n", lr->ntrials);
}

static void num(FILE *out, double v)
{
	fputc(',', out);
	if (isfinite(v))
		fprintf(out, "%.17g", v);
}

static void write_trials(FILE *out, const struct layers_run *lr, const struct shard *sh)
{
	write_meta(out, lr, "trials");
	fprintf(out, "# rows: %zu\n", lr->ntrials);
	shard_write_meta(out, sh);
	fputs("trial,seed,steps,nresidual,train_error,test_error", out);
	for (size_t g = 0; g < BAND_GRID; g++)
		for (size_t l = 0; l < lr->nlayers; l++)
			fprintf(out, ",ndistance.%s@%.2f", lr->layer_names[l], band_grid(g));
	fputc('\n', out);
	for (size_t i = 0; i < lr->nmine; i++) {
		const struct trial *t = &lr->tr[lr->mine[i]];
		fprintf(out, "%zu,%lu,%ld", lr->mine[i], t->seed, t->steps);
		num(out, t->nres);
		num(out, t->train);
		num(out, t->test);
		for (size_t g = 0; g < BAND_GRID; g++)
			for (size_t l = 0; l < lr->nlayers; l++)
				num(out, t->nd[l][g]);
		fputc('\n', out);
	}
}

static int layers_batch(const struct opts *o)
{
	char *cause = NULL;
	struct layers_run lr = {.o = o, .cfg = o->run};
	lr.steps = o->steps;
	lr.ntrials = o->sw.trials > 0 ? (size_t)o->sw.trials : DEFAULT_TRIALS;
	/* the layer names and sizes from a model built once (trial 0's) */
	{
		int st = 1;
		struct run_cfg c0 = lr.cfg;
		struct run *r = run_new(&c0, &cause, &st);
		if (r == NULL) {
			fprintf(stderr, "gdpath: %s\n", cause);
			free(cause);
			return st;
		}
		lr.nlayers = r->m->nlayers;
		for (size_t l = 0; l < lr.nlayers; l++)
			lr.layer_names[l] = r->m->layer[l].name; /* static strings */
		lr.cfg.mcfg.n = r->m->cfg.n;
		lr.cfg.measure_every = r->measure_every;
		lr.cfg.ocfg.minibatch = optim_cfg(r->opt)->minibatch;
		run_free(r);
	}
	lr.tr = xcalloc(lr.ntrials, sizeof *lr.tr);
	lr.mine = xcalloc(lr.ntrials, sizeof *lr.mine);
	if (lr.tr == NULL || lr.mine == NULL) {
		fputs("gdpath: out of memory\n", stderr);
		free(lr.tr);
		free(lr.mine);
		return EXIT_ERROR;
	}
	for (size_t t = 0; t < lr.ntrials; t++) {
		lr.tr[t].seed = lr.cfg.seed + t;
		if (shard_owns(&o->sw.shard, t))
			lr.mine[lr.nmine++] = t;
	}
	struct outfile of = {0};
	int rc = EXIT_OK;
	struct pool *pool = NULL;
	if (outfile_open(&of, o->output, &cause) != 0 ||
	    (pool = lr.pool = pool_new(o->sw.jobs, &cause)) == NULL) {
		rc = EXIT_ERROR;
		goto fail;
	}
	sweep_catch_signals();
	if (pool_start(pool, lr.nmine, trial_work, &lr, &cause) != 0) {
		rc = EXIT_ERROR;
		goto fail;
	}
	struct sweep_progress prog;
	sweep_progress_start(&prog, "trials");
	while (!pool_wait(pool, 0.5)) {
		if (sweep_interrupted())
			break;
		sweep_progress_show(&prog, pool_done(pool), lr.nmine, "trials");
	}
	sweep_progress_end(&prog);
	if (sweep_interrupted()) {
		pool_cancel(pool);
		outfile_abort(&of);
		fprintf(stderr, "gdpath: interrupted after %zu of %zu trials; no CSV written\n",
			pool_done(pool), lr.nmine);
		rc = 128 + sweep_interrupted();
		goto out;
	}
	for (size_t i = 0; i < lr.nmine; i++) {
		struct trial *t = &lr.tr[lr.mine[i]];
		if (t->status != 0) {
			cause = t->cause ? xstrdup(t->cause) : xstrdup("a trial failed");
			rc = t->status;
			goto fail;
		}
	}
	if (shard_is_whole(&o->sw.shard)) {
		/* the band: the trials' rows as they would be read back, then reduced */
		struct band b;
		band_from_trials(&b, lr.nlayers, lr.layer_names, lr.ntrials);
		for (size_t t = 0; t < lr.ntrials; t++)
			for (size_t l = 0; l < lr.nlayers; l++)
				for (size_t g = 0; g < BAND_GRID; g++)
					band_add(&b, t, l, g, lr.tr[t].nd[l][g]);
		band_reduce(&b);
		write_meta(of.f, &lr, "band");
		band_write(of.f, &b);
		band_release(&b);
	} else {
		write_trials(of.f, &lr, &o->sw.shard);
	}
	if (outfile_commit(&of, &cause) != 0) {
		rc = EXIT_ERROR;
		goto fail;
	}
	goto out;
fail:
	fprintf(stderr, "gdpath: %s\n", cause);
	free(cause);
	outfile_abort(&of);
out:
	pool_free(pool);
	for (size_t t = 0; t < lr.ntrials; t++)
		free(lr.tr[t].cause);
	free(lr.tr);
	free(lr.mine);
	return rc;
}

const struct sweep sweep_layers = {
    .name = "layers",
    .summary = "--trials N: per-layer distance against misfit, mean and sd over N realizations ([OS19] Fig. 2)",
    .validate = layers_validate,
    .batch = layers_batch,
};

int layers_band_main(const struct opts *o)
{
	struct band b;
	char *cause = NULL;
	if (band_read(o->band, &b, &cause) != 0) {
		fprintf(stderr, "gdpath: %s\n", cause);
		free(cause);
		return EXIT_ERROR;
	}
	struct outfile of = {0};
	if (outfile_open(&of, o->output, &cause) != 0) {
		fprintf(stderr, "gdpath: %s\n", cause);
		free(cause);
		band_release(&b);
		return EXIT_ERROR;
	}
	/* A trials file's metadata, its kind line said as the band's: the bytes the
	 * unsharded --trials run writes. */
	if (b.meta) {
		const char *m = b.meta;
		while (*m) {
			size_t len = strcspn(m, "\n");
			if (strncmp(m, "# trials: per-layer", 19) == 0)
				fprintf(of.f, "# band: %.*s\n", (int)(len - 10), m + 10);
			else
				fprintf(of.f, "%.*s\n", (int)len, m);
			m += len + (m[len] == '\n');
		}
	}
	band_write(of.f, &b);
	band_release(&b);
	if (outfile_commit(&of, &cause) != 0) {
		fprintf(stderr, "gdpath: %s\n", cause);
		free(cause);
		return EXIT_ERROR;
	}
	return EXIT_OK;
}
