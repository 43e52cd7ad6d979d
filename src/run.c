/* run.c — one training run from configuration to steps: data, θ0, optimizer, tracker,
 * theory; forks and restarts for the comparison views. */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gdpath/clserr.h"
#include "gdpath/data.h"
#include "gdpath/proj.h"
#include "gdpath/idx.h"
#include "gdpath/run.h"
#include "gdpath/theory.h"
#include "gdpath/track.h"
#include "gdpath/util.h"

#define RUN_MEM_FRACTION 0.75 /* refuse runs that need more of the physical memory */

/* The theory's values at this step, on the tracker's point (export, scrubbing). */
static void annotate(struct run *r)
{
	const struct theory *th = r->th;
	bool spec = th->spec_step == r->step;
	track_annotate(r->tr, spec ? th->alpha : NAN, spec ? th->beta : NAN, th->alpha_hat,
		       th->beta_hat, th->zeta_hat,
		       th->lambda_hat, th->method == THEORY_GD ? th->checked : -1,
		       th->method == THEORY_GD && th->checked > 0 ? th->outside : -1);
}

void run_cfg_default(struct run_cfg *c)
{
	memset(c, 0, sizeof *c);
	c->ops = &model_linear_ops;
	c->mcfg.act = -1;
	c->mcfg.gamma = NAN;
	c->labels = -1;
	c->init = INIT_RANDOM;
	c->ocfg = (struct optim_cfg){OPT_GD, 0, NAN, NAN, NAN};
	c->eta = NAN;
	c->eta_theory = true;
	c->eta_scale = 1;
	c->seed = 1;
	c->history = 4096;
}

unsigned long run_seed_mix(unsigned long seed, unsigned stream)
{
	/* splitmix64: distinct seeds give unrelated streams, and none maps to mt19937's
	 * "seed 0 means 4357" */
	uint64_t z = (uint64_t)seed * 2 + stream + 0x9E3779B97F4A7C15ULL;
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	z ^= z >> 31;
	return (unsigned long)(z | 1);
}

static void fail(char **cause, int *status, int code, char *msg)
{
	*cause = msg;
	if (status)
		*status = code;
}

/* Sizes from a data file: n rows, d (or d² for lowrank) features. */
static int sizes_from_data(const struct run_cfg *c, const struct dataset *ds,
			   struct model_cfg *mc, char **cause)
{
	size_t want_n = c->mcfg.n;
	if (want_n && want_n != ds->n) {
		*cause = xasprintf("%s has %zu rows, --samples asks for %zu", c->data_file, ds->n,
				   want_n);
		return -1;
	}
	mc->n = ds->n;
	if (mc->d == 0) {
		/* Find the d whose feature count matches the file. */
		struct model_cfg t = *mc;
		for (t.d = 1; t.d <= ds->nfeat; t.d++)
			if (c->ops->features(&t) >= ds->nfeat)
				break;
		if (c->ops->features(&t) != ds->nfeat) {
			*cause = xasprintf("%s has %zu feature columns, which no --dim of model %s fits",
					   c->data_file, ds->nfeat, c->ops->name);
			return -1;
		}
		mc->d = t.d;
	}
	if (c->ops->features(mc) != ds->nfeat) {
		*cause = xasprintf("%s has %zu feature columns, model %s with --dim %zu expects %zu",
				   c->data_file, ds->nfeat, c->ops->name, mc->d, c->ops->features(mc));
		return -1;
	}
	return 0;
}

