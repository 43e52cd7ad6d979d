/* run.h — one training run: data, model, θ, optimizer, tracker and theory, advanced a
 * step at a time. The screen and the batch writer ask a run for everything they show.
 * Numerics only: no I/O but the data/init files named in the configuration. */
#ifndef GDPATH_RUN_H
#define GDPATH_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "gdpath/model.h"
#include "gdpath/optim.h"

struct dataset;
struct track;
struct theory;
struct proj;
struct clserr;

enum init_kind { INIT_RANDOM, INIT_ZERO, INIT_FILE };

struct run_cfg {
	const struct model_ops *ops;
	struct model_cfg mcfg;     /* zeros: model defaults (or the data file's sizes) */
	int labels;                /* enum labels_kind; -1: the model's default */
	int init;                  /* enum init_kind */
	const char *init_file;     /* INIT_FILE */
	const char *save_init;     /* write θ0 here, or NULL */
	const char *data_file;     /* read X, y from CSV, or NULL */
	const char *save_data;     /* write X, y here, or NULL */
	struct optim_cfg ocfg;
	double eta;                /* used when !eta_theory */
	bool eta_theory;           /* η = theory step size × eta_scale */
	double eta_scale;
	unsigned long seed;
	long spectrum_every;       /* 0: automatic */
	long measure_every;        /* minibatch steps of a large model (optim_lazy): the full
				    * residual and class errors every N steps (0: automatic) */
	size_t history;            /* tracker history points */
};

/* The seed of random stream `stream` (0: data and θ0, 1: SGD draws) for a user's seed. */
unsigned long run_seed_mix(unsigned long seed, unsigned stream);

/* Default configuration: linear model, gd, η = theory, seed 1. */
void run_cfg_default(struct run_cfg *c);

enum run_status {
	RUN_OK,
	RUN_DIVERGED, /* loss non-finite: stopped */
	RUN_FAILED,   /* the integrator gave up */
};

struct run {
	struct run_cfg cfg;
	struct dataset *data;  /* shared with forks (reference counted) */
	struct model *m;
	gsl_rng *rng;          /* data and θ0 draws */
	gsl_rng *orng;         /* optimizer draws (SGD), reseeded on restart */
	double *theta, *theta0, *r;
	double *teacher;       /* --labels planted: the teacher's θ (y = f(teacher)), else NULL */
	struct optim *opt;
	struct track *tr;
	struct theory *th;
	struct proj *pj;       /* the path projected on a plane (proj.h); NULL for runs that
	                        * are never drawn (the range test's) */
	struct clserr *ce;     /* classification errors (class data), or NULL */
	long measure_every;    /* residual cadence in force (1 unless optim_lazy) */
	long errors_every;     /* class error cadence */
	long measure_at;       /* also measure at this step (batch: the last), or 0 */
	/* between run_step_begin() and run_step_end() */
	int pend_rc;
	bool pend_measured, pend_errors;
	double pend_train, pend_test;
	long step;
	double eta;
	int status;
	long status_step;      /* step at which status turned non-OK */
	long blowup_step;      /* first step whose loss exceeded 1000 × the initial loss, or -1 */
	double extras[MODEL_MAX_EXTRAS];
	const char *extra_names[MODEL_MAX_EXTRAS];
	size_t nextras;
};

/* Build a run. Returns NULL with *cause and *status (1: data/IO, 2: usage) on failure:
 * sizes that would need more memory than the machine has are refused before allocating. */
struct run *run_new(const struct run_cfg *cfg, char **cause, int *status);
void run_free(struct run *r);
/* A copy continuing from r's current iterate (same data, θ0, history), for comparison. */
struct run *run_fork(const struct run *r, char **cause);
/* Start over from θ0 on the same data (new_seed false), or with the seed advanced by one
 * and new data and θ0 (new_seed true; file data are kept). */
int run_restart(struct run *r, bool new_seed, char **cause);
/* Swap the optimizer (keeps θ and history). */
int run_set_optim(struct run *r, const struct optim_cfg *ocfg, char **cause);
/* Change η from the next step on (marked in the history). */
void run_set_eta(struct run *r, double eta);
/* Advance one step, update the tracker and the theory. Returns r->status. A run that is
 * not RUN_OK does not move. A loss a thousandfold above the start sets blowup_step once
 * (the screen pauses there) but the run may go on. */
int run_step(struct run *r);
/* A note on what the labels mean for the theory (align labels away from Thm 2.4's
 * setting), or NULL. Static text. */
const char *run_labels_note(const struct run *r);
/* run_step() in two halves, so the heavy one can run on another thread while the screen
 * reads the run: begin moves θ, the optimizer and the model's caches and measures what is
 * due (the residual, class errors) into the run's pending fields, touching nothing the
 * screen reads (track, theory, step, status, class error history); end records it all
 * (cheap, but the theory's spectrum when due) and returns r->status. */
int run_step_begin(struct run *r);
int run_step_end(struct run *r);
/* The automatic measurement cadence for a lazy optimizer: a full pass over the n training
 * and the test images costs about a fifth of the minibatch steps between two passes. */
long run_auto_measure_every(size_t nsamples, size_t ntest, size_t minibatch);
/* Refresh r->extras (the model's live quantities) at the current θ. */
/* Why the run failed (status RUN_FAILED), in words. */
const char *run_failure(const struct run *r);
void run_update_extras(struct run *r);
/* Recompute the parameter-space plane (proj.h) at the current iterate. */
void run_update_plane(struct run *r);

#endif
