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

#include "gdpath/model.h"
#include "gdpath/theory.h"
#include "gdpath/util.h"

#define POWER_ITERS 8

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
	th->eta_theory = m->ops->theory_eta ? m->ops->theory_eta(m, theta0) : NAN;
	if (!(isfinite(th->eta_theory) && th->eta_theory > 0)) {
		/* Thm 2.2: η ≤ 1/(2β²) where a model has no rule of its own. */
		th->eta_theory = th->beta0 > 0 ? 1 / (2 * th->beta0 * th->beta0) : 1;
		th->eta_theory_fallback = true;
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
			if (dtheta > 0) {
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

void theory_observe(struct theory *th, double eta, double distance, double residual, bool gd)
{
	double a = th->alpha_hat, b = th->beta_hat;
	th->eta = eta;
	/* λ from Assumption 2(a): ‖J1 − J2‖ ≤ (1 − λ)α²/β, or 2(b): λ = 1 − ηβ²L r0/(2α²);
	 * both are sufficient, so the larger one is the estimate. */
	double la = NAN, lb = NAN;
	if (a > 0 && isfinite(th->delta_hat))
		la = 1 - th->delta_hat * b / (a * a);
	if (a > 0 && isfinite(th->L_hat))
		lb = 1 - eta * b * b * th->L_hat * th->r0 / (2 * a * a);
	double l = isnan(la) ? lb : isnan(lb) ? la : fmax(la, lb);
	if (!isnan(l))
		l = fmin(1, fmax(0, l));
	th->lambda_hat = l;
	/* Thm 9.3: ζ·distance + misfit ≤ r0 with ζ = (λ − ηβ²/2)α. */
	th->zeta_hat = isnan(l) ? NAN : (l - eta * b * b / 2) * a;
	if (gd && th->zeta_hat > 0) { /* Thm 9.3's region is gradient descent's */
		double tol = 1e-9 * th->r0 + 1e-300;
		th->checked++;
		if (residual > theory_zeta_line(th, distance) + tol ||
		    residual < theory_red(th, distance) - tol)
			th->outside++;
	}
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

static double envelope(double base, double steps, double r0)
{
	if (!(base >= 0 && base <= 1))
		return NAN;
	return pow(base, steps / 2) * r0;
}

double theory_envelope(const struct theory *th, double eta, double steps)
{
	return envelope(1 - eta * th->alpha_hat * th->alpha_hat / 2, steps, th->r0);
}

double theory_envelope_general(const struct theory *th, double eta, double steps)
{
	return envelope(1 - th->lambda_hat * eta * th->alpha_hat * th->alpha_hat, steps, th->r0);
}

double theory_envelope_sgd(const struct theory *th, double eta, double steps)
{
	return envelope(1 - eta * th->alpha_hat * th->alpha_hat / (2 * (double)th->n), steps,
			th->r0);
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

double theory_eta_ratio(const struct theory *th, double eta)
{
	return eta / th->eta_theory;
}

enum thm22 theory_thm22(const struct theory *th)
{
	if (isnan(th->L_hat))
		return THM22_UNKNOWN;
	return th->alpha_hat * th->alpha_hat >= 4 * th->L_hat * th->r0 ? THM22_HOLDS : THM22_FAILS;
}
