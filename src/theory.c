/* theory.c — α, β from the eigenvalues of J Jᵀ (GSL), the running constants, Δ̂ and L̂ by
 * power iteration, λ̂ and ζ̂ of [OS19] Thm 9.3, the closest optimum, and the bound lines,
 * envelopes, path bounds and gauges of SPEC §2. */
#include "config.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cblas.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "gdpath/act.h"
#include "gdpath/data.h"
#include "gdpath/model.h"
#include "gdpath/optim.h"
#include "gdpath/theory.h"
#include "gdpath/util.h"

#define POWER_ITERS 8
#define SGD_NU 3.0     /* [OS19] Thm 3.1's ν ≥ 3, the smallest (most permissive) value */
#define REL_TOL 1e-12  /* rounding allowance when a step sits exactly on a theorem's limit */

/* Spectrum cadence so that its cost is about 10 % of the steps' (flop model, so the
 * cadence, and with it the CSV, is the same on every run). */
static long auto_every(size_t n, size_t p, bool track)
{
	double dn = (double)n, dp = (double)p;
	double step = 8 * dn * dp;
	double spec = 2 * dn * dn * dp + 10 * dn * dn * dn + (track ? 12.0 * POWER_ITERS * dn * dp : 0);
	double every = ceil(10 * spec / step);
	if (every < 1)
		every = 1;
	if (every > 1e6)
		every = 1e6;
	return (long)every;
}

static void alloc_fail(struct theory *th, char **cause)
{
	theory_free(th);
	*cause = xstrdup("out of memory for the Jacobian spectrum");
}

static int alloc_work(struct theory *th)
{
	size_t n = th->n, p = th->p;
	th->G = xcalloc(n, n * sizeof(double));
	th->Jcur = th->need_j ? xcalloc(n, p * sizeof(double)) : NULL;
	th->theta_spec = xcalloc(p, sizeof(double));
	th->pv = xcalloc(p, sizeof(double));
	th->pw = xcalloc(p, sizeof(double));
	th->pu = xcalloc(n, sizeof(double));
	th->eig = gsl_eigen_symm_alloc(n);
	th->eval = gsl_vector_alloc(n);
	th->Gm = gsl_matrix_alloc(n, n);
	if (!th->G || (th->need_j && !th->Jcur) || !th->theta_spec || !th->pv || !th->pw || !th->pu || !th->eig ||
	    !th->eval || !th->Gm)
		return -1;
	if (th->track_jacobian) {
		th->J0 = xcalloc(n, p * sizeof(double));
		th->Jprev = xcalloc(n, p * sizeof(double));
		if (!th->J0 || !th->Jprev)
			return -1;
	}
	return 0;
}

/* glm: Thm 4.1's 0 < γ ≤ φ' ≤ Γ for φ = (1 − γ)softplus + γz (so Γ = 1), and ‖X‖,
 * λ_min(XXᵀ) from the eigenvalues of XXᵀ (the Gram workspace, before any spectrum). */
static int glm_constants(struct theory *th, const struct model *m)
{
	size_t n = th->n, d = m->nfeat;
	const double *X = m->data->X;
	th->glm = true;
	th->glm_gamma = m->cfg.gamma;
	th->glm_Gamma = 1;
	cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)n, (int)d, 1.0, X, (int)d,
		    X, (int)d, 0.0, th->G, (int)n);
	gsl_matrix *Gm = th->Gm;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			gsl_matrix_set(Gm, i, j, th->G[i * n + j]);
	if (gsl_eigen_symm(Gm, th->eval, th->eig) != 0)
		return -1;
	double lmin = INFINITY, lmax = 0;
	for (size_t i = 0; i < n; i++) {
		double l = gsl_vector_get(th->eval, i);
		lmin = fmin(lmin, l);
		lmax = fmax(lmax, l);
	}
	th->x_norm = sqrt(fmax(lmax, 0));
	th->x_lmin = n > d || lmin <= (double)n * DBL_EPSILON * lmax * 16 ? 0 : lmin;
	return 0;
}

/* [Du18]'s λ0 = λ_min(H∞) where the model reports it (an extra named lambda0). */
static void du_lambda0(struct theory *th, struct model *m, const double *theta0)
{
	const char *names[MODEL_MAX_EXTRAS];
	double vals[MODEL_MAX_EXTRAS];
	if (m->ops->extras == NULL)
		return;
	size_t k = m->ops->extras(m, theta0, theta0, names, vals);
	for (size_t i = 0; i < k && i < MODEL_MAX_EXTRAS; i++)
		if (strcmp(names[i], "lambda0") == 0 && vals[i] > 0)
			th->lambda0 = vals[i];
}

