/* theory.h — the papers' quantities, live (SPEC §1–§2): the Jacobian spectrum α = σ_min(J),
 * β = σ_max(J) from the Gram matrix J Jᵀ, the running α̂, β̂, the Jacobian deviation Δ̂ and
 * smoothness estimate L̂, λ̂ and ζ̂ of [OS19] Thm 9.3, the closest optimum where it is known,
 * and the bound lines, rate envelopes, path bounds and step-size gauges as functions the
 * screen can call; which theorem covers the optimizer and step, under its own conditions
 * (Thm 9.3, Thm 4.1 for glm, Thm 3.1 for SGD, [Du18] for du, [OS19b] for shallow). Numerics only: no I/O, no curses. Workspaces are allocated by
 * theory_new(); nothing is allocated per step. */
#ifndef GDPATH_THEORY_H
#define GDPATH_THEORY_H

#include <stdbool.h>
#include <stddef.h>

struct model;

/* Theorem 2.2's condition σ_min(J(θ0))² ≥ 16·L·r0 (its α is σ_min(J(θ0))/2): unknown until
 * L̂ is measured, not applicable where J is not Lipschitz (ReLU-like models). */
enum thm22 { THM22_UNKNOWN, THM22_HOLDS, THM22_FAILS, THM22_NA };

/* The theorem family an optimizer falls under (theory_set_method). */
enum theory_method {
	THEORY_GD,    /* gradient descent: [OS19] Thm 2.1 / 9.3 (and Thm 4.1 for glm) */
	THEORY_SGD1,  /* SGD with minibatch 1: [OS19] Thm 3.1, in expectation */
	THEORY_FLOW,  /* gradient flow: [Du18] Thm 3.1 for du, nothing else */
	THEORY_OTHER, /* momentum, Nesterov, Adam, SGD minibatch > 1: no theorem */
};

/* What the theory can say about the current step (theory_observe). Only TV_THM93, TV_THM41
 * and TV_SGD are guarantees (theory_guaranteed); the others say why none applies. */
enum theory_verdict {
	TV_NO_ALPHA,   /* α̂ = 0 (n > p or J rank-deficient): no guarantee */
	TV_UNMEASURED, /* λ̂ unknown until the Jacobian is measured again */
	TV_LAMBDA,     /* λ̂ = 0: the measured deviation rules Thm 9.3 out */
	TV_STEP,       /* η·β̂² > λ̂: Thm 9.3's step condition fails at this η */
	TV_THM93,      /* GD inside Thm 9.3's conditions: region (9.3), rate (9.2), path (9.4) */
	TV_THM41,      /* glm, GD at η ≤ 1/(‖X‖²Γ²): Thm 4.1's rate (4.2), path (4.3) */
	TV_SGD,        /* SGD (minibatch 1) inside Thm 3.1's step condition */
	TV_SGD_STEP,   /* SGD above Thm 3.1's step condition */
	TV_FLOW_DU,    /* gradient flow on du: [Du18] Thm 3.1's rate drawn (w.h.p., not checked) */
	TV_NO_SPECTRUM, /* J's spectrum is not computed for this model (lenet): nothing checked */
	TV_NONE,       /* no theorem covers this optimizer */
};

/* Keep Jacobians for Δ̂ and L̂ only while n·p is at most this (three are kept). */
#define THEORY_MAX_JACOBIAN 4000000.0