static bool is_dir(const char *path)
{
	struct stat st;
	return path != NULL && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int check_memory(const struct model_ops *ops, const struct model_cfg *mc, char **cause)
{
	double need = model_estimate_bytes(ops, mc), have = mem_physical();
	double p = ops->nparams(mc), f = (double)ops->features(mc), n = (double)mc->n;
	char a[32], b[32];
	if (p > INT_MAX / 2 || f > INT_MAX / 2 || n > INT_MAX / 2 || n * f > (double)SIZE_MAX / 16) {
		*cause = xasprintf("model %s with these sizes has %.3g parameters and %.3g inputs: too large",
				   ops->name, p, n * f);
		return -1;
	}
	if (have > 0 && need > RUN_MEM_FRACTION * have) {
		*cause = xasprintf("model %s with n = %zu, d = %zu, k = %zu needs about %s; this machine has %s",
				   ops->name, mc->n, mc->d, mc->k, fmt_bytes(need, a, sizeof a),
				   fmt_bytes(have, b, sizeof b));
		return -1;
	}
	return 0;
}

/* --labels planted: y = f(θ_t) for a teacher of the same model and sizes with θ_t drawn by
 * the model's own initialisation (from the data stream, before θ0). */
static int plant_labels(struct run *r, const struct model_cfg *mc, char **cause)
{
	struct model *t = model_new(r->cfg.ops, mc, r->data, cause);
	if (t == NULL)
		return -1;
	double *th = xcalloc(t->p, sizeof(double)), *f = xcalloc(t->n, sizeof(double));
	int rc = -1;
	if (th && f) {
		r->cfg.ops->init(t, r->rng, th);
		t->ops->forward(t, th, f);
		memcpy(r->data->y, f, t->n * sizeof(double));
		r->teacher = th;
		th = NULL;
		rc = 0;
		for (size_t i = 0; i < t->n; i++)
			if (!isfinite(f[i])) {
				*cause = xstrdup("--labels planted: the teacher's outputs are not finite");
				rc = -1;
				break;
			}
	} else {
		*cause = xstrdup("out of memory");
	}
	free(th);
	free(f);
	model_free(t);
	return rc;
}

/* What the labels mean for the theory, where it is not plain (static text), or NULL. */
const char *run_labels_note(const struct run *r)
{
	const struct run_cfg *c = &r->cfg;
	if (c->data_file || (c->labels != LABELS_ALIGN_MIN && c->labels != LABELS_ALIGN_MAX))
		return NULL;
	if (c->ops != &model_linear_ops)
		return "align labels are Thm 2.4's tight examples only for the linear model";
	if (c->init != INIT_ZERO)
		return "y shifted by X theta0: Thm 2.4's tight example moved to theta0";
	return NULL;
}

/* Everything from the data to the first spectrum; r->cfg is set. */
static int run_build(struct run *r, char **cause, int *status)
{
	struct run_cfg *c = &r->cfg;
	struct model_cfg mc = c->mcfg;
	if (c->labels < 0)
		c->labels = c->ops->default_labels;
	r->rng = gsl_rng_alloc(gsl_rng_mt19937);
	r->orng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!r->rng || !r->orng)
		goto oom;
	gsl_rng_set(r->rng, run_seed_mix(c->seed, 0));
	gsl_rng_set(r->orng, run_seed_mix(c->seed, 1));

	if (c->ops->images || is_dir(c->data_file)) {
		/* Image classes (IDX): n images drawn by the seed, d from the files (the image
		 * side for lenet, the pixel count for a dense net). */
		model_cfg_fill(c->ops, &mc);
		if (idx_load_dataset(c->data_file, mc.n, 10, r->rng, &r->data, cause) != 0) {
			*status = 1;
			return -1;
		}
		struct model_cfg t = mc;
		for (t.d = 1; t.d <= r->data->nfeat && c->ops->features(&t) < r->data->nfeat; t.d++)
			;
		if (c->ops->features(&t) != r->data->nfeat) {
			*cause = xasprintf("%s: images of %zu pixels, which model %s cannot take%s",
					   c->data_file ? c->data_file : IDX_DEFAULT_DIR, r->data->nfeat,
					   c->ops->name, c->ops->images ? " (not square)" : "");
			*status = 1;
			return -1;
		}
		mc.d = t.d;
		if (check_memory(c->ops, &mc, cause) != 0) {
			*status = 2;
			return -1;
		}
	} else if (c->data_file) {
		if (data_read_csv(c->data_file, &r->data, cause) != 0) {
			*status = 1;
			return -1;
		}
		if (sizes_from_data(c, r->data, &mc, cause) != 0) {
			*status = 1;
			return -1;
		}
		model_cfg_fill(c->ops, &mc);
		if (check_memory(c->ops, &mc, cause) != 0) {
			*status = 2;
			return -1;
		}
	} else {
		model_cfg_fill(c->ops, &mc);
		if (check_memory(c->ops, &mc, cause) != 0) {
			*status = 2;
			return -1;
		}
		r->data = data_new(mc.n, c->ops->features(&mc));
		if (r->data == NULL)
			goto oom;
		c->ops->gen_x(&mc, r->rng, r->data->X);
		if (data_labels(r->data, c->labels, r->rng, cause) != 0) {
			*status = 2;
			return -1;
		}
	}
	if (!c->data_file && c->labels == LABELS_PLANTED && plant_labels(r, &mc, cause) != 0) {
		*status = 2;
		return -1;
	}
	r->m = model_new(c->ops, &mc, r->data, cause);
	if (r->m == NULL) {
		*status = 2;
		return -1;
	}
	size_t p = r->m->p, n = r->m->n;
	r->theta = xcalloc(p, sizeof(double));
	r->theta0 = xcalloc(p, sizeof(double));
	r->r = xcalloc(n, sizeof(double));
	if (!r->theta || !r->theta0 || !r->r)
		goto oom;
	if (c->init == INIT_RANDOM) {
		c->ops->init(r->m, r->rng, r->theta0);
	} else if (c->init == INIT_FILE) {
		if (data_read_vector(c->init_file, r->theta0, p, cause) != 0) {
			*status = 1;
			return -1;
		}
	}
	if (!c->data_file && (c->labels == LABELS_ALIGN_MIN || c->labels == LABELS_ALIGN_MAX) &&
	    c->ops == &model_linear_ops) {
		/* Thm 2.4's tight examples start from θ0 = 0; for a linear model GD from θ0 on
		 * (X, y + Xθ0) is that example moved by θ0, so any θ0 runs exactly on the line. */
		model_residual(r->m, r->theta0, r->r); /* Xθ0 − y */
		for (size_t i = 0; i < n; i++) {
			double fx = r->r[i] + r->data->y[i]; /* (Xθ0)_i */
			r->data->y[i] += fx;
		}
	}
	if (c->save_data && data_write_csv(r->data, c->save_data, cause) != 0) {
		*status = 1;
		return -1;
	}
	if (c->save_init && data_write_vector(c->save_init, r->theta0, p, cause) != 0) {
		*status = 1;
		return -1;
	}
	memcpy(r->theta, r->theta0, p * sizeof(double));
	model_residual(r->m, r->theta, r->r);
	double r0 = vec_norm(r->r, n);
	if (!isfinite(r0) || !isfinite(0.5 * r0 * r0)) {
		*cause = xstrdup("the initial loss ½‖f(θ0) − y‖² is not finite: check the data and θ0");
		*status = 1;
		return -1;
	}
	r->th = theory_new(r->m, r->theta0, r->r, c->spectrum_every, cause);
	if (r->th == NULL) {
		*status = 1;
		return -1;
	}
	if (c->eta_theory && r->th->spectrum_off) {
		*cause = xasprintf("model %s has no theory step size (its Jacobian spectrum is not "
				   "computed): give --eta", c->ops->name);
		*status = 2;
		return -1;
	}
	if (c->eta_theory)
		r->eta = r->th->eta_theory * c->eta_scale;
	else
		r->eta = c->eta;
	r->opt = optim_new(&c->ocfg, r->m, cause);
	if (r->opt == NULL) {
		*status = 2;
		return -1;
	}
	size_t ntest = r->data->ntest;
	r->measure_every = 1;
	r->errors_every = 1;
	if (optim_lazy(r->opt))
		r->measure_every = r->errors_every =
		    c->measure_every > 0 ? c->measure_every
					 : run_auto_measure_every(n / r->m->nout, ntest,
								  optim_cfg(r->opt)->minibatch);
	else if (r->data->cls)
		/* the test pass costs at most about one full forward pass */
		r->errors_every = c->measure_every > 0 ? c->measure_every
						       : (long)((ntest + n / r->m->nout - 1) / (n / r->m->nout));
	if (r->data->cls) {
		r->ce = clserr_new(r->m, c->history);
		if (r->ce == NULL)
			goto oom;
		clserr_measure(r->ce, r->m, r->theta, r->r, 0);
		if (!optim_lazy(r->opt))
			model_residual(r->m, r->theta, r->r); /* predict() moved the cache */
	}
	r->tr = track_new(r->m, r->theta0, r->r, r->eta, c->history);
	r->pj = proj_new(p);
	if (r->tr == NULL || r->pj == NULL)
		goto oom;
	r->th->os.gauss_w0 = c->init == INIT_RANDOM; /* [OS19b]: W0 iid N(0,1) */
	theory_set_method(r->th, c->ocfg.kind, c->ocfg.minibatch);
	theory_observe(r->th, 0, r->eta, 0, r0, r->theta);
	r->step = 0;
	annotate(r);
	r->status = RUN_OK;
	r->status_step = -1;
	r->blowup_step = -1;
	run_update_extras(r);
	return 0;
oom:
	*cause = xstrdup("out of memory");
	*status = 1;
	return -1;
}