/* Where a model's theory step comes from (SPEC §3), in ASCII. */
static const char *eta_source(const struct model *m)
{
	const struct model_ops *o = m->ops;
	if (o == &model_linear_ops)
		return "1/|X|^2 (eta*beta^2 = 1 = lambda: Thm 9.3's limit)";
	if (o == &model_glm_ops)
		return "1/(|X|^2 Gamma^2), Thm 4.1";
	if (o == &model_lowrank_ops)
		return "c1*sqrt(n)/(r^2 d |y|), c1 = 1 (Thm 4.2 leaves c1 open; Sec. 6.2)";
	if (o == &model_shallow_ops) {
		if (m->cfg.act == ACT_LEAKY)
			return "n/(3|y|^2|X|^2): [OS19b] Thm 2.3's ReLU rule, borrowed: no theorem covers leaky ReLU";
		if (act_is_relu_like(m->cfg.act))
			return "n/(3|y|^2|X|^2), [OS19b] Thm 2.3";
		return "n/(2B^2|y|^2|X|^2), [OS19b] Thm 2.1";
	}
	return "none";
}

struct theory *theory_new(struct model *m, const double *theta0, const double *r0vec,
			  long spectrum_every, char **cause)
{
	struct theory *th = calloc(1, sizeof *th);
	if (th == NULL) {
		*cause = xstrdup("out of memory");
		return NULL;
	}
	th->n = m->n;
	th->p = m->p;
	/* Assumption 2(b) needs a Lipschitz Jacobian, which ReLU-like models do not have. */
	th->lipschitz = !m->kinks;
	th->r0 = vec_norm(r0vec, m->n);
	if (m->ops->no_spectrum) {
		/* Nothing of the spectrum is computed: every quantity stays NAN and the screen
		 * says which are missing; no workspace is allocated. */
		th->spectrum_off = true;
		th->every = LONG_MAX;
		th->alpha = th->beta = th->alpha0 = th->beta0 = NAN;
		th->alpha_hat = th->beta_hat = NAN;
		th->delta_hat = th->L_hat = th->lambda_hat = th->zeta_hat = NAN;
		th->star_dist = th->eta_theory = NAN;
		th->spec_step = -1;
		th->method = THEORY_GD;
		th->verdict = TV_NO_SPECTRUM;
		th->glm_gamma = th->glm_Gamma = th->x_norm = th->x_lmin = th->lambda0 = NAN;
		return th;
	}
	th->track_jacobian = (double)m->n * (double)m->p <= THEORY_MAX_JACOBIAN;
	/* A Jacobian is formed only to track Δ̂, L̂ or where the model has no structured Gram. */
	th->need_j = th->track_jacobian || m->ops->gram == NULL;
	th->every = spectrum_every > 0 ? spectrum_every : auto_every(m->n, m->p, th->track_jacobian);
	th->r0 = vec_norm(r0vec, m->n);
	th->alpha_hat = INFINITY;
	th->beta_hat = 0;
	/* Δ̂ is known from the start only where J is constant; elsewhere it is measured at
	 * the first re-evaluation of the spectrum, and λ̂, ζ̂ stay unknown until then. */
	th->delta_hat = m->constant_jacobian ? 0 : NAN;
	th->L_hat = NAN;
	th->lambda_hat = th->zeta_hat = NAN;
	th->star_dist = NAN;
	th->method = THEORY_GD;
	th->verdict = TV_UNMEASURED;
	th->glm_gamma = th->glm_Gamma = th->x_norm = th->x_lmin = NAN;
	th->t41_live = true;
	th->lambda0 = NAN;
	if (alloc_work(th) != 0) {
		alloc_fail(th, cause);
		return NULL;
	}
	if (theory_spectrum(th, m, theta0, 0) != 0) {
		theory_free(th);
		*cause = xstrdup("the eigenvalues of the Gram matrix J Jᵀ at θ0 could not be computed");
		return NULL;
	}
	th->alpha0 = th->alpha;
	th->beta0 = th->beta;
	if (th->track_jacobian)
		memcpy(th->J0, th->Jprev, th->n * th->p * sizeof(double));

	if (m->ops->closest) {
		th->theta_star = xcalloc(th->p, sizeof(double));
		if (th->theta_star == NULL) {
			alloc_fail(th, cause);
			return NULL;
		}
		char *why = NULL;
		if (m->ops->closest(m, theta0, th->theta_star, &why) == 0) {
			th->have_star = true;
			th->star_dist = vec_dist(th->theta_star, theta0, th->p);
		} else {
			free(why);
			free(th->theta_star);
			th->theta_star = NULL;
		}
	}
	if (m->ops == &model_glm_ops && glm_constants(th, m) != 0) {
		theory_free(th);
		*cause = xstrdup("the eigenvalues of X Xᵀ could not be computed");
		return NULL;
	}
	du_lambda0(th, m, theta0);
	if (m->ops == &model_shallow_ops && theory_shallow_init(th, m) != 0) {
		theory_free(th);
		*cause = xstrdup("the eigenvalues of (X Xᵀ)⊙(X Xᵀ) could not be computed");
		return NULL;
	}
	th->eta_theory = m->ops->theory_eta ? m->ops->theory_eta(m, theta0) : NAN;
	th->eta_source = eta_source(m);
	if (!(isfinite(th->eta_theory) && th->eta_theory > 0)) {
		/* Thm 2.2: η ≤ 1/(2β²) with its β = 2‖J(θ0)‖, i.e. 1/(8‖J(θ0)‖²), where a model
		 * has no rule of its own. */
		th->eta_theory = th->beta0 > 0 ? 1 / (8 * th->beta0 * th->beta0) : 1;
		th->eta_theory_fallback = true;
		th->eta_source = th->lipschitz ? "1/(8|J(theta0)|^2), Thm 2.2"
					       : "1/(8|J(theta0)|^2), Thm 2.2's step (its condition needs a "
						 "Lipschitz J, which ReLU lacks)";
	}
	/* Leave the model's forward cache at θ0 for the first optimizer step. */
	m->ops->forward(m, theta0, th->pu);
	return th;
}

