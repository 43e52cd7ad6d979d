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

	struct track_point cur;
	long measured;       /* step of the latest residual (cur.residual, cur.loss) */
	double ldist[MODEL_MAX_LAYERS], lpath[MODEL_MAX_LAYERS];

	/* Bounded history, struct of arrays, len ≤ cap. */
	size_t len, cap;
	long stride;
	struct track_point *h;
	double *h_ldist, *h_lpath; /* cap × nlayers */

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
/* Note that η changes to eta at this step (drawn as a mark on the loss plot). */
void track_mark_eta(struct track *t, long step, double eta);

/* Derived quantities. NAN where undefined. */
double track_nresidual(const struct track *t, double residual); /* ‖r‖/‖r0‖ (6.1) */
double track_ndistance(const struct track *t, double distance); /* ‖θ−θ0‖/‖θ0‖ (6.1) */
double track_layer_ndistance(const struct track *t, size_t layer, double dist);
double track_directness(const struct track *t); /* path / distance (1 = straight) */

#endif
