/* bench_step.c — one gradient-descent step of gdpath's models timed next to its floor: the
 * step's matrix products alone through the same CBLAS, and its elementwise work alone.
 * bench/peers.py drives it together with the NumPy and PyTorch versions of the same step
 * (bench/peer_step.py), interleaved; see bench/README.md.
 *
 * Usage: bench_step             read cases from stdin, one a line: "SPEC SECONDS"
 *        bench_step SPEC...     time each SPEC for 0.5 s and exit
 * SPEC is shallow:NxDxK:ACT or lowrank:NxDxR. For each case one line on stdout:
 *   SPEC step_us gemm_us elt_us spectrum_every spectrum_us blas
 * step_us: gdpath's GD step as run_step takes it (gradient, update fused with the tracker's
 *   distance/path/per-layer sums, new residual, the tracker's record), without the spectrum;
 * gemm_us: shallow, the two products Z = W Xᵀ and g = M X exactly as the step calls them;
 *   lowrank, the two passes over the n × d² data (dgemv and its transpose) that a step needs
 *   when the data are not packed — the floor the issue names;
 * elt_us: the elementwise work alone (φ and φ' by act_eval, the gradient's coefficients,
 *   the update, the residual);
 * spectrum_every, spectrum_us: the automatic spectrum cadence and one spectrum's time (0 0
 *   where n·p is too large to time it here). Medians over samples of about 20 ms each. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_cblas.h>
#include <gsl/gsl_rng.h>

#include "gdpath/act.h"
#include "gdpath/blas.h"
#include "gdpath/data.h"
#include "gdpath/model.h"
#include "gdpath/optim.h"
#include "gdpath/theory.h"
#include "gdpath/track.h"

enum { MAX_CASES = 32, MAX_SAMPLES = 201 };

struct bcase {
	char spec[64];
	int lowrank, act;
	size_t n, d, k;
	struct dataset *ds;
	struct model *m;
	struct optim *o;
	struct track *tr;
	double *theta, *theta0, *r, eta;
	/* floor buffers */
	double *W, *X, *Xt, *Z, *Phi, *D, *S, *g, *u, *f, *y, *w;
	long spec_every;
	double spec_us;
	int spec_done;
};

static struct bcase cases[MAX_CASES];
static int ncases;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double *vec(size_t len, gsl_rng *rng)
{
	double *v = malloc((len ? len : 1) * sizeof *v);
	if (v == NULL) {
		fputs("bench_step: out of memory\n", stderr);
		exit(1);
	}
	for (size_t i = 0; i < len; i++)
		v[i] = rng ? gsl_rng_uniform(rng) - 0.5 : 0.0;
	return v;
}

static void die(const char *what, const char *cause)
{
	fprintf(stderr, "bench_step: %s: %s\n", what, cause ? cause : "failed");
	exit(1);
}

static struct bcase *get_case(const char *spec)
{
	for (int i = 0; i < ncases; i++)
		if (strcmp(cases[i].spec, spec) == 0)
			return &cases[i];
	if (ncases == MAX_CASES)
		die(spec, "too many cases");
	struct bcase *c = &cases[ncases];
	memset(c, 0, sizeof *c);
	snprintf(c->spec, sizeof c->spec, "%s", spec);
	char act[32] = "";
	if (sscanf(spec, "shallow:%zux%zux%zu:%31s", &c->n, &c->d, &c->k, act) == 4) {
		c->act = act_lookup(act);
		if (c->act < 0)
			die(spec, "unknown activation");
	} else if (sscanf(spec, "lowrank:%zux%zux%zu", &c->n, &c->d, &c->k) == 3) {
		c->lowrank = 1;
	} else {
		die(spec, "not shallow:NxDxK:ACT or lowrank:NxDxR");
	}
	const struct model_ops *ops = c->lowrank ? &model_lowrank_ops : &model_shallow_ops;
	struct model_cfg mc = {.n = c->n, .d = c->d, .k = c->k, .r = c->k, .act = c->act,
			       .gamma = c->lowrank ? NAN : 0.0};
	model_cfg_fill(ops, &mc);
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(rng, 1);
	char *cause = NULL;
	c->ds = data_new(mc.n, ops->features(&mc));
	if (c->ds == NULL)
		die(spec, "out of memory");
	ops->gen_x(&mc, rng, c->ds->X);
	if (data_labels(c->ds, ops->default_labels, rng, &cause) != 0)
		die(spec, cause);
	c->m = model_new(ops, &mc, c->ds, &cause);
	if (c->m == NULL)
		die(spec, cause);
	size_t p = c->m->p, n = c->n, d = c->d, k = c->k;
	c->theta = vec(p, NULL);
	c->theta0 = vec(p, NULL);
	c->r = vec(n, NULL);
	ops->init(c->m, rng, c->theta0);
	memcpy(c->theta, c->theta0, p * sizeof(double));
	model_residual(c->m, c->theta, c->r);
	c->eta = ops->theory_eta(c->m, c->theta0);
	struct optim_cfg oc = {OPT_GD, 1, NAN, NAN, NAN};
	c->o = optim_new(&oc, c->m, &cause);
	c->tr = track_new(c->m, c->theta0, c->r, c->eta, 4096);
	if (c->o == NULL || c->tr == NULL)
		die(spec, cause);
	/* the floor's operands, the same shapes as the step's */
	if (c->lowrank) {
		c->X = c->ds->X;
		c->w = vec(d * d, rng);
		c->u = vec(n, rng);
		c->f = vec(n, NULL);
		c->g = vec(d * d, NULL);
	} else {
		c->W = vec(k * d, rng);
		c->X = c->ds->X;
		c->Xt = vec(d * n, rng);
		c->Z = vec(k * n, rng);
		c->Phi = vec(k * n, NULL);
		c->D = vec(k * n, NULL);
		c->S = vec(k * n, NULL);
		c->g = vec(k * d, NULL);
		c->u = vec(n, rng);
		c->f = vec(n, rng);
		c->y = vec(n, rng);
		c->w = vec(k, rng);
		for (size_t j = 0; j < k * n; j++)
			c->Z[j] *= 6; /* pre-activations of a few units, both signs */
	}
	/* The spectrum's cost where it is cheap enough to time here. */
	if (n <= 1000 && (double)n * (double)p <= 2e8) {
		struct theory *th = theory_new(c->m, c->theta0, c->r, 0, &cause);
		if (th) {
			c->spec_every = th->every;
			double best = INFINITY;
			for (int i = 0; i < 3; i++) {
				double t0 = now_s();
				theory_spectrum(th, c->m, c->theta, 1);
				double dt = now_s() - t0;
				best = dt < best ? dt : best;
				if (dt > 0.5)
					break;
			}
			c->spec_us = best * 1e6;
			theory_free(th);
			model_residual(c->m, c->theta, c->r);
		}
	}
	gsl_rng_free(rng);
	ncases++;
	return c;
}