void theory_free(struct theory *th)
{
	if (th == NULL)
		return;
	free(th->G);
	free(th->J0);
	free(th->Jprev);
	free(th->Jcur);
	free(th->theta_spec);
	free(th->pv);
	free(th->pw);
	free(th->pu);
	free(th->theta_star);
	if (th->eig)
		gsl_eigen_symm_free(th->eig);
	if (th->eval)
		gsl_vector_free(th->eval);
	if (th->Gm)
		gsl_matrix_free(th->Gm);
	free(th);
}

static double *dup_array(const double *a, size_t len)
{
	if (a == NULL)
		return NULL;
	double *b = xmallocarray(len, sizeof(double));
	if (b)
		memcpy(b, a, len * sizeof(double));
	return b;
}

struct theory *theory_clone(const struct theory *s)
{
	struct theory *th = malloc(sizeof *th);
	if (th == NULL)
		return NULL;
	*th = *s;
	th->G = th->J0 = th->Jprev = th->Jcur = th->theta_spec = th->pv = th->pw = th->pu = NULL;
	th->theta_star = NULL;
	th->eig = th->eval = th->Gm = NULL;
	if (s->spectrum_off)
		return th;
	if (alloc_work(th) != 0) {
		theory_free(th);
		return NULL;
	}
	size_t np = s->n * s->p;
	if (s->track_jacobian) {
		memcpy(th->J0, s->J0, np * sizeof(double));
		memcpy(th->Jprev, s->Jprev, np * sizeof(double));
	}
	memcpy(th->theta_spec, s->theta_spec, s->p * sizeof(double));
	if (s->theta_star && (th->theta_star = dup_array(s->theta_star, s->p)) == NULL) {
		theory_free(th);
		return NULL;
	}
	return th;
}

bool theory_due(const struct theory *th, long step)
{
	return !th->spectrum_off && step % th->every == 0;
}

/* ‖A − B‖₂ for n × p matrices by power iteration on (A − B)ᵀ(A − B), from a fixed start
 * vector so the estimate is reproducible. A lower estimate of the true norm. */