/* [OS19b] Thm 2.1 / 2.3 for the shallow model (theory_shallow.c). */
struct theory_os19b {
	bool shallow;        /* the model is `shallow` */
	int thm;             /* 21 (smooth φ), 23 (ReLU), or 0: neither applies (why says so) */
	const char *why;     /* static text, or NULL */
	bool unit_x;         /* every ‖x_i‖ = 1 */
	bool gauss_w0;       /* W0 drawn iid N(0,1) (random init; set by the run) */
	double B;            /* sup |φ'| ≥ sup |φ''| (Thm 2.1) */
	double mu;           /* μφ = E[g φ'(g)], g ~ N(0,1) */
	double xnorm;        /* ‖X‖ */
	double kr2;          /* σ_min(X∗X)² = λ_min((XXᵀ)⊙(XXᵀ)) */
	double kappa;        /* κ(X) = √(d/n)‖X‖/σ_min(X∗X)² */
	double size, need;   /* √(kd) and the size (2.2)/(2.6) asks for, without its constant */
	double eta_rule;     /* the theorem's η at η̄ = 1 */
};

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
	bool lipschitz;      /* J Lipschitz (Assumption 2(b) can hold): false for ReLU-like models */
	bool track_jacobian; /* false when n·p is too large to keep two Jacobians */
	bool need_j;         /* a Jacobian is formed at each spectrum (Jcur allocated) */
	double delta_hat;    /* twice the largest ‖J(θ_τ) − J(θ0)‖ seen */
	double L_hat;        /* largest ‖J(θ_a) − J(θ_b)‖ / ‖θ_a − θ_b‖, consecutive evaluations;
			      * NAN where J is not Lipschitz (the ratio grows without bound) */
	double B_hat;        /* largest row norm of J seen (Thm 3.1's B) */

	/* For the current η and optimizer (theory_observe). */
	int method;          /* enum theory_method */
	int verdict;         /* enum theory_verdict */
	double eta;
	double lambda_hat;   /* λ̂ ∈ [0, 1]: from Δ̂ (2(a)) and, where J is Lipschitz, L̂ (2(b)),
			      * the more cautious */
	double zeta_hat;     /* ζ̂ = (λ̂ − ηβ̂²/2)·α̂, Thm 9.3 */
	long outside;        /* checked steps whose theorem's conclusion failed */
	long checked;        /* steps where a theorem's guarantee applied (Thm 9.3 or 4.1) */

	/* glm: Thm 4.1's constants 0 < γ ≤ φ' ≤ Γ, ‖X‖ and λ_min(XXᵀ); NAN elsewhere. */
	bool glm;
	double glm_gamma, glm_Gamma, x_norm, x_lmin;
	bool t41_live;       /* every step so far at η ≤ 1/(‖X‖²Γ²) */
	double t41_log;      /* Σ log(1 − η_s γ² λ_min(XXᵀ)) over the steps taken */

	/* du: λ0 = λ_min(H∞) ([Du18]); NAN elsewhere. */
	double lambda0;

	struct theory_os19b os;

	/* Closest global optimum (linear, glm). */
	bool have_star;
	double star_dist;    /* ‖θ* − θ0‖ */
	double *theta_star;  /* owned, or NULL */

	double eta_theory;   /* model's rule, or 1/(8β0²) (Thm 2.2 with its β = 2‖J(θ0)‖) */
	bool eta_theory_fallback;
	const char *eta_source; /* where the theory step comes from (static text) */

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
/* The theorem family for an optimizer (enum optim_kind) and SGD minibatch (0 = 1). */
void theory_set_method(struct theory *th, int optim_kind, size_t minibatch);
/* After step `step` (0: θ0) taken at η: update λ̂, ζ̂, the verdict, and where a theorem's
 * guarantee applies count the step as checked, and as outside when its conclusion fails:
 * Thm 9.3 — between the red line and the ζ̂ line (GD, η·β̂² ≤ λ̂, λ̂ > 0); Thm 4.1 (glm) —
 * ‖θ − θ*‖ ≤ Π(1 − η_s γ² λ_min(XXᵀ)) ‖θ0 − θ*‖. theta may be NULL at step 0. */
void theory_observe(struct theory *th, long step, double eta, double distance, double residual,
		    const double *theta);
/* True where the verdict is a guarantee of a theorem whose conditions hold at this η. */
/* The verdict, λ̂ and ζ̂ for a new η at the current point, before any step is taken with it:
 * theory_observe without counting a step (checked, outside and Thm 4.1's product stay). */
void theory_preview(struct theory *th, double eta, double distance, double residual,
		    const double *theta);
bool theory_guaranteed(const struct theory *th);
/* The verdict in words, naming its source: short (status line) or long (model panel). */
const char *theory_verdict_text(const struct theory *th, bool ascii, bool long_form, char *buf,
				size_t len);
/* The same in a few words, for a narrow panel or status line. */
const char *theory_verdict_brief(const struct theory *th, bool ascii, char *buf, size_t len);

/* The lines of the misfit–distance plane (SPEC §2), misfit as a function of distance. */
double theory_green(const struct theory *th, double distance); /* r0 − α̂·d  (2.12) */
double theory_red(const struct theory *th, double distance);   /* r0 − β̂·d  (2.15) */
double theory_zeta_line(const struct theory *th, double distance); /* r0 − ζ̂·d (Thm 9.3) */
/* Zero-misfit marks: r0/β̂ (no optimum nearer) and r0/α̂ (INFINITY when α̂ = 0). */
double theory_dist_min(const struct theory *th);
double theory_dist_max(const struct theory *th);

/* Rate envelopes on ‖r_τ‖: which a plot may draw for the current optimizer and verdict.
 * (2.3) (1 − ηα̂²/2)^{τ/2} r0, the general (9.2) (1 − λ̂ηα̂²)^{τ/2} r0, SGD's Thm 3.1
 * (1 − ηα̂²/(2n))^{τ/2} r0 (the root of the expected squared misfit), [Du18]'s. */
