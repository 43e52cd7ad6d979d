/* theory_shallow.c — [OS19b] Thm 2.1 (smooth activations) and Thm 2.3 (ReLU) for the
 * `shallow` model: the quantities the theorems are stated with (‖X‖, the activation's B
 * and μφ = E[gφ'(g)], σ_min(X∗X), κ(X), √(kd) against the required size), which of their
 * conditions hold, and the rate where they do. The size conditions (2.2)/(2.6) carry an
 * unspecified numerical constant, so they are shown, never decided. */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_cblas.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "gdpath/act.h"
#include "gdpath/data.h"
#include "gdpath/model.h"
#include "gdpath/theory.h"
#include "gdpath/util.h"

struct act_arg {
	int kind;
	double gamma;
};

static double mu_integrand(double g, void *p)
{
	const struct act_arg *a = p;
	return g * act_df(a->kind, a->gamma, g) * exp(-g * g / 2) / sqrt(2 * M_PI);
}

/* μφ = E_{g~N(0,1)}[g φ'(g)] by GSL quadrature over the real line. */
static double mu_phi(int kind, double gamma)
{
	struct act_arg a = {kind, gamma};
	gsl_function F = {mu_integrand, &a};
	gsl_integration_workspace *w = gsl_integration_workspace_alloc(256);
	double r = NAN, err;
	if (w == NULL)
		return NAN;
	gsl_error_handler_t *old = gsl_set_error_handler_off();
	/* the kink of ReLU-like φ' sits at 0: integrate the two half-lines */
	double lo, hi;
	if (gsl_integration_qagil(&F, 0, 1e-12, 1e-10, 256, w, &lo, &err) == 0 &&
	    gsl_integration_qagiu(&F, 0, 1e-12, 1e-10, 256, w, &hi, &err) == 0)
		r = lo + hi;
	gsl_set_error_handler(old);
	gsl_integration_workspace_free(w);
	return r;
}

/* σ_min(X∗X)² = λ_min((XXᵀ) ⊙ (XXᵀ)), the Khatri–Rao product's Gram matrix; the theory's
 * n × n workspaces are free at this point (before the first spectrum's result is used). */
static int kr_min2(struct theory *th, const double *X, size_t n, size_t d, double *out)
{
	cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)n, (int)d, 1.0, X, (int)d, X,
		    (int)d, 0.0, th->G, (int)n);
	gsl_matrix *Gm = th->Gm;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			double g = th->G[i * n + j];
			gsl_matrix_set(Gm, i, j, g * g);
		}
	if (gsl_eigen_symm(Gm, th->eval, th->eig) != 0)
		return -1;
	double lmin = INFINITY, lmax = 0;
	for (size_t i = 0; i < n; i++) {
		lmin = fmin(lmin, gsl_vector_get(th->eval, i));
		lmax = fmax(lmax, gsl_vector_get(th->eval, i));
	}
	*out = lmin <= (double)n * DBL_EPSILON * lmax * 16 ? 0 : lmin;
	return 0;
}

int theory_shallow_init(struct theory *th, const struct model *m)
{
	const struct model_cfg *c = &m->cfg;
	struct theory_os19b *o = &th->os;
	size_t n = m->n, d = m->nfeat;
	const double *X = m->data->X;
	memset(o, 0, sizeof *o);
	o->B = o->mu = o->xnorm = o->kr2 = o->kappa = o->need = o->eta_rule = NAN;
	o->shallow = true;
	if (c->train_output) {
		o->why = "v is trained (--train-output): both theorems keep v fixed";
		return 0;
	}
	if (c->act == ACT_RELU && !(c->gamma > 0)) {
		o->thm = 23;
	} else if (act_is_relu_like(c->act) || c->act == ACT_RELU) {
		o->why = c->act == ACT_LEAKY ? "no theorem covers leaky ReLU (its step is Thm 2.3's, borrowed)"
					     : "ReLU with a linear part: neither smooth (Thm 2.1) nor ReLU (Thm 2.3)";
		return 0;
	} else {
		o->B = act_dmax(c->act, c->gamma); /* sup|φ''| ≤ sup|φ'| for every smooth φ offered */
		if (!isfinite(o->B) || !(o->B > 0)) {
			o->why = "|phi'| is unbounded: Thm 2.1 needs |phi'|, |phi''| <= B";
			return 0;
		}
		o->thm = 21;
	}
	o->unit_x = true;
	for (size_t i = 0; i < n; i++) {
		double s = 0;
		for (size_t j = 0; j < d; j++)
			s += X[i * d + j] * X[i * d + j];
		if (fabs(sqrt(s) - 1) > 1e-9)
			o->unit_x = false;
	}
	o->mu = mu_phi(c->act, c->gamma);
	double ny = vec_norm(m->data->y, n);
	if (kr_min2(th, X, n, d, &o->kr2) != 0)
		return -1;
	/* ‖X‖ from XXᵀ's eigenvalues: recompute them (kr_min2 squared the entries) */
	cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)n, (int)d, 1.0, X, (int)d, X,
		    (int)d, 0.0, th->G, (int)n);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			gsl_matrix_set(th->Gm, i, j, th->G[i * n + j]);
	if (gsl_eigen_symm(th->Gm, th->eval, th->eig) != 0)
		return -1;
	double lmax = 0;
	for (size_t i = 0; i < n; i++)
		lmax = fmax(lmax, gsl_vector_get(th->eval, i));
	o->xnorm = sqrt(lmax);
	double dn = (double)n, dd = (double)d, dk = (double)c->k;
	o->kappa = o->kr2 > 0 ? sqrt(dd / dn) * o->xnorm / o->kr2 : INFINITY;
	o->size = sqrt(dk * dd);
	double yx = ny * ny * o->xnorm * o->xnorm;
	if (o->thm == 21) {
		o->need = o->B * o->B / (o->mu * o->mu) * o->kappa * dn; /* (2.2) without c(1+δ) */
		o->eta_rule = dn / (2 * o->B * o->B * yx);
	} else {
		o->need = dn * dn / dd * pow(o->kappa, 3) * o->kr2; /* (2.6) without C(1+δ) */
		o->eta_rule = dn / (3 * yx);
	}
	return 0;
}