static double diff_norm(struct theory *th, const double *A, const double *B)
{
	int n = (int)th->n, p = (int)th->p;
	double *v = th->pv, *u = th->pu, *w = th->pw, s = 0;
	for (int j = 0; j < p; j++)
		v[j] = 1.0 + 0.5 * sin(1.0 + j);
	double vn = vec_norm(v, th->p);
	for (int j = 0; j < p; j++)
		v[j] /= vn;
	for (int it = 0; it < POWER_ITERS; it++) {
		cblas_dgemv(CblasRowMajor, CblasNoTrans, n, p, 1.0, A, p, v, 1, 0.0, u, 1);
		cblas_dgemv(CblasRowMajor, CblasNoTrans, n, p, -1.0, B, p, v, 1, 1.0, u, 1);
		cblas_dgemv(CblasRowMajor, CblasTrans, n, p, 1.0, A, p, u, 1, 0.0, w, 1);
		cblas_dgemv(CblasRowMajor, CblasTrans, n, p, -1.0, B, p, u, 1, 1.0, w, 1);
		s = vec_norm(w, th->p); /* ≈ σ_max² since ‖v‖ = 1 */
		if (!(s > 0))
			return 0;
		for (int j = 0; j < p; j++)
			v[j] = w[j] / s;
	}
	return sqrt(s);
}

int theory_spectrum(struct theory *th, struct model *m, const double *theta, long step)
{
	size_t n = th->n, p = th->p;
	if (th->need_j && model_jacobian(m, theta, th->Jcur) != 0)
		return -1;
	if (m->ops->gram) {
		if (m->ops->gram(m, theta, th->G) != 0)
			return -1;
	} else {
		model_gram_of(m, th->Jcur, th->G);
	}
	gsl_matrix *Gm = th->Gm;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			gsl_matrix_set(Gm, i, j, th->G[i * n + j]);
	if (gsl_eigen_symm(Gm, th->eval, th->eig) != 0)
		return -1;
	double lmin = INFINITY, lmax = -INFINITY;
	for (size_t i = 0; i < n; i++) {
		double l = gsl_vector_get(th->eval, i);
		if (!isfinite(l))
			return -1;
		lmin = fmin(lmin, l);
		lmax = fmax(lmax, l);
	}
	th->beta = sqrt(fmax(lmax, 0));
	for (size_t i = 0; i < n; i++) /* ‖J_i‖² = G_ii */
		th->B_hat = fmax(th->B_hat, sqrt(fmax(th->G[i * n + i], 0)));
	/* n > p, or eigenvalues at rounding level: J has no positive σ_min, no guarantee. */
	if (n > p || lmin <= (double)n * DBL_EPSILON * fmax(lmax, 0) * 16)
		th->alpha = 0;
	else
		th->alpha = sqrt(lmin);
	th->alpha_hat = fmin(th->alpha_hat, th->alpha);
	th->beta_hat = fmax(th->beta_hat, th->beta);
	th->no_guarantee = !(th->alpha_hat > 0);

	if (th->track_jacobian) {
		if (th->evaluations > 0) {
			double dev = diff_norm(th, th->Jcur, th->J0);
			th->delta_hat = isnan(th->delta_hat) ? 2 * dev : fmax(th->delta_hat, 2 * dev);
			double dtheta = vec_dist(theta, th->theta_spec, p);
			/* Where J is not Lipschitz the ratio measures only how close the samples
			 * are to a kink: no L exists, and none is estimated. */
			if (th->lipschitz && dtheta > 0) {
				double l = diff_norm(th, th->Jcur, th->Jprev) / dtheta;
				th->L_hat = isnan(th->L_hat) ? l : fmax(th->L_hat, l);
			}
		}
		double *t = th->Jprev;
		th->Jprev = th->Jcur;
		th->Jcur = t;
	}
	memcpy(th->theta_spec, theta, p * sizeof(double));
	th->spec_step = step;
	th->evaluations++;
	return 0;
}

void theory_set_method(struct theory *th, int optim_kind, size_t minibatch)
{
	switch (optim_kind) {
	case OPT_GD:
		th->method = THEORY_GD;
		break;
	case OPT_SGD:
		th->method = minibatch <= 1 ? THEORY_SGD1 : THEORY_OTHER;
		break;
	case OPT_FLOW:
		th->method = THEORY_FLOW;
		break;
	default:
		th->method = THEORY_OTHER;
	}
}

/* λ from Assumption 2(a), ‖J1 − J2‖ ≤ (1 − λ)α²/β with the measured Δ̂: NAN until Δ̂ is known. */
static double lambda_a(const struct theory *th)
{
	double a = th->alpha_hat, b = th->beta_hat;
	if (!(a > 0) || !isfinite(th->delta_hat))
		return NAN;
	return fmin(1, fmax(0, 1 - th->delta_hat * b / (a * a)));
}

/* λ̂ at η: from 2(a), and where J is Lipschitz also from 2(b), whose step condition
 * η ≤ 2(1 − λ)α²/(β²L r0) gives λ = 1 − ηβ²L r0/(2α²); the more cautious of the two
 * (both are estimates from the path), so measuring more often can only lower it. */