long run_auto_measure_every(size_t nsamples, size_t ntest, size_t minibatch)
{
	/* A step is about 3 forward passes over the minibatch; a measurement one over the n
	 * training and the ntest test images: cost ratio (n + ntest)/(3B·every) ≈ 0.2. */
	double b = minibatch ? (double)minibatch : 1;
	long every = (long)ceil(((double)nsamples + (double)ntest) / (0.6 * b));
	return every < 1 ? 1 : every;
}

static void run_clear(struct run *r)
{
	clserr_free(r->ce);
	theory_free(r->th);
	track_free(r->tr);
	proj_free(r->pj);
	optim_free(r->opt);
	free(r->theta);
	free(r->theta0);
	free(r->r);
	free(r->teacher);
	model_free(r->m);
	data_free(r->data);
	if (r->rng)
		gsl_rng_free(r->rng);
	if (r->orng)
		gsl_rng_free(r->orng);
}

struct run *run_new(const struct run_cfg *cfg, char **cause, int *status)
{
	int st = 1;
	struct run *r = calloc(1, sizeof *r);
	if (r == NULL) {
		fail(cause, status, 1, xstrdup("out of memory"));
		return NULL;
	}
	r->cfg = *cfg;
	if (run_build(r, cause, &st) != 0) {
		run_clear(r);
		free(r);
		if (status)
			*status = st;
		return NULL;
	}
	return r;
}

