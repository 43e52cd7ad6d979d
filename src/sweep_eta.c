/* sweep_eta.c — the step-size range test (sweep_eta.h): K log-spaced η around 2/β0², each
 * a fork of one run started over from θ0 and stepped N times on the thread pool. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gdpath/batch.h"
#include "gdpath/cli.h"
#include "gdpath/outfile.h"
#include "gdpath/pool.h"
#include "gdpath/proj.h"
#include "gdpath/run.h"
#include "gdpath/shard.h"
#include "gdpath/sweep.h"
#include "gdpath/sweep_eta.h"
#include "gdpath/theory.h"
#include "gdpath/track.h"
#include "gdpath/util.h"

#define BLOWUP_STEPS_CHECK 64 /* steps between looks at pool_cancelled() */

static const char *const verdict_names[] = {
    [ETA_PENDING] = "pending",	       [ETA_CONVERGED] = "converged",
    [ETA_DESCENDING] = "descending",   [ETA_OSCILLATING] = "oscillating",
    [ETA_DIVERGED] = "diverged",       [ETA_FAILED] = "failed",
};

const char *eta_verdict_name(int v)
{
	return v >= 0 && v <= ETA_FAILED ? verdict_names[v] : "?";
}

struct eta_sweep *eta_sweep_new(const struct run *base, size_t k, double lo, double hi,
				long steps, double tol, char **cause)
{
	const struct theory *th = base->th;
	if (!(th->beta0 > 0) || !isfinite(th->beta0)) {
		*cause = xstrdup("the range test needs β0 = σ_max(J(θ0)) > 0, and this run has none");
		return NULL;
	}
	if (k < 2 || k > ETA_SWEEP_MAX_K || steps < 1) {
		*cause = xasprintf("the range test needs 2 to %d step sizes and at least one step",
				   ETA_SWEEP_MAX_K);
		return NULL;
	}
	struct eta_sweep *s = calloc(1, sizeof *s);
	if (s == NULL)
		goto oom;
	s->k = k;
	s->steps = steps;
	s->tol = tol > 0 ? tol : ETA_SWEEP_DEFAULT_TOL;
	s->beta0 = th->beta0;
	s->threshold = 2 / (th->beta0 * th->beta0);
	s->eta_theory = th->eta_theory;
	s->theory_fallback = th->eta_theory_fallback;
	s->lo = lo > 0 ? lo : s->threshold * ETA_SWEEP_LO_FACTOR;
	s->hi = hi > 0 ? hi : s->threshold * ETA_SWEEP_HI_FACTOR;
	if (!(s->lo < s->hi) || !isfinite(s->hi)) {
		*cause = xasprintf("the η range %g to %g is empty", s->lo, s->hi);
		free(s);
		return NULL;
	}
	s->pt = xcalloc(k, sizeof *s->pt);
	s->runs = xcalloc(k, sizeof *s->runs);
	if (!s->pt || !s->runs)
		goto oom_free;
	double l0 = log(s->lo), l1 = log(s->hi);
	for (size_t i = 0; i < k; i++) {
		/* the ends exactly, the inside log-spaced */
		s->pt[i].eta = i == 0 ? s->lo : i + 1 == k ? s->hi
						 : exp(l0 + (l1 - l0) * (double)i / (double)(k - 1));
		s->pt[i].verdict = ETA_PENDING;
		s->pt[i].misfit = NAN;
		s->pt[i].diverged_step = -1;
	}
	return s;
oom_free:
	eta_sweep_free(s);
oom:
	*cause = xstrdup("out of memory");
	return NULL;
}

/* Forks are made on the caller's thread: they share the base's data by reference. They
 * are never drawn, so they keep no parameter-space projection. */
static int make_fork(struct eta_sweep *s, size_t i, const struct run *base, char **cause)
{
	if ((s->runs[i] = run_fork(base, cause)) == NULL)
		return -1;
	proj_free(s->runs[i]->pj);
	s->runs[i]->pj = NULL;
	return 0;
}

void eta_sweep_free(struct eta_sweep *s)
{
	if (s == NULL)
		return;
	if (s->started && s->pool)
		pool_cancel(s->pool);
	if (s->runs)
		for (size_t i = 0; i < s->k; i++)
			run_free(s->runs[i]);
	free(s->runs);
	free(s->pt);
	free(s);
}