static double lambda_at(const struct theory *th, double eta)
{
	double a = th->alpha_hat, b = th->beta_hat;
	double la = lambda_a(th), lb = NAN;
	if (th->lipschitz && a > 0 && isfinite(th->L_hat))
		lb = fmin(1, fmax(0, 1 - eta * b * b * th->L_hat * th->r0 / (2 * a * a)));
	return isnan(la) ? lb : isnan(lb) ? la : fmin(la, lb);
}

/* Thm 9.3 at η: 0 < λ̂ and η ≤ λ̂/β̂² (then ζ̂ ≥ λ̂α̂/2 > 0). */
static bool thm93_ok(const struct theory *th, double eta)
{
	double l = lambda_at(th, eta), b = th->beta_hat;
	return th->alpha_hat > 0 && l > 0 && eta * b * b <= l * (1 + REL_TOL);
}

/* Thm 3.1 at η (ν = 3): 2(a) with λ = ½ and η ≤ α²/(νβ²B²), or 2(b) and
 * η ≤ α²/(νβ²B² + νβBL r0). */
static double sgd_eta_max(const struct theory *th)
{
	double a = th->alpha_hat, b = th->beta_hat, B = th->B_hat;
	if (!(a > 0) || !(B > 0))
		return NAN;
	double best = NAN;
	if (lambda_a(th) >= 0.5)
		best = a * a / (SGD_NU * b * b * B * B);
	if (th->lipschitz && isfinite(th->L_hat)) {
		double e = a * a / (SGD_NU * b * b * B * B + SGD_NU * b * B * th->L_hat * th->r0);
		best = isnan(best) ? e : fmax(best, e);
	}
	return best;
}

double theory_thm41_eta(const struct theory *th)
{
	return th->glm && th->x_norm > 0 ? 1 / (th->x_norm * th->x_norm * th->glm_Gamma * th->glm_Gamma)
					 : NAN;
}

double theory_thm41_rate(const struct theory *th, double eta)
{
	return th->glm ? 1 - eta * th->glm_gamma * th->glm_gamma * th->x_lmin : NAN;
}

double theory_thm41_path(const struct theory *th)
{
	if (!th->glm || !th->have_star || !(th->x_lmin > 0))
		return NAN;
	double G = th->glm_Gamma, g = th->glm_gamma;
	return G * G / (g * g) * th->x_norm * th->x_norm / th->x_lmin * th->star_dist;
}

/* Thm 4.1 applies: glm, GD, n ≤ p with X of full row rank, θ* known, and every step so
 * far at η ≤ 1/(‖X‖²Γ²) (live: its per-step contraction chains only under that condition). */
static bool thm41_ok(const struct theory *th, bool live)
{
	return th->glm && th->method == THEORY_GD && th->have_star && th->x_lmin > 0 && live;
}

/* The verdict for a step at eta; count: the step was taken (theory_observe), so it counts as
 * checked or outside and enters Thm 4.1's product; else only a preview of a new η. */
static void judge(struct theory *th, long step, double eta, double distance, double residual,
		  const double *theta, bool count)
{
	double a = th->alpha_hat, b = th->beta_hat;
	double tol = 1e-9 * th->r0 + 1e-300;
	th->eta = eta;
	if (th->spectrum_off) {
		th->verdict = TV_NO_SPECTRUM;
		return;
	}
	double l = lambda_at(th, eta);
	th->lambda_hat = l;
	/* Thm 9.3: ζ·distance + misfit ≤ r0 with ζ = (λ − ηβ²/2)α. */
	th->zeta_hat = isnan(l) ? NAN : (l - eta * b * b / 2) * a;
	bool t41_live = th->t41_live;
	if (th->glm) {
		double lim = theory_thm41_eta(th), q = theory_thm41_rate(th, eta);
		if (th->method != THEORY_GD || !(eta <= lim * (1 + REL_TOL)) || !(q >= 0))
			t41_live = false;
		else if (count && step > 0)
			th->t41_log += log(q);
	}
	if (count)
		th->t41_live = t41_live;
	switch (th->method) {
	case THEORY_GD:
		if (thm93_ok(th, eta)) {
			th->verdict = TV_THM93;
			th->checked += count;
			if (count && (residual > theory_zeta_line(th, distance) + tol ||
				      residual < theory_red(th, distance) - tol))
				th->outside++;
		} else if (thm41_ok(th, t41_live)) {
			/* (4.2): ‖θ_τ − θ*‖ ≤ Π_s (1 − η_s γ² λ_min(XXᵀ)) ‖θ0 − θ*‖ */
			th->verdict = TV_THM41;
			th->checked += count;
			double gap = count && theta ? theory_star_gap(th, theta) : th->star_dist;
			if (count && gap > exp(th->t41_log) * th->star_dist * (1 + 1e-9) + 1e-300)
				th->outside++;
		} else if (!(a > 0)) {
			th->verdict = TV_NO_ALPHA;
		} else if (isnan(l)) {
			th->verdict = TV_UNMEASURED;
		} else if (!(l > 0)) {
			th->verdict = TV_LAMBDA;
		} else {
			th->verdict = TV_STEP;
		}
		break;
	case THEORY_SGD1: {
		double emax = sgd_eta_max(th);
		th->verdict = !(a > 0)			      ? TV_NO_ALPHA
			      : isnan(emax) && isnan(lambda_a(th)) ? TV_UNMEASURED
			      : eta <= emax * (1 + REL_TOL)	      ? TV_SGD
								      : TV_SGD_STEP;
		break;
	}
	case THEORY_FLOW:
		th->verdict = th->lambda0 > 0 ? TV_FLOW_DU : TV_NONE;
		break;
	default:
		th->verdict = TV_NONE;
	}
}

