/* optim.c — gd, sgd, heavy-ball momentum, Nesterov, Adam and gradient flow (SPEC §4),
 * each on the gradient of the sum loss, ∇L = Jᵀ(f − y) ([OS19] (2.2)). */
#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>
#include <gsl/gsl_randist.h>

#include "gdpath/model.h"
#include "gdpath/optim.h"
#include "gdpath/util.h"

#define FLOW_SUBSTEPS 16      /* RK4 substeps per step where the model has kinks */
/* The work of one flow step is bounded, so a stiff flow at a huge η gives up within a
 * half a second or so instead of computing for half a minute with keys waiting (issue 9):
 * at most FLOW_WORK / (n·p) right-hand sides (each costs about n·p multiply-adds), never
 * fewer than FLOW_MIN_EVALS nor more than FLOW_MAX_EVALS. A count, not a clock: the same
 * run gives up at the same step on any machine. */
#define FLOW_WORK 3e8
#define FLOW_MIN_EVALS 300
#define FLOW_MAX_EVALS 120000

static const struct {
	const char *name, *summary;
} kinds[OPT_COUNT] = {
    [OPT_GD] = {"gd", "gradient descent: θ ← θ − η Jᵀr ([OS19] (2.2))"},
    [OPT_SGD] = {"sgd", "stochastic gradient on --minibatch B samples drawn without replacement ([OS19] (3.1))"},
    [OPT_MOMENTUM] = {"momentum", "heavy ball: v ← β1 v − η∇L, θ ← θ + v"},
    [OPT_NESTEROV] = {"nesterov", "Nesterov: gradient at the look-ahead θ + β1 v"},
    [OPT_ADAM] = {"adam", "Adam with --beta1 --beta2 --adam-eps, bias-corrected"},
    [OPT_FLOW] = {"flow", "gradient flow dθ/dt = −∇L by RK (GSL odeiv2; fixed steps on ReLU models); a step advances time by η"},
};

const char *optim_name(int kind)
{
	return kind >= 0 && kind < OPT_COUNT ? kinds[kind].name : "?";
}

const char *optim_summary(int kind)
{
	return kind >= 0 && kind < OPT_COUNT ? kinds[kind].summary : "?";
}

