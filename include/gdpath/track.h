/* track.h — what the tracker records at every step (SPEC §1): loss, misfit, distance
 * from θ0, path length, per-layer distances and path lengths, and a bounded history for
 * the plots. Numerics only.
 *
 * History: at most `cap` points. Step 0 is always kept exactly; when the history is
 * full, every other point after the first is dropped and the sampling stride doubles, so
 * memory stays flat over millions of steps. The current point (`cur`) is always exact. */
#ifndef GDPATH_TRACK_H
#define GDPATH_TRACK_H

#include <stdbool.h>
#include <stddef.h>

#include "gdpath/model.h"

struct model;

struct track_point {
	long step;
	double loss, residual, distance, path, eta;
	/* What the theory measured at this step (track_annotate): α, β where the spectrum was
	 * computed at this step (else NAN), ζ̂, λ̂ and the outside count after it (NAN, -1:
	 * not measured). */
	double alpha, beta, zeta, lambda;
	double alpha_hat, beta_hat; /* min α, max β along the path so far */
	long checked, outside; /* steps a theorem covered and where it failed (-1: none) */
};

enum { TRACK_MAX_MARKS = 64 };

struct track {
	size_t p, nlayers;
	size_t loff[MODEL_MAX_LAYERS], llen[MODEL_MAX_LAYERS];
	double r0;           /* ‖r_0‖ */
	double theta0_norm;  /* ‖θ0‖ */
	double l0norm[MODEL_MAX_LAYERS];   /* ‖W^ℓ_0‖_F */
	double *theta0;      /* owned copy */
	double *theta_prev;  /* θ at the previous push, owned */

	/* track_move's sums for the next track_push (moved: they are there). */
	bool moved;
	double mv_dist2[MODEL_MAX_LAYERS], mv_step2[MODEL_MAX_LAYERS];

	struct track_point cur;
	long measured;       /* step of the latest residual (cur.residual, cur.loss) */
	double ldist[MODEL_MAX_LAYERS], lpath[MODEL_MAX_LAYERS];

	/* Bounded history, struct of arrays, len ≤ cap. */
	size_t len, cap;
	long stride;
	struct track_point *h;
	double *h_ldist, *h_lpath; /* cap × nlayers */
	double *h_x;               /* cap × MODEL_MAX_EXTRAS: the model's quantities, NAN where
				    * they were not measured at that point (track_set_extras) */

	/* Steps where η changed (the last TRACK_MAX_MARKS). */
	size_t nmarks;
	long mark_step[TRACK_MAX_MARKS];
	double mark_eta[TRACK_MAX_MARKS];
};

/* A tracker for m starting at θ0 with residual r0 (length n); cap ≥ 16 history points. */
struct track *track_new(const struct model *m, const double *theta0, const double *r0,
			double eta, size_t cap);
void track_free(struct track *t);
/* A deep copy (for forked runs). */
struct track *track_clone(const struct track *t);
/* Record the state after a step: θ, its residual r (length n), η used for the step.
 * r NULL: the residual was not measured at this step (a minibatch step of a large model):
 * distances and path lengths move, the residual keeps its last value, no history point. */
void track_push(struct track *t, long step, const double *theta, const double *r, size_t n,
		double eta);
/* Gradient descent's update θ ← θ − η g fused with the tracker's per-parameter work: the
 * same pass sums each layer's ‖θ − θ0‖² and ‖θ − θ_prev‖² (and keeps θ_prev), which the
 * next track_push then uses instead of reading θ again. Same numbers as the update followed
 * by track_push, to the bit. */
void track_move(struct track *t, double *theta, const double *g, double eta);
/* The theory's values after the step just pushed (see struct track_point); the history
 * point of this step, if there is one, gets them too. */
void track_annotate(struct track *t, double alpha, double beta, double alpha_hat,
		    double beta_hat, double zeta, double lambda, long checked,
		    long outside);
/* The model's own quantities measured at the current step: kept on the history point of
 * this step, if there is one. */
void track_set_extras(struct track *t, const double *x, size_t n);
/* Note that η changes to eta at this step (drawn as a mark on the loss plot). */
void track_mark_eta(struct track *t, long step, double eta);

/* Derived quantities. NAN where undefined. */
double track_nresidual(const struct track *t, double residual); /* ‖r‖/‖r0‖ (6.1) */
double track_ndistance(const struct track *t, double distance); /* ‖θ−θ0‖/‖θ0‖ (6.1) */
double track_layer_ndistance(const struct track *t, size_t layer, double dist);
double track_directness(const struct track *t); /* path / distance (1 = straight) */

#endif