bool theory_guaranteed(const struct theory *th)
{
	return th->verdict == TV_THM93 || th->verdict == TV_THM41 || th->verdict == TV_SGD;
}

const char *theory_verdict_text(const struct theory *th, bool ascii, bool long_form, char *buf,
				size_t len)
{
	const char *al = ascii ? "alpha" : "α", *be = ascii ? "beta" : "β", *la = ascii ? "lambda" : "λ",
		   *et = ascii ? "eta" : "η", *sq = ascii ? "^2" : "²", *dot = ascii ? "*" : "·";
	double b = th->beta_hat;
	switch (th->verdict) {
	case TV_NO_ALPHA:
		snprintf(buf, len, "%s = 0: no guarantee%s", al,
			 long_form ? " (n > p or J rank-deficient: Assumption 1 fails)" : "");
		break;
	case TV_UNMEASURED:
		snprintf(buf, len, "%s not measured yet (spectrum every %ld steps)%s", la, th->every,
			 long_form ? ": no guarantee until then" : "");
		break;
	case TV_LAMBDA:
		snprintf(buf, len, "Thm 9.3: %s = 0 (measured J deviation too large): no guarantee", la);
		break;
	case TV_STEP:
		snprintf(buf, len, "Thm 9.3 needs %s%s%s%s <= %s = %.3g, have %.3g: no guarantee at this %s",
			 et, dot, be, sq, la, th->lambda_hat, th->eta * b * b, et);
		break;
	case TV_THM93:
		snprintf(buf, len, "Thm 9.3 applies: region (9.3), rate (9.2), path (9.4)%s",
			 long_form ? (th->lipschitz ? "" : "; J not Lipschitz: Assumption 2(a) only") : "");
		break;
	case TV_THM41:
		snprintf(buf, len,
			 ascii ? "Thm 4.1 applies: |theta-theta*| <= %.4g^t |theta0-theta*| (4.2)"
			       : "Thm 4.1 applies: ‖θ−θ*‖ ≤ %.4g^τ ‖θ0−θ*‖ (4.2)",
			 theory_thm41_rate(th, th->eta));
		break;
	case TV_SGD:
		snprintf(buf, len, "Thm 3.1 applies: rate (3.2) in expectation");
		break;
	case TV_SGD_STEP:
		snprintf(buf, len, "Thm 3.1 needs %s <= %.3g: no guarantee at this %s", et,
			 sgd_eta_max(th), et);
		break;
	case TV_FLOW_DU:
		snprintf(buf, len, "[Du18] Thm 3.1 rate drawn%s",
			 long_form ? ascii ? " (w.h.p. for m = Omega(n^6/lambda0^4): not checked)"
					   : " (w.h.p. for m = Ω(n⁶/λ0⁴): not checked)"
				   : " (not checked)");
		break;
	case TV_NO_SPECTRUM:
		snprintf(buf, len, "J's spectrum is not computed for this model: no theorem checked");
		break;
	default:
		snprintf(buf, len, "no theorem covers this optimizer%s",
			 long_form ? ": the path and the red line (2.15) only" : "");
	}
	return buf;
}

