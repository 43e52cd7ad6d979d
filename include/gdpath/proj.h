/* proj.h — the path in parameter space, projected onto a plane ([OS19] Fig. 1, right half).
 *
 * The plane passes through θ0 and is spanned by
 *   u = (θ* − θ0)/‖θ* − θ0‖ where the closest optimum θ* is known (linear, glm), else the
 *       direction of the current θ − θ0;
 *   v = the unit direction of the largest component of the path orthogonal to u: the top
 *       left singular vector of W = [w_1 … w_K], w_j = d_j − (u·d_j)u, over a bounded
 *       subsample d_j = θ_{τ_j} − θ0 of the iterates.
 *
 * Memory is bounded: at most `cap` snapshots of θ − θ0 are kept (cap·p ≤ PROJ_BUDGET doubles,
 * 2 ≤ cap ≤ PROJ_MAX_SNAPS), sampled like the tracker's history (every stride-th step; when
 * full, every other snapshot is dropped and the stride doubles). The raw Gram matrix
 * d_i·d_j is kept up to date as snapshots arrive (cap·p work per kept snapshot), so finding
 * v is one cap×cap symmetric eigenproblem (GSL) of WᵀW = G − c cᵀ (c_i = u·d_i): its top
 * eigenpair (λ, e) gives v = W e/√λ and the coordinates b_j = v·d_j = √λ e_j without
 * touching the snapshots again. The subtraction costs accuracy: a path that strays less
 * than about 1e-5 of its reach from the line counts as straight (no v). Nothing is
 * allocated after proj_new().
 * Numerics only: no I/O, no curses. */
#ifndef GDPATH_PROJ_H
#define GDPATH_PROJ_H

#include <stdbool.h>
#include <stddef.h>

#define PROJ_BUDGET 2000000.0 /* doubles of snapshots at most */
enum { PROJ_MAX_SNAPS = 64 };

struct proj {
	size_t p, cap, len;
	long stride;
	double *snap;   /* cap × p: θ_{τ_j} − θ0, row j */
	long *step;     /* cap: τ_j */
	double *G;      /* cap × cap: d_i·d_j (leading dimension cap) */

	/* The plane, after proj_update(). */
	bool have_plane;  /* u is defined (θ ≠ θ0 or θ* known) */
	bool frozen;      /* proj_freeze(): the plane stays as it is */
	bool u_star;      /* u points at θ* */
	bool have_v;      /* the path leaves the line through θ0 along u */
	size_t basis_len; /* snapshots v was found from */
	double *u, *v;    /* p each (v zero when !have_v) */
	double *a, *b;    /* cap: coordinates (u·d_j, v·d_j) of the snapshots */
	double cur_a, cur_b;   /* the current iterate */
	double star_a, star_b; /* θ* (u_star only) */
	double spread;    /* max_j |b_j| / max_j ‖d_j‖: how far the path strays from the line */

	/* Workspaces (owned). */
	double *W, *c, *dcur;
	void *eig, *eval, *evec, *Wm; /* gsl_eigen_symmv_workspace, gsl_vector, gsl_matrix, view */
};

/* A projector for p parameters; NULL when out of memory. */
struct proj *proj_new(size_t p);
void proj_free(struct proj *pj);
/* A copy (NULL for NULL). proj_reset and proj_push accept NULL too: a run that is never
 * drawn (the range test's) has no projection. */
struct proj *proj_clone(const struct proj *pj);
/* Forget the snapshots and the plane (a restart). */
void proj_reset(struct proj *pj);
/* Offer the iterate after step `step` (θ − θ0 is formed here); kept when step is a
 * multiple of the stride. Non-finite iterates are never kept. */
void proj_push(struct proj *pj, long step, const double *theta, const double *theta0);
/* Recompute the plane for the current iterate θ and θ* (NULL where unknown). */
void proj_update(struct proj *pj, const double *theta, const double *theta0,
		 const double *theta_star);
/* Keep the plane as it is now: proj_update() and proj_reset() leave it alone (snapshots
 * are still kept). --batch fixes the plane of a whole run before writing its rows. */
void proj_freeze(struct proj *pj);

/* Coordinates (u·(θ−θ0), v·(θ−θ0)) of any θ in the plane last computed; NAN without one. */
void proj_coords(const struct proj *pj, const double *theta, const double *theta0, double *a,
		 double *b);

#endif