void eta_sweep_run_one(struct eta_sweep *s, size_t i)
{
	struct run *r = s->runs[i];
	struct eta_point res = {s->pt[i].eta, ETA_FAILED, NAN, -1};
	char *cause = NULL;
	if (r == NULL || run_restart(r, false, &cause) != 0) {
		free(cause);
		s->pt[i] = res;
		return;
	}
	/* η from step 0, as the fan sets it (no η-change mark) */
	r->eta = res.eta;
	r->tr->cur.eta = r->tr->h[0].eta = res.eta;
	r->tr->mark_eta[0] = res.eta;
	double r0 = r->tr->r0, prev = r0;
	long half = s->steps / 2, rises = 0, counted = 0;
	for (long t = 1; t <= s->steps; t++) {
		if (t % BLOWUP_STEPS_CHECK == 0 && s->pool && pool_cancelled(s->pool))
			return; /* stays pending */
		int st = run_step(r);
		if (st == RUN_DIVERGED) {
			res.diverged_step = r->status_step;
			break;
		}
		if (st == RUN_FAILED) {
			s->pt[i] = res; /* the ODE integrator gave up: no verdict */
			return;
		}
		if (r->blowup_step >= 0) {
			res.diverged_step = r->blowup_step;
			break;
		}
		double m = r->tr->cur.residual;
		if (t > half) {
			counted++;
			rises += m > prev;
		}
		prev = m;
	}
	double nm = r0 > 0 ? r->tr->cur.residual / r0 : NAN;
	res.misfit = isfinite(nm) ? nm : NAN;
	if (res.diverged_step >= 0)
		res.verdict = ETA_DIVERGED;
	else if (nm <= s->tol)
		res.verdict = ETA_CONVERGED;
	else if (counted > 0 && (double)rises >= 0.1 * (double)counted)
		res.verdict = ETA_OSCILLATING;
	else
		res.verdict = ETA_DESCENDING;
	s->pt[i] = res;
}

static void work(void *ctx, size_t i, int worker)
{
	(void)worker;
	eta_sweep_run_one(ctx, i);
}

int eta_sweep_start(struct eta_sweep *s, struct pool *p, char **cause)
{
	s->pool = p;
	if (pool_start(p, s->k, work, s, cause) != 0)
		return -1;
	s->started = true;
	return 0;
}

bool eta_sweep_point_done(const struct eta_sweep *s, size_t i)
{
	if (s->started)
		return pool_is_done(s->pool, i) && s->pt[i].verdict != ETA_PENDING;
	return s->pt[i].verdict != ETA_PENDING;
}

size_t eta_sweep_done(const struct eta_sweep *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->k; i++)
		n += eta_sweep_point_done(s, i);
	return n;
}

double eta_sweep_largest_stable(const struct eta_sweep *s)
{
	double best = NAN;
	for (size_t i = 0; i < s->k; i++)
		if (eta_sweep_point_done(s, i) && (s->pt[i].verdict == ETA_CONVERGED ||
						   s->pt[i].verdict == ETA_DESCENDING))
			best = s->pt[i].eta;
	return best;
}

static void num(FILE *out, double v)
{
	if (isnan(v))
		fputs("nan", out);
	else if (isinf(v))
		fputs(v > 0 ? "inf" : "-inf", out);
	else
		fprintf(out, "%.17g", v);
}

void eta_sweep_write_csv(FILE *out, const struct eta_sweep *s, const struct run *base,
			 const struct shard *sh)
{
	batch_write_meta(out, base);
	fputs("# sweep: eta (step-size range test)\n", out);
	fprintf(out, "# etas: %zu log-spaced from ", s->k);
	num(out, s->lo);
	fputs(" to ", out);
	num(out, s->hi);
	fprintf(out, "\n# steps: %ld\n# tol: ", s->steps);
	num(out, s->tol);
	fputs("\n# two_over_beta0_sq: ", out);
	num(out, s->threshold);
	fputs("\n# stability: gradient descent on the quadratic model at theta0 is stable iff "
	      "eta < 2/beta0^2 (eta_beta0_sq < 2)\n",
	      out);
	fputs("# verdict: measured over the steps, not a theorem: diverged = loss non-finite or "
	      "above 1000x the initial loss; converged = misfit/r0 <= tol; oscillating = misfit "
	      "rose on >= 10% of the second half's steps; descending = otherwise\n",
	      out);
	fprintf(out, "# rows: %zu\n", s->k);
	shard_write_meta(out, sh);
	fputs("eta,eta_beta0_sq,verdict,final_misfit,diverged_step\n", out);
	for (size_t i = 0; i < s->k; i++) {
		if (!shard_owns(sh, i))
			continue;
		const struct eta_point *p = &s->pt[i];
		num(out, p->eta);
		fputc(',', out);
		num(out, p->eta * s->beta0 * s->beta0);
		fprintf(out, ",%s,", eta_verdict_name(p->verdict));
		num(out, p->misfit);
		fputc(',', out);
		if (p->diverged_step >= 0)
			fprintf(out, "%ld", p->diverged_step);
		fputc('\n', out);
	}
}