const char *theory_verdict_brief(const struct theory *th, bool ascii, char *buf, size_t len)
{
	const char *al = ascii ? "alpha" : "α", *la = ascii ? "lambda" : "λ";
	switch (th->verdict) {
	case TV_NO_ALPHA:
		snprintf(buf, len, "no guarantee (%s=0)", al);
		break;
	case TV_UNMEASURED:
		snprintf(buf, len, "%s not measured yet", la);
		break;
	case TV_LAMBDA:
		snprintf(buf, len, "%s=0: no Thm 9.3", la);
		break;
	case TV_STEP:
		snprintf(buf, len, "%s > %s: no Thm 9.3", ascii ? "eta*beta^2" : "η·β²", la);
		break;
	case TV_THM93:
		snprintf(buf, len, "Thm 9.3 applies");
		break;
	case TV_THM41:
		snprintf(buf, len, "Thm 4.1 applies");
		break;
	case TV_SGD:
		snprintf(buf, len, "Thm 3.1 (in expectation)");
		break;
	case TV_SGD_STEP:
		snprintf(buf, len, "%s too big for Thm 3.1", ascii ? "eta" : "η");
		break;
	case TV_FLOW_DU:
		snprintf(buf, len, "[Du18] rate, not checked");
		break;
	case TV_NO_SPECTRUM:
		snprintf(buf, len, "spectrum not computed");
		break;
	default:
		snprintf(buf, len, "no theorem covers it");
	}
	return buf;
}

void theory_observe(struct theory *th, long step, double eta, double distance, double residual,
		    const double *theta)
{
	judge(th, step, eta, distance, residual, theta, true);
}

void theory_preview(struct theory *th, double eta, double distance, double residual,
		    const double *theta)
{
	judge(th, 0, eta, distance, residual, theta, false);
}

double theory_green(const struct theory *th, double d)
{
	return th->r0 - th->alpha_hat * d;
}

double theory_red(const struct theory *th, double d)
{
	return th->r0 - th->beta_hat * d;
}

double theory_zeta_line(const struct theory *th, double d)
{
	return th->r0 - th->zeta_hat * d;
}

double theory_dist_min(const struct theory *th)
{
	return th->beta_hat > 0 ? th->r0 / th->beta_hat : INFINITY;
}

double theory_dist_max(const struct theory *th)
{
	return th->alpha_hat > 0 ? th->r0 / th->alpha_hat : INFINITY;
}

double theory_path_bound_thm21(const struct theory *th)
{
	return th->alpha_hat > 0 ? 4 * th->r0 / th->alpha_hat : INFINITY;
}

double theory_path_bound_zeta(const struct theory *th)
{
	return th->zeta_hat > 0 ? th->r0 / th->zeta_hat : NAN;
}

double theory_path_bound_star(const struct theory *th)
{
	if (!th->have_star || !(th->alpha_hat > 0))
		return NAN;
	return th->beta_hat / th->alpha_hat * th->star_dist;
}

double theory_star_gap(const struct theory *th, const double *theta)
{
	return th->have_star ? vec_dist(theta, th->theta_star, th->p) : NAN;
}

double theory_eta_beta2(const struct theory *th, double eta)
{
	return eta * th->beta * th->beta;
}

bool theory_eta_above_limit(const struct theory *th)
{
	return th->eta_theory * th->beta0 * th->beta0 > 1 + REL_TOL;
}

double theory_eta_ratio(const struct theory *th, double eta)
{
	return eta / th->eta_theory;
}

enum thm22 theory_thm22(const struct theory *th)
{
	if (!th->lipschitz)
		return THM22_NA;
	if (isnan(th->L_hat))
		return THM22_UNKNOWN;
	/* (2.6) α² ≥ 4L r0 with Theorem 2.2's α = σ_min(J(θ0))/2. */
	return th->alpha0 * th->alpha0 >= 16 * th->L_hat * th->r0 ? THM22_HOLDS : THM22_FAILS;
}

bool theory_envelope_applies(const struct theory *th, int kind)
{
	switch (kind) {
	case TE_23: /* Thm 2.1's own conditions: λ ≥ ½ and η ≤ 1/(2β²) */
		return th->verdict == TV_THM93 && th->lambda_hat >= 0.5 &&
		       th->eta * th->beta_hat * th->beta_hat <= 0.5 * (1 + REL_TOL);
	case TE_92:
		return th->verdict == TV_THM93;
	case TE_SGD:
		return th->verdict == TV_SGD;
	case TE_DU_GD:
		return th->method == THEORY_GD && th->lambda0 > 0;
	case TE_DU_FLOW:
		return th->method == THEORY_FLOW && th->lambda0 > 0;
	}
	return false;
}