static long step_no;

/* run_step's gradient-descent path without the spectrum (run.c). */
static void gd_step(struct bcase *c)
{
	track_move(c->tr, c->theta, optim_gd_gradient(c->o, c->m, c->theta, c->r), c->eta);
	model_residual(c->m, c->theta, c->r);
	track_push(c->tr, ++step_no, c->theta, c->r, c->n, c->eta);
	/* Keep the timing at the start of the path (no subnormal tail, no divergence). */
	if (step_no % 2000 == 0) {
		memcpy(c->theta, c->theta0, c->m->p * sizeof(double));
		model_residual(c->m, c->theta, c->r);
	}
}

static void gemms(struct bcase *c)
{
	int n = (int)c->n, d = (int)c->d, k = (int)c->k;
	if (c->lowrank) {
		int dd = d * d;
		cblas_dgemv(CblasRowMajor, CblasNoTrans, n, dd, 1.0, c->X, dd, c->w, 1, 0.0, c->f, 1);
		cblas_dgemv(CblasRowMajor, CblasTrans, n, dd, 1.0, c->X, dd, c->u, 1, 0.0, c->g, 1);
		return;
	}
	cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, k, n, d, 1.0, c->W, d, c->X, d, 0.0,
		    c->S, n);
	cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, k, d, n, 1.0, c->S, n, c->Xt, n,
		    0.0, c->g, d);
}

static void elementwise(struct bcase *c)
{
	size_t n = c->n, d = c->d, k = c->k;
	if (c->lowrank) { /* the symmetrisation and the update: O(d²), next to nothing */
		for (size_t a = 0; a < d; a++)
			for (size_t b = a + 1; b < d; b++)
				c->g[a * d + b] = c->g[b * d + a] = c->g[a * d + b] + c->g[b * d + a];
		return;
	}
	act_eval(c->act, 0.0, c->Z, k * n, c->Phi, c->D);
	for (size_t l = 0; l < k; l++) {
		const double *D = c->D + l * n;
		double *S = c->S + l * n, vl = c->w[l];
		for (size_t i = 0; i < n; i++)
			S[i] = vl * D[i] * c->u[i];
	}
	for (size_t j = 0; j < k * d; j++)
		c->W[j] -= 1e-12 * c->g[j];
	for (size_t i = 0; i < n; i++)
		c->f[i] -= c->y[i];
}

/* Median seconds per call of fn over about `seconds`, in samples of about 20 ms. */
static double timeit(void (*fn)(struct bcase *), struct bcase *c, double seconds)
{
	long batch = 1;
	for (;;) { /* warm up and size the batch */
		double t0 = now_s();
		for (long i = 0; i < batch; i++)
			fn(c);
		double dt = now_s() - t0;
		if (dt >= 0.02 || batch >= (1L << 22))
			break;
		batch *= dt > 0.002 ? 2 : 10;
	}
	double s[MAX_SAMPLES];
	int ns = 0;
	double end = now_s() + seconds;
	do {
		double t0 = now_s();
		for (long i = 0; i < batch; i++)
			fn(c);
		s[ns++] = (now_s() - t0) / (double)batch;
	} while (ns < MAX_SAMPLES && (ns < 3 || now_s() < end));
	qsort(s, (size_t)ns, sizeof s[0], cmp_double);
	return s[ns / 2];
}

static void run_case(const char *spec, double seconds)
{
	struct bcase *c = get_case(spec);
	blas_fit(2.0 * (double)c->n * (double)c->m->p); /* model_new's rule, for this case */
	double step = timeit(gd_step, c, seconds);
	double gemm = timeit(gemms, c, seconds / 2);
	double elt = timeit(elementwise, c, seconds / 2);
	char blas[64];
	printf("%s %.3f %.3f %.3f %ld %.1f %s\n", spec, step * 1e6, gemm * 1e6, elt * 1e6,
	       c->spec_every, c->spec_us, blas_describe(blas, sizeof blas));
	fflush(stdout);
}

int main(int argc, char **argv)
{
	blas_set_threads(0); /* as gdpath: threads matched to each model's size */
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			run_case(argv[i], 0.5);
		return 0;
	}
	char line[256], spec[128];
	double seconds;
	while (fgets(line, sizeof line, stdin))
		if (sscanf(line, "%127s %lf", spec, &seconds) == 2)
			run_case(spec, seconds);
	return 0;
}