int eta_sweep_prepare(struct eta_sweep *s, const struct run *base, const struct shard *sh,
		      char **cause)
{
	for (size_t i = 0; i < s->k; i++)
		if ((sh == NULL || shard_owns(sh, i)) && make_fork(s, i, base, cause) != 0)
			return -1;
	return 0;
}

/* ---- gdpath --batch --sweep eta ---- */

static int eta_validate(const struct opts *o, char **cause)
{
	static const char *const phase_only[] = {"ks", "ds", "trials", "max-steps", NULL};
	int every = cli_opt_code("every");
	if (every >= 0 && o->given[every]) {
		*cause = xstrdup("--every: --sweep eta writes one row per step size");
		return -1;
	}
	for (size_t i = 0; phase_only[i]; i++) {
		int c = cli_opt_code(phase_only[i]);
		if (c >= 0 && o->given[c]) {
			*cause = xasprintf("--%s: --sweep eta does not use it (it is --sweep phase's)",
					   phase_only[i]);
			return -1;
		}
	}
	if (o->run.ocfg.kind == OPT_FLOW) {
		*cause = xstrdup("--optimizer flow: gradient flow has no step size to sweep");
		return -1;
	}
	return 0;
}

static int eta_batch(const struct opts *o)
{
	char *cause = NULL;
	int status = EXIT_ERROR;
	struct eta_sweep *s = NULL;
	struct pool *pool = NULL;
	struct outfile of = {0};
	struct run *base = run_new(&o->run, &cause, &status);
	if (base == NULL)
		goto fail;
	int steps_code = cli_opt_code("steps");
	long steps = steps_code >= 0 && o->given[steps_code] ? o->steps : ETA_SWEEP_DEFAULT_STEPS;
	size_t k = o->sw.eta_count > 0 ? (size_t)o->sw.eta_count : ETA_SWEEP_DEFAULT_K;
	status = EXIT_USAGE;
	if ((s = eta_sweep_new(base, k, o->sw.eta_lo, o->sw.eta_hi, steps,
			       isnan(o->sw.tol) ? ETA_SWEEP_DEFAULT_TOL : o->sw.tol, &cause)) == NULL)
		goto fail;
	status = EXIT_ERROR;
	/* the output exists (as a temporary) before the work, so a bad path fails at once */
	if (outfile_open(&of, o->output, &cause) != 0)
		goto fail;
	if (eta_sweep_prepare(s, base, &o->sw.shard, &cause) != 0 ||
	    (pool = pool_new(o->sw.jobs, &cause)) == NULL)
		goto fail;
	sweep_catch_signals();
	if (eta_sweep_start(s, pool, &cause) != 0)
		goto fail;
	struct sweep_progress prog;
	sweep_progress_start(&prog, "eta");
	while (!pool_wait(pool, 0.25)) {
		if (sweep_interrupted())
			break;
		sweep_progress_show(&prog, pool_done(pool), s->k, "step sizes");
	}
	sweep_progress_end(&prog);
	if (sweep_interrupted()) {
		int sig = sweep_interrupted();
		fprintf(stderr, "gdpath: interrupted after %zu of %zu step sizes; no CSV written\n",
			pool_done(pool), s->k);
		outfile_abort(&of);
		eta_sweep_free(s);
		pool_free(pool);
		run_free(base);
		return 128 + sig;
	}
	for (size_t i = 0; i < s->k; i++)
		if (shard_owns(&o->sw.shard, i) && s->pt[i].verdict == ETA_FAILED && s->runs[i] &&
		    s->runs[i]->status != RUN_FAILED) {
			cause = xasprintf("the run at eta %g could not be set up (out of memory?)",
					  s->pt[i].eta);
			goto fail;
		}
	eta_sweep_write_csv(of.f, s, base, &o->sw.shard);
	if (outfile_commit(&of, &cause) != 0)
		goto fail;
	double best = eta_sweep_largest_stable(s);
	if (shard_is_whole(&o->sw.shard)) {
		fprintf(stderr, "gdpath: largest stable eta found: ");
		num(stderr, best);
		fprintf(stderr, " (2/beta0^2 = ");
		num(stderr, s->threshold);
		fputs(")\n", stderr);
	}
	eta_sweep_free(s);
	pool_free(pool);
	run_free(base);
	return EXIT_OK;
fail:
	fprintf(stderr, "gdpath: %s\n", cause ? cause : "out of memory");
	free(cause);
	outfile_abort(&of);
	eta_sweep_free(s);
	pool_free(pool);
	run_free(base);
	return status;
}

const struct sweep sweep_eta = {
    .name = "eta",
    .summary = "step-size range test: K log-spaced eta around 2/beta0^2, N steps each",
    .validate = eta_validate,
    .batch = eta_batch,
};