static const struct theory_overlay_info overlays[OV_COUNT] = {
    [OV_GREEN] = {"green-line", "(2.12)", "misfit plot, gradient descent: misfit = r0 - alpha d"},
    [OV_REGION] = {"region", "Fig. 1", "misfit plot, gradient descent: between the red and green lines"},
    [OV_ZETA] = {"zeta-line", "(9.3) Thm 9.3",
		 "misfit plot, gradient descent inside Thm 9.3's conditions: misfit = r0 - zeta d"},
    [OV_RED] = {"red-line", "(2.15) Thm 2.4", "misfit plot, every optimizer: misfit = r0 - beta d"},
    [OV_MARK_BETA] = {"r0/beta", "Thm 2.4", "misfit plot, every optimizer: no optimum is nearer"},
    [OV_MARK_ALPHA] = {"r0/alpha", "(2.12)", "misfit plot, gradient descent: where the green line ends"},
    [OV_MARK_STAR] = {"theta*", "exact", "misfit plot, linear and glm: the closest optimum"},
    [OV_ENV_23] = {"envelope-2.3", "(2.3) Thm 2.1",
		   "loss plot, gradient descent with lambda >= 1/2 and eta beta^2 <= 1/2"},
    [OV_ENV_92] = {"envelope-9.2", "(9.2) Thm 9.3", "loss plot, gradient descent inside Thm 9.3's conditions"},
    [OV_ENV_SGD] = {"envelope-3.2", "(3.2) Thm 3.1, in expectation",
		    "loss plot, sgd with minibatch 1 inside Thm 3.1's step condition"},
    [OV_ENV_DU_GD] = {"envelope-du-gd", "[Du18] Thm 4.1, not checked",
		      "loss plot, du with gradient descent: (1 - eta lambda0/2)^k"},
    [OV_ENV_DU_FLOW] = {"envelope-du-flow", "[Du18] Thm 3.1, not checked",
			"loss plot, du with gradient flow: exp(-lambda0 t)"},
};

const struct theory_overlay_info *theory_overlay(int ov)
{
	return ov >= 0 && ov < OV_COUNT ? &overlays[ov] : NULL;
}

const char *theory_envelope_source(int kind)
{
	return kind >= 0 && kind < TE_COUNT ? overlays[OV_ENV_23 + kind].legend : "?";
}

/* log of the per-step factor on ‖r‖² of envelope `kind` at η; NAN outside its conditions. */
static double env_log_factor(const struct theory *th, int kind, double eta)
{
	double a2 = th->alpha_hat * th->alpha_hat, b2 = th->beta_hat * th->beta_hat, q;
	switch (kind) {
	case TE_23:
		if (!(lambda_at(th, eta) >= 0.5 && eta * b2 <= 0.5 * (1 + REL_TOL)))
			return NAN;
		q = 1 - eta * a2 / 2;
		break;
	case TE_92:
		if (!thm93_ok(th, eta))
			return NAN;
		q = 1 - lambda_at(th, eta) * eta * a2;
		break;
	case TE_SGD:
		if (!(eta <= sgd_eta_max(th) * (1 + REL_TOL)))
			return NAN;
		q = 1 - eta * a2 / (2 * (double)th->n);
		break;
	case TE_DU_GD:
		q = 1 - eta * th->lambda0 / 2;
		break;
	case TE_DU_FLOW:
		return -th->lambda0 * eta; /* e^{−λ0 t}, t = η per step */
	default:
		return NAN;
	}
	return q >= 0 && q <= 1 ? log(q) : NAN;
}

double theory_envelope_at(const struct theory *th, int kind, const long *mark_step,
			  const double *mark_eta, size_t nmarks, double tau)
{
	double lg = 0;
	for (size_t k = 0; k < nmarks; k++) {
		double start = (double)mark_step[k];
		double end = k + 1 < nmarks ? (double)mark_step[k + 1] : INFINITY;
		if (!(tau > start))
			break;
		double len = fmin(tau, end) - start;
		if (!(len > 0))
			continue; /* η changed twice at one step: the later value is in force */
		double f = env_log_factor(th, kind, mark_eta[k]);
		if (isnan(f))
			return NAN;
		lg += len * f;
	}
	return th->r0 * exp(lg / 2);
}