void run_free(struct run *r)
{
	if (r == NULL)
		return;
	run_clear(r);
	free(r);
}

struct run *run_fork(const struct run *s, char **cause)
{
	struct run *r = calloc(1, sizeof *r);
	if (r == NULL)
		goto oom;
	*r = *s;
	r->data = data_ref(s->data);
	r->m = NULL;
	r->theta = r->theta0 = r->r = r->teacher = NULL;
	r->opt = NULL;
	r->tr = NULL;
	r->th = NULL;
	r->pj = NULL;
	r->rng = gsl_rng_clone(s->rng);
	r->orng = gsl_rng_clone(s->orng);
	r->m = model_new(s->cfg.ops, &s->m->cfg, r->data, cause);
	if (r->m == NULL) {
		run_free(r);
		return NULL;
	}
	size_t p = s->m->p, n = s->m->n;
	r->theta = xmallocarray(p, sizeof(double));
	r->theta0 = xmallocarray(p, sizeof(double));
	r->r = xmallocarray(n, sizeof(double));
	r->opt = optim_new(optim_cfg(s->opt), r->m, cause);
	r->tr = track_clone(s->tr);
	r->th = theory_clone(s->th);
	r->pj = proj_clone(s->pj);
	r->ce = s->ce ? clserr_clone(s->ce) : NULL;
	if (!r->rng || !r->orng || !r->theta || !r->theta0 || !r->r || !r->opt || !r->tr || !r->th ||
	    (s->pj && !r->pj) || (s->ce && !r->ce)) {
		run_free(r);
		goto oom;
	}
	optim_copy_state(r->opt, s->opt);
	memcpy(r->theta, s->theta, p * sizeof(double));
	memcpy(r->theta0, s->theta0, p * sizeof(double));
	if (s->teacher) {
		if ((r->teacher = xmallocarray(p, sizeof(double))) == NULL) {
			run_free(r);
			goto oom;
		}
		memcpy(r->teacher, s->teacher, p * sizeof(double));
	}
	model_residual(r->m, r->theta, r->r);
	return r;
oom:
	*cause = xstrdup("out of memory");
	return NULL;
}