enum theory_envelope_kind {
	TE_23,     /* [OS19] (2.3), Thm 2.1: GD with λ̂ ≥ ½ and η·β̂² ≤ ½ */
	TE_92,     /* [OS19] (9.2), Thm 9.3: GD inside its conditions */
	TE_SGD,    /* [OS19] (3.2), Thm 3.1: SGD, minibatch 1, in expectation */
	TE_DU_GD,  /* [Du18] Thm 4.1: ‖r_k‖² ≤ (1 − ηλ0/2)^k r0² (w.h.p., conditions not checked) */
	TE_DU_FLOW, /* [Du18] Thm 3.1: ‖r(t)‖² ≤ e^{−λ0 t} r0² (w.h.p., conditions not checked) */
	TE_COUNT
};
/* Everything the plots draw from the theory, with its source: the one list behind the
 * legends, `gdpath --list overlays` and the man page's OVERLAYS (tests/test_docs.sh). */
enum theory_overlay {
	OV_GREEN, OV_REGION, OV_ZETA, OV_RED, OV_MARK_BETA, OV_MARK_ALPHA, OV_MARK_STAR,
	OV_ENV_23, OV_ENV_92, OV_ENV_SGD, OV_ENV_DU_GD, OV_ENV_DU_FLOW, OV_COUNT
};
struct theory_overlay_info {
	const char *name;   /* one word, for --list overlays and the man page */
	const char *legend; /* the source as the legend shows it */
	const char *when;   /* when it is drawn */
};
const struct theory_overlay_info *theory_overlay(int ov);

/* True when the envelope applies now (its optimizer, and its conditions where checkable). */
bool theory_envelope_applies(const struct theory *th, int kind);
/* Its source, e.g. "(9.2) Thm 9.3" (static text). */
const char *theory_envelope_source(int kind);
/* ‖r_τ‖ bound of envelope `kind` at step tau, piecewise in η: the step size changed to
 * mark_eta[i] after step mark_step[i] (mark_step[0] = 0, increasing), as recorded by the
 * tracker (which keeps the first and the last TRACK_MAX_MARKS − 1 changes: past that the
 * oldest changes are merged into the first η). NAN where a segment's η is outside the
 * envelope's conditions. */
double theory_envelope_at(const struct theory *th, int kind, const long *mark_step,
			  const double *mark_eta, size_t nmarks, double tau);

/* Path bounds: 4r0/α̂ (2.5), r0/ζ̂ (9.4; NAN when ζ̂ ≤ 0), (β̂/α̂)‖θ*−θ0‖ (2.14; NAN unknown). */
double theory_path_bound_thm21(const struct theory *th);
double theory_path_bound_zeta(const struct theory *th);
double theory_path_bound_star(const struct theory *th);

/* ‖θ − θ*‖ where θ* is known, else NAN. */
double theory_star_gap(const struct theory *th, const double *theta);

/* Step-size gauges: η·β_τ² (GD on the local quadratic is unstable above 2), η over the
 * theory step, and Theorem 2.2's condition σ_min(J(θ0))² ≥ 16·L̂·r0 ((2.6) with its
 * α = σ_min(J(θ0))/2). */
double theory_eta_beta2(const struct theory *th, double eta);
double theory_eta_ratio(const struct theory *th, double eta);
/* The theory step lies above 1/β0², where no λ ≤ 1 meets Thm 9.3's η ≤ λ/β² (defect 8). */
bool theory_eta_above_limit(const struct theory *th);
enum thm22 theory_thm22(const struct theory *th);
/* glm: Thm 4.1's step limit 1/(‖X‖²Γ²), rate base 1 − ηγ²λ_min(XXᵀ) and path bound (4.3)
 * (Γ²/γ²)(λ_max/λ_min)(XXᵀ)‖θ0 − θ*‖; NAN for other models. */
double theory_thm41_eta(const struct theory *th);
double theory_thm41_rate(const struct theory *th, double eta);
double theory_thm41_path(const struct theory *th);

/* [OS19b] for shallow (theory_shallow.c): fill th->os (-1 if an eigenvalue solve fails);
 * η̄ = η/η_rule; the rate base of ‖r_τ‖ ≤ q^τ r0 at η; whether the conditions a run can
 * check hold (unit inputs, Gaussian W0, GD, η̄ ≤ 1); and the lines of text (0, 1, 2; NULL
 * past the last) naming the conditions as met / not met / not decided. */
int theory_shallow_init(struct theory *th, const struct model *m);
double theory_shallow_etabar(const struct theory *th, double eta);
double theory_shallow_rate(const struct theory *th, double eta);
bool theory_shallow_checkable_met(const struct theory *th, double eta);
const char *theory_shallow_text(const struct theory *th, double eta, bool ascii, int line, char *buf,
				size_t len);

#endif