int optim_lookup(const char *name)
{
	for (int i = 0; i < OPT_COUNT; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return i;
	return -1;
}

struct optim {
	struct optim_cfg cfg;
	size_t n, p;
	double *g;      /* gradient */
	double *vel;    /* momentum / nesterov velocity; adam first moment */
	double *mom2;   /* adam second moment */
	double *ahead;  /* nesterov look-ahead point */
	double *rtmp;   /* residual scratch */
	size_t *all, *batch; /* sgd index pool and draw (sample indices) */
	size_t *rows;   /* the drawn samples' output rows (class data: C per sample) */
	size_t ns, nout; /* samples, outputs per sample */
	bool stoch;     /* gradient over a minibatch draw (sgd; adam with --minibatch) */
	bool lazy;      /* stochastic and the model has batch_grad: no full residual per step */
	long t;         /* steps taken (adam bias correction) */
	/* flow */
	struct model *fm;
	gsl_odeiv2_system sys;
	gsl_odeiv2_driver *drv;
	bool fixed;     /* fixed-step RK4 (models with kinks) */
	long evals, max_evals; /* right-hand sides this step, and the bound */
	bool over;      /* the last failure was the bound */
	gsl_odeiv2_step *stp;
	double *yerr;
};

static int flow_rhs(double t, const double *theta, double *dtheta, void *params)
{
	(void)t;
	struct optim *o = params;
	if (++o->evals > o->max_evals) {
		o->over = true;
		return GSL_EBADFUNC;
	}
	model_residual(o->fm, theta, o->rtmp);
	o->fm->ops->vjp(o->fm, theta, o->rtmp, NULL, o->n, dtheta);
	for (size_t j = 0; j < o->p; j++) {
		dtheta[j] = -dtheta[j];
		if (!isfinite(dtheta[j]))
			return GSL_EBADFUNC;
	}
	return GSL_SUCCESS;
}

struct optim *optim_new(const struct optim_cfg *cfg, const struct model *m, char **cause)
{
	struct optim *o = calloc(1, sizeof *o);
	if (o == NULL)
		goto oom;
	o->cfg = *cfg;
	if (isnan(o->cfg.beta1))
		o->cfg.beta1 = 0.9;
	if (isnan(o->cfg.beta2))
		o->cfg.beta2 = 0.999;
	if (isnan(o->cfg.eps))
		o->cfg.eps = 1e-8;
	/* --minibatch 0 (not given): one sample for sgd, the full batch for adam. */
	if (o->cfg.minibatch == 0 && o->cfg.kind == OPT_SGD)
		o->cfg.minibatch = 1;
	o->n = m->n;
	o->p = m->p;
	o->ns = m->nsamples ? m->nsamples : m->n;
	o->nout = m->n / o->ns;
	o->stoch = o->cfg.kind == OPT_SGD || (o->cfg.kind == OPT_ADAM && o->cfg.minibatch > 0);
	o->lazy = o->stoch && m->ops->batch_grad != NULL;
	if (o->stoch && o->cfg.minibatch > o->ns) {
		*cause = xasprintf("--minibatch %zu is larger than the %zu samples", o->cfg.minibatch,
				   o->ns);
		free(o);
		return NULL;
	}
	o->g = xcalloc(o->p, sizeof(double));
	o->vel = xcalloc(o->p, sizeof(double));
	o->mom2 = xcalloc(o->p, sizeof(double));
	o->ahead = xcalloc(o->p, sizeof(double));
	o->rtmp = xcalloc(o->n, sizeof(double));
	o->all = xcalloc(o->ns, sizeof(size_t));
	o->batch = xcalloc(o->cfg.minibatch + 1, sizeof(size_t));
	o->rows = xcalloc((o->cfg.minibatch + 1) * o->nout, sizeof(size_t));
	if (!o->g || !o->vel || !o->mom2 || !o->ahead || !o->rtmp || !o->all || !o->batch ||
	    !o->rows)
		goto oom;
	for (size_t i = 0; i < o->ns; i++)
		o->all[i] = i;
	if (o->cfg.kind == OPT_FLOW) {
		o->fm = (struct model *)m;
		o->sys = (gsl_odeiv2_system){flow_rhs, NULL, o->p, o};
		/* Smooth models: adaptive RKF45. Where f has kinks (ReLU), the right-hand side
		 * jumps and adaptive control would shrink the step without end, so classical
		 * RK4 with FLOW_SUBSTEPS fixed substeps per step (cost bounded). */
		o->fixed = m->kinks;
		double np = (double)o->n * (double)o->p, evals = FLOW_WORK / (np > 1 ? np : 1);
		o->max_evals = evals < FLOW_MIN_EVALS	? FLOW_MIN_EVALS
			       : evals > FLOW_MAX_EVALS ? FLOW_MAX_EVALS
							: (long)evals;
		if (o->fixed) {
			o->stp = gsl_odeiv2_step_alloc(gsl_odeiv2_step_rk4, o->p);
			o->yerr = xcalloc(o->p, sizeof(double));
			if (o->stp == NULL || o->yerr == NULL)
				goto oom;
		} else {
			o->drv = gsl_odeiv2_driver_alloc_y_new(&o->sys, gsl_odeiv2_step_rkf45, 1e-3,
							       1e-10, 1e-8);
			if (o->drv == NULL)
				goto oom;
			gsl_odeiv2_driver_set_nmax(o->drv, (unsigned long)o->max_evals);
		}
	}
	return o;
oom:
	optim_free(o);
	*cause = xstrdup("out of memory for the optimizer");
	return NULL;
}

void optim_free(struct optim *o)
{
	if (o == NULL)
		return;
	free(o->g);
	free(o->vel);
	free(o->mom2);
	free(o->ahead);
	free(o->rtmp);
	free(o->all);
	free(o->batch);
	free(o->rows);
	if (o->drv)
		gsl_odeiv2_driver_free(o->drv);
	if (o->stp)
		gsl_odeiv2_step_free(o->stp);
	free(o->yerr);
	free(o);
}

void optim_reset(struct optim *o)
{
	memset(o->vel, 0, o->p * sizeof(double));
	memset(o->mom2, 0, o->p * sizeof(double));
	o->t = 0;
	if (o->drv)
		gsl_odeiv2_driver_reset(o->drv);
	if (o->stp)
		gsl_odeiv2_step_reset(o->stp);
}

void optim_copy_state(struct optim *dst, const struct optim *src)
{
	memcpy(dst->vel, src->vel, src->p * sizeof(double));
	memcpy(dst->mom2, src->mom2, src->p * sizeof(double));
	dst->t = src->t;
}

const struct optim_cfg *optim_cfg(const struct optim *o)
{
	return &o->cfg;
}

const double *optim_gd_gradient(struct optim *o, struct model *m, const double *theta,
				const double *r)
{
	o->t++;
	m->ops->vjp(m, theta, r, NULL, o->n, o->g);
	return o->g;
}

const char *optim_failure(const struct optim *o)
{
	static char why[160];
	if (o->over)
		snprintf(why, sizeof why,
			 "the ODE integrator needed more than %ld evaluations for one step "
			 "(the flow is too stiff at this eta); try a smaller --eta",
			 o->max_evals);
	else
		snprintf(why, sizeof why, "the ODE integrator gave up");
	return why;
}

bool optim_lazy(const struct optim *o)
{
	return o->lazy;
}

/* (3.1): the gradient of ½Σ_{i∈batch} ‖r_i‖² over a uniform draw of samples without
 * replacement: by the model's batch_grad where it has one, else by vjp on the drawn
 * samples' rows of the current residual r. */
static void stoch_grad(struct optim *o, struct model *m, gsl_rng *rng, const double *theta,
		       const double *r)
{
	size_t b = o->cfg.minibatch;
	if (b == 1)
		o->batch[0] = gsl_rng_uniform_int(rng, o->ns);
	else
		gsl_ran_choose(rng, o->batch, b, o->all, o->ns, sizeof(size_t));
	if (o->lazy) {
		m->ops->batch_grad(m, theta, o->batch, b, o->g);
		return;
	}
	for (size_t j = 0; j < b; j++)
		for (size_t c = 0; c < o->nout; c++)
			o->rows[j * o->nout + c] = o->batch[j] * o->nout + c;
	m->ops->vjp(m, theta, r, o->rows, b * o->nout, o->g);
}

int optim_step(struct optim *o, struct model *m, gsl_rng *rng, double eta, double *theta,
	       double *r)
{
	size_t p = o->p;
	const struct model_ops *ops = m->ops;
	double b1 = o->cfg.beta1;
	o->t++;
	switch (o->cfg.kind) {
	case OPT_GD:
		ops->vjp(m, theta, r, NULL, o->n, o->g);
		for (size_t j = 0; j < p; j++)
			theta[j] -= eta * o->g[j];
		break;
	case OPT_SGD:
		stoch_grad(o, m, rng, theta, r);
		for (size_t j = 0; j < p; j++)
			theta[j] -= eta * o->g[j];
		break;
	case OPT_MOMENTUM:
		ops->vjp(m, theta, r, NULL, o->n, o->g);
		for (size_t j = 0; j < p; j++) {
			o->vel[j] = b1 * o->vel[j] - eta * o->g[j];
			theta[j] += o->vel[j];
		}
		break;
	case OPT_NESTEROV:
		for (size_t j = 0; j < p; j++)
			o->ahead[j] = theta[j] + b1 * o->vel[j];
		model_residual(m, o->ahead, o->rtmp);
		ops->vjp(m, o->ahead, o->rtmp, NULL, o->n, o->g);
		for (size_t j = 0; j < p; j++) {
			o->vel[j] = b1 * o->vel[j] - eta * o->g[j];
			theta[j] += o->vel[j];
		}
		break;
	case OPT_ADAM: {
		double b2 = o->cfg.beta2, c1 = 1 - pow(b1, (double)o->t),
		       c2 = 1 - pow(b2, (double)o->t);
		if (o->stoch)
			stoch_grad(o, m, rng, theta, r);
		else
			ops->vjp(m, theta, r, NULL, o->n, o->g);
		for (size_t j = 0; j < p; j++) {
			double g = o->g[j];
			o->vel[j] = b1 * o->vel[j] + (1 - b1) * g;
			o->mom2[j] = b2 * o->mom2[j] + (1 - b2) * g * g;
			theta[j] -= eta * (o->vel[j] / c1) / (sqrt(o->mom2[j] / c2) + o->cfg.eps);
		}
		break;
	}
	case OPT_FLOW: {
		double t = 0;
		memcpy(o->ahead, theta, p * sizeof(double)); /* to undo a failed step */
		o->fm = m;
		o->evals = 0;
		o->over = false;
		/* Each step restarts the integrator, so the path depends only on θ and η. */
		if (o->fixed) {
			double h = eta / FLOW_SUBSTEPS;
			gsl_odeiv2_step_reset(o->stp);
			for (int i = 0; i < FLOW_SUBSTEPS; i++, t += h)
				if (gsl_odeiv2_step_apply(o->stp, t, h, theta, o->yerr, NULL, NULL,
							  &o->sys) != GSL_SUCCESS)
					goto flow_failed;
		} else {
			gsl_odeiv2_driver_reset_hstart(o->drv, eta / 8);
			if (gsl_odeiv2_driver_apply(o->drv, &t, eta, theta) != GSL_SUCCESS)
				goto flow_failed;
		}
		break;
	}
	}
	if (!o->lazy)
		model_residual(m, theta, r);
	return 0;
flow_failed:
	memcpy(theta, o->ahead, p * sizeof(double));
	model_residual(m, theta, r);
	return -1;
}