int run_restart(struct run *r, bool new_seed, char **cause)
{
	struct run_cfg c = r->cfg;
	if (new_seed) {
		c.seed++;
		if (c.init == INIT_FILE)
			c.init = INIT_RANDOM; /* a new θ0 is what R asks for */
		int st;
		struct run *fresh = run_new(&c, cause, &st);
		if (fresh == NULL)
			return -1;
		run_clear(r);
		*r = *fresh;
		free(fresh);
		return 0;
	}
	size_t p = r->m->p;
	memcpy(r->theta, r->theta0, p * sizeof(double));
	model_residual(r->m, r->theta, r->r);
	optim_reset(r->opt);
	gsl_rng_set(r->orng, run_seed_mix(c.seed, 1));
	struct track *tr = track_new(r->m, r->theta0, r->r, r->eta, c.history);
	struct theory *th = theory_new(r->m, r->theta0, r->r, c.spectrum_every, cause);
	if (tr == NULL || th == NULL) {
		track_free(tr);
		theory_free(th);
		if (*cause == NULL)
			*cause = xstrdup("out of memory");
		return -1;
	}
	track_free(r->tr);
	theory_free(r->th);
	r->tr = tr;
	r->th = th;
	proj_reset(r->pj);
	if (r->ce) {
		struct clserr *ce = clserr_new(r->m, c.history);
		if (ce != NULL) {
			clserr_free(r->ce);
			r->ce = ce;
			clserr_measure(ce, r->m, r->theta, r->r, 0);
			model_residual(r->m, r->theta, r->r);
		}
	}
	th->os.gauss_w0 = c.init == INIT_RANDOM;
	theory_set_method(th, r->cfg.ocfg.kind, r->cfg.ocfg.minibatch);
	theory_observe(th, 0, r->eta, 0, tr->r0, r->theta);
	r->step = 0;
	annotate(r);
	r->status = RUN_OK;
	r->status_step = r->blowup_step = -1;
	run_update_extras(r);
	return 0;
}

int run_set_optim(struct run *r, const struct optim_cfg *ocfg, char **cause)
{
	struct optim *o = optim_new(ocfg, r->m, cause);
	if (o == NULL)
		return -1;
	optim_free(r->opt);
	r->opt = o;
	r->cfg.ocfg = *ocfg;
	theory_set_method(r->th, ocfg->kind, ocfg->minibatch);
	return 0;
}

void run_set_eta(struct run *r, double eta)
{
	if (eta == r->eta)
		return;
	r->eta = eta;
	track_mark_eta(r->tr, r->step, eta);
	/* the verdict shown is the new η's at once (no step counted) */
	theory_preview(r->th, eta, r->tr->cur.distance, r->tr->cur.residual, r->theta);
}

