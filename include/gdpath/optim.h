/* optim.h — gradient methods on the sum loss L(θ) = ½‖f(θ) − y‖² (SPEC §4).
 * Workspaces are allocated by optim_new(); optim_step() allocates nothing. */
#ifndef GDPATH_OPTIM_H
#define GDPATH_OPTIM_H

#include <stdbool.h>
#include <stddef.h>

#include <gsl/gsl_rng.h>

struct model;

enum optim_kind { OPT_GD, OPT_SGD, OPT_MOMENTUM, OPT_NESTEROV, OPT_ADAM, OPT_FLOW, OPT_COUNT };

struct optim_cfg {
	int kind;
	size_t minibatch; /* sgd: samples per step (0: 1); adam: 0 = all, else a minibatch */
	double beta1;     /* momentum, nesterov, adam (NAN: 0.9) */
	double beta2;     /* adam (NAN: 0.999) */
	double eps;       /* adam (NAN: 1e-8) */
};

const char *optim_name(int kind);
const char *optim_summary(int kind);
int optim_lookup(const char *name); /* -1 if unknown */

struct optim;

/* A fresh optimizer for model m (p parameters, n samples). NULL and *cause on failure. */
struct optim *optim_new(const struct optim_cfg *cfg, const struct model *m, char **cause);
void optim_free(struct optim *o);
/* Forget the state (velocities, moments, step count). */
void optim_reset(struct optim *o);
/* Copy src's state into dst (same kind and sizes). */
void optim_copy_state(struct optim *dst, const struct optim *src);
const struct optim_cfg *optim_cfg(const struct optim *o);

/* True when a step leaves r stale: a minibatch step through the model's batch_grad, whose
 * cost would be dwarfed by a forward pass over all n samples; run.c measures r at its
 * cadence instead. */
bool optim_lazy(const struct optim *o);

/* One step of size eta. On entry r = f(θ) − y with the model's forward cache at θ; on
 * exit θ has moved and r = f(θ) − y at the new θ (forward cache there too) — unless
 * optim_lazy(), when r is left as it was. rng drives
 * SGD's sampling. Returns 0, or -1 if the ODE integrator (flow) gave up. */
int optim_step(struct optim *o, struct model *m, gsl_rng *rng, double eta, double *theta,
	       double *r);
/* Why the last optim_step failed, in words (a static buffer). The work of one flow step
 * is bounded by a count of evaluations (optim.c FLOW_WORK). */
const char *optim_failure(const struct optim *o);

/* Gradient descent's gradient alone, g = ∇L(θ) = Jᵀr ([OS19] (2.2)), into the optimizer's
 * own buffer (valid until its next call). For a caller that applies θ ← θ − ηg fused with
 * its own per-parameter work (run.c with track_move); the result is optim_step's for gd. */
const double *optim_gd_gradient(struct optim *o, struct model *m, const double *theta,
				const double *r);

#endif