double theory_shallow_etabar(const struct theory *th, double eta)
{
	return th->os.thm ? eta / th->os.eta_rule : NAN;
}

/* Thm 2.1: ‖r_τ‖ ≤ (1 − η̄/32 · μφ²/B² · σ²_min(X∗X)/‖X‖²)^τ r0; Thm 2.3:
 * (1 − η̄/(48π) · σ²_min(X∗X)/‖X‖²)^τ r0 (the bound is on ‖r‖, not its square). */
double theory_shallow_rate(const struct theory *th, double eta)
{
	const struct theory_os19b *o = &th->os;
	double eb = theory_shallow_etabar(th, eta), x2 = o->xnorm * o->xnorm;
	if (o->thm == 21)
		return 1 - eb / 32 * o->mu * o->mu / (o->B * o->B) * o->kr2 / x2;
	if (o->thm == 23)
		return 1 - eb / (48 * M_PI) * o->kr2 / x2;
	return NAN;
}

/* The conditions a run can check: unit-norm inputs, W0 iid N(0,1), η̄ ≤ 1, gradient descent. */
bool theory_shallow_checkable_met(const struct theory *th, double eta)
{
	const struct theory_os19b *o = &th->os;
	return o->thm && o->unit_x && o->gauss_w0 && th->method == THEORY_GD &&
	       theory_shallow_etabar(th, eta) <= 1 + 1e-12;
}

const char *theory_shallow_text(const struct theory *th, double eta, bool ascii, int line, char *buf,
				size_t len)
{
	const struct theory_os19b *o = &th->os;
	const char *yes = ascii ? "yes" : "✓", *no = ascii ? "NO" : "✗";
	if (!o->shallow)
		return NULL;
	if (!o->thm) {
		if (line > 0)
			return NULL;
		snprintf(buf, len, "[OS19b]: %s", o->why);
		return buf;
	}
	double eb = theory_shallow_etabar(th, eta);
	if (line == 0) {
		snprintf(buf, len, "[OS19b] Thm %s: |x_i|=1 %s  W0 N(0,1) %s  gd %s  %s<=1 %s (%.3g)",
			 o->thm == 21 ? "2.1" : "2.3", o->unit_x ? yes : no, o->gauss_w0 ? yes : no,
			 th->method == THEORY_GD ? yes : no, ascii ? "etabar" : "η̄",
			 eb <= 1 + 1e-12 ? yes : no, eb);
		return buf;
	}
	if (line == 1) {
		if (o->thm == 21)
			snprintf(buf, len, "(2.2) %s(kd)=%.3g vs c(1+%s)%s = %.3g: c unspecified, not decided",
				 ascii ? "sqrt" : "√", o->size, ascii ? "delta" : "δ",
				 ascii ? "(B/mu)^2 kappa n" : "(B/μ)²κn", o->need);
		else
			snprintf(buf, len, "(2.6) %s(kd)=%.3g vs C(1+%s)%s = %.3g: C unspecified, not decided",
				 ascii ? "sqrt" : "√", o->size, ascii ? "delta" : "δ",
				 ascii ? "(n^2/d)kappa^3 s^2" : "(n²/d)κ³σ²", o->need);
		return buf;
	}
	if (line == 2) {
		bool met = theory_shallow_checkable_met(th, eta);
		char b[32] = "";
		if (o->thm == 21)
			snprintf(b, sizeof b, " B=%.3g", o->B);
		snprintf(buf, len, "%s rate %s%.6g^%s;  %sX%s=%.3g%s %s=%.3g %smin(X*X)%s=%.3g %s=%.3g",
			 met ? (o->thm == 21 ? "if (2.2) holds, w.h.p.:" : "if (2.6) holds, w.h.p.:")
			     : "conditions not met:",
			 met ? "" : "would be ", theory_shallow_rate(th, eta), ascii ? "t" : "τ",
			 ascii ? "|" : "‖", ascii ? "|" : "‖", o->xnorm, b, ascii ? "mu" : "μφ", o->mu,
			 ascii ? "sigma" : "σ", ascii ? "^2" : "²", o->kr2, ascii ? "kappa" : "κ", o->kappa);
		return buf;
	}
	return NULL;
}