int run_step_begin(struct run *r)
{
	r->pend_rc = RUN_OK;
	if (r->status != RUN_OK)
		return r->pend_rc = r->status;
	if (r->cfg.ocfg.kind == OPT_GD) {
		/* The update and the tracker's pass over θ in one loop (issue 10): it writes only
		 * the tracker's own scratch (θ_prev and the per-layer sums), which the screen does
		 * not read; track_push in run_step_end takes them up. */
		track_move(r->tr, r->theta, optim_gd_gradient(r->opt, r->m, r->theta, r->r), r->eta);
		model_residual(r->m, r->theta, r->r);
	} else if (optim_step(r->opt, r->m, r->orng, r->eta, r->theta, r->r) != 0) {
		return r->pend_rc = RUN_FAILED;
	}
	long step = r->step + 1;
	/* A lazy (minibatch) step left r stale: measure it at the cadence only. */
	r->pend_measured = !optim_lazy(r->opt) || step % r->measure_every == 0 ||
			   step == r->measure_at;
	r->pend_errors = r->pend_measured && r->ce &&
			 (step % r->errors_every == 0 || step == r->measure_at);
	if (r->pend_measured && optim_lazy(r->opt))
		model_residual(r->m, r->theta, r->r);
	if (r->pend_errors) {
		clserr_compute(r->ce, r->m, r->theta, r->r, &r->pend_train, &r->pend_test);
		if (!optim_lazy(r->opt))
			model_residual(r->m, r->theta, r->r); /* the optimizer needs the cache */
	}
	return RUN_OK;
}

int run_step_end(struct run *r)
{
	if (r->pend_rc != RUN_OK) {
		if (r->pend_rc == RUN_FAILED && r->status == RUN_OK) {
			r->step++;
			r->status = RUN_FAILED;
			r->status_step = r->step;
		}
		return r->status;
	}
	r->step++;
	track_push(r->tr, r->step, r->theta, r->pend_measured ? r->r : NULL, r->m->n, r->eta);
	if (r->pend_errors)
		clserr_push(r->ce, r->step, r->pend_train, r->pend_test);
	proj_push(r->pj, r->step, r->theta, r->theta0);
	const struct track_point *cur = &r->tr->cur;
	if (!isfinite(cur->loss) || !isfinite(cur->distance)) {
		r->status = RUN_DIVERGED;
		r->status_step = r->step;
		return r->status;
	}
	if (theory_due(r->th, r->step) && theory_spectrum(r->th, r->m, r->theta, r->step) != 0) {
		r->status = RUN_DIVERGED;
		r->status_step = r->step;
		return r->status;
	}
	theory_observe(r->th, r->step, r->eta, cur->distance, cur->residual, r->theta);
	annotate(r);
	if (r->blowup_step < 0 && cur->loss > 1000 * r->tr->h[0].loss && cur->loss > 1e-300)
		r->blowup_step = r->step;
	return RUN_OK;
}

int run_step(struct run *r)
{
	run_step_begin(r);
	return run_step_end(r);
}

const char *run_failure(const struct run *r)
{
	return optim_failure(r->opt);
}

void run_update_extras(struct run *r)
{
	const struct model_ops *ops = r->m->ops;
	if (ops->extras == NULL) {
		r->nextras = 0;
		return;
	}
	r->nextras = ops->extras(r->m, r->theta, r->theta0, r->extra_names, r->extras);
	track_set_extras(r->tr, r->extras, r->nextras);
	/* extras may run forward() elsewhere: put the cache back at θ. */
	model_residual(r->m, r->theta, r->r);
}

void run_update_plane(struct run *r)
{
	if (r->pj)
		proj_update(r->pj, r->theta, r->theta0, r->th->have_star ? r->th->theta_star : NULL);
}
