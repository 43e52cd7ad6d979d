/* theory.h — the papers' quantities, live (SPEC §1–§2): the Jacobian spectrum α = σ_min(J),
 * β = σ_max(J) from the Gram matrix J Jᵀ, the running α̂, β̂, the Jacobian deviation Δ̂ and
 * smoothness estimate L̂, λ̂ and ζ̂ of [OS19] Thm 9.3, the closest optimum where it is known,
 * and the bound lines, rate envelopes, path bounds and step-size gauges as functions the
 * screen can call. Numerics only: no I/O, no curses. Workspaces are allocated by
 * theory_new(); nothing is allocated per step. */
#ifndef GDPATH_THEORY_H
#define GDPATH_THEORY_H

#include <stdbool.h>
#include <stddef.h>

struct model;

enum thm22 { THM22_UNKNOWN, THM22_HOLDS, THM22_FAILS };

/* Keep Jacobians for Δ̂ and L̂ only while n·p is at most this (three are kept). */
#define THEORY_MAX_JACOBIAN 4000000.0

struct theory {
	size_t n, p;
	long every;          /* spectrum cadence in steps (≥ 1) */
	bool spectrum_off;   /* the model's J is out of reach (model_ops.no_spectrum): α, β, Δ̂, L̂,
			      * λ̂, ζ̂, θ* and the theory step are not computed (NAN) */
	double r0;           /* ‖f(θ0) − y‖ */

	/* Latest spectrum. */
	long spec_step;      /* step it was computed at */
	double alpha, beta;  /* σ_min(J), σ_max(J) there; α = 0 when n > p or J is rank-deficient */
	double alpha0, beta0;
	double alpha_hat, beta_hat; /* min α, max β over evaluated steps */
	bool no_guarantee;   /* α̂ = 0: n > p or rank-deficient J */
	long evaluations;

	/* Jacobian deviation (Assumption 2 of [OS19]); NAN until known. */
	bool track_jacobian; /* false when n·p is too large to keep two Jacobians */
	bool need_j;         /* a Jacobian is formed at each spectrum (Jcur allocated) */
	double delta_hat;    /* twice the largest ‖J(θ_τ) − J(θ0)‖ seen */
	double L_hat;        /* largest ‖J(θ_a) − J(θ_b)‖ / ‖θ_a − θ_b‖, consecutive evaluations */

	/* For the current η (theory_observe). */
	double eta;
	double lambda_hat;   /* λ̂ ∈ [0, 1] */
	double zeta_hat;     /* ζ̂ = (λ̂ − ηβ̂²/2)·α̂, Thm 9.3 */
	long outside;        /* steps outside the guaranteed region for their η */
	long checked;        /* steps checked (gradient descent with ζ̂ > 0 only) */

	/* Closest global optimum (linear, glm). */
	bool have_star;
	double star_dist;    /* ‖θ* − θ0‖ */
	double *theta_star;  /* owned, or NULL */

	double eta_theory;   /* model's rule, or 1/(2β0²) (Thm 2.2) */
	bool eta_theory_fallback;

	/* Workspaces (owned). */
	double *G, *J0, *Jprev, *Jcur, *theta_spec, *pv, *pu, *pw;
	void *eig;          /* gsl_eigen_symm_workspace */
	void *eval, *Gm;    /* gsl_vector, gsl_matrix */
};

/* Computes the spectrum at θ0 (r0vec = f(θ0) − y) and θ*, the theory step size.
 * spectrum_every: 0 = automatic (about 10 % of the run's work). */
struct theory *theory_new(struct model *m, const double *theta0, const double *r0vec,
			  long spectrum_every, char **cause);
void theory_free(struct theory *th);
struct theory *theory_clone(const struct theory *th);

/* True when the spectrum is due at this step. */
bool theory_due(const struct theory *th, long step);
/* Recompute α, β (and Δ̂, L̂) at θ; leaves the model's forward cache at θ. */
int theory_spectrum(struct theory *th, struct model *m, const double *theta, long step);
/* Update λ̂, ζ̂ for η and count whether (distance, misfit) is outside the region
 * guaranteed for η: between the red line and the ζ̂ line. */
void theory_observe(struct theory *th, double eta, double distance, double residual, bool gd);

/* The lines of the misfit–distance plane (SPEC §2), misfit as a function of distance. */
double theory_green(const struct theory *th, double distance); /* r0 − α̂·d  (2.12) */
double theory_red(const struct theory *th, double distance);   /* r0 − β̂·d  (2.15) */
double theory_zeta_line(const struct theory *th, double distance); /* r0 − ζ̂·d (Thm 9.3) */
/* Zero-misfit marks: r0/β̂ (no optimum nearer) and r0/α̂ (INFINITY when α̂ = 0). */
double theory_dist_min(const struct theory *th);
double theory_dist_max(const struct theory *th);

/* Rate envelopes on ‖r_τ‖ after `steps` steps at η: (2.3) (1 − ηα̂²/2)^{τ/2} r0, the
 * general (9.2) (1 − λ̂ηα̂²)^{τ/2} r0, and SGD's Thm 3.1 (1 − ηα̂²/(2n))^{τ/2} r0 (the
 * root of the expected squared misfit). NAN where the base is outside [0, 1]. */
double theory_envelope(const struct theory *th, double eta, double steps);
double theory_envelope_general(const struct theory *th, double eta, double steps);
double theory_envelope_sgd(const struct theory *th, double eta, double steps);

/* Path bounds: 4r0/α̂ (2.5), r0/ζ̂ (9.4; NAN when ζ̂ ≤ 0), (β̂/α̂)‖θ*−θ0‖ (2.14; NAN unknown). */
double theory_path_bound_thm21(const struct theory *th);
double theory_path_bound_zeta(const struct theory *th);
double theory_path_bound_star(const struct theory *th);

/* ‖θ − θ*‖ where θ* is known, else NAN. */
double theory_star_gap(const struct theory *th, const double *theta);

/* Step-size gauges: η·β_τ² (GD on the local quadratic is unstable above 2), η over the
 * theory step, and Theorem 2.2's condition α² ≥ 4L‖r0‖. */
double theory_eta_beta2(const struct theory *th, double eta);
double theory_eta_ratio(const struct theory *th, double eta);
enum thm22 theory_thm22(const struct theory *th);

#endif
