/* track.c — per-step quantities of SPEC §1 and the bounded, decimated history. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gdpath/model.h"
#include "gdpath/track.h"
#include "gdpath/util.h"

struct track *track_new(const struct model *m, const double *theta0, const double *r0,
			double eta, size_t cap)
{
	struct track *t = calloc(1, sizeof *t);
	if (t == NULL)
		return NULL;
	if (cap < 16)
		cap = 16;
	t->p = m->p;
	t->nlayers = m->nlayers;
	for (size_t l = 0; l < t->nlayers; l++) {
		t->loff[l] = m->layer[l].off;
		t->llen[l] = m->layer[l].len;
		t->l0norm[l] = vec_norm(theta0 + t->loff[l], t->llen[l]);
	}
	t->cap = cap;
	t->stride = 1;
	t->theta0 = xmallocarray(t->p, sizeof(double));
	t->theta_prev = xmallocarray(t->p, sizeof(double));
	t->h = xcalloc(cap, sizeof *t->h);
	t->h_ldist = xcalloc(cap, (t->nlayers ? t->nlayers : 1) * sizeof(double));
	t->h_lpath = xcalloc(cap, (t->nlayers ? t->nlayers : 1) * sizeof(double));
	t->h_x = xmallocarray(cap, MODEL_MAX_EXTRAS * sizeof(double));
	if (!t->theta0 || !t->theta_prev || !t->h || !t->h_ldist || !t->h_lpath || !t->h_x) {
		track_free(t);
		return NULL;
	}
	for (size_t i = 0; i < cap * MODEL_MAX_EXTRAS; i++)
		t->h_x[i] = NAN;
	memcpy(t->theta0, theta0, t->p * sizeof(double));
	memcpy(t->theta_prev, theta0, t->p * sizeof(double));
	t->theta0_norm = vec_norm(theta0, t->p);
	t->r0 = vec_norm(r0, m->n);
	t->cur = (struct track_point){0, 0.5 * t->r0 * t->r0, t->r0, 0, 0, eta, NAN, NAN, NAN, NAN, NAN, NAN, -1, -1};
	t->h[0] = t->cur;
	t->len = 1;
	track_mark_eta(t, 0, eta);
	return t;
}

void track_free(struct track *t)
{
	if (t == NULL)
		return;
	free(t->theta0);
	free(t->theta_prev);
	free(t->h);
	free(t->h_ldist);
	free(t->h_lpath);
	free(t->h_x);
	free(t);
}

struct track *track_clone(const struct track *s)
{
	struct track *t = malloc(sizeof *t);
	if (t == NULL)
		return NULL;
	*t = *s;
	size_t nl = s->nlayers ? s->nlayers : 1;
	t->theta0 = xmallocarray(s->p, sizeof(double));
	t->theta_prev = xmallocarray(s->p, sizeof(double));
	t->h = xmallocarray(s->cap, sizeof *t->h);
	t->h_ldist = xmallocarray(s->cap, nl * sizeof(double));
	t->h_lpath = xmallocarray(s->cap, nl * sizeof(double));
	t->h_x = xmallocarray(s->cap, MODEL_MAX_EXTRAS * sizeof(double));
	if (!t->theta0 || !t->theta_prev || !t->h || !t->h_ldist || !t->h_lpath || !t->h_x) {
		track_free(t);
		return NULL;
	}
	memcpy(t->theta0, s->theta0, s->p * sizeof(double));
	memcpy(t->theta_prev, s->theta_prev, s->p * sizeof(double));
	memcpy(t->h, s->h, s->cap * sizeof *t->h);
	memcpy(t->h_ldist, s->h_ldist, s->cap * nl * sizeof(double));
	memcpy(t->h_lpath, s->h_lpath, s->cap * nl * sizeof(double));
	memcpy(t->h_x, s->h_x, s->cap * MODEL_MAX_EXTRAS * sizeof(double));
	return t;
}

/* Halve the history: keep point 0 and every other point after it. */
static void decimate(struct track *t)
{
	size_t nl = t->nlayers, w = 1;
	for (size_t i = 2; i < t->len; i += 2, w++) {
		t->h[w] = t->h[i];
		memcpy(t->h_ldist + w * nl, t->h_ldist + i * nl, nl * sizeof(double));
		memcpy(t->h_lpath + w * nl, t->h_lpath + i * nl, nl * sizeof(double));
		memcpy(t->h_x + w * MODEL_MAX_EXTRAS, t->h_x + i * MODEL_MAX_EXTRAS,
		       MODEL_MAX_EXTRAS * sizeof(double));
	}
	t->len = w;
	t->stride *= 2;
}

void track_move(struct track *t, double *theta, const double *g, double eta)
{
	/* Fused only where the layers tile θ (every model's do); else the plain update, and
	 * track_push reads θ as it always did. */
	size_t at = 0;
	for (size_t l = 0; l < t->nlayers && t->loff[l] == at; l++)
		at += t->llen[l];
	if (at != t->p) {
		for (size_t j = 0; j < t->p; j++)
			theta[j] -= eta * g[j];
		t->moved = false;
		return;
	}
	for (size_t l = 0; l < t->nlayers; l++) {
		double ld = 0, ls = 0;
		double *a = theta + t->loff[l], *c = t->theta_prev + t->loff[l];
		const double *b = t->theta0 + t->loff[l], *gl = g + t->loff[l];
		for (size_t j = 0; j < t->llen[l]; j++) {
			double old = a[j], x = old - eta * gl[j], u = x - b[j], v = x - old;
			a[j] = x;
			c[j] = x;
			ld += u * u;
			ls += v * v;
		}
		t->mv_dist2[l] = ld;
		t->mv_step2[l] = ls;
	}
	t->moved = true;
}

void track_push(struct track *t, long step, const double *theta, const double *r, size_t n,
		double eta)
{
	double res = r ? vec_norm(r, n) : t->cur.residual;
	double d2 = 0, s2 = 0;
	if (t->moved) { /* track_move has done the pass over θ */
		t->moved = false;
		for (size_t l = 0; l < t->nlayers; l++) {
			t->ldist[l] = sqrt(t->mv_dist2[l]);
			t->lpath[l] += sqrt(t->mv_step2[l]);
			d2 += t->mv_dist2[l];
			s2 += t->mv_step2[l];
		}
		goto summed;
	}
	for (size_t l = 0; l < t->nlayers; l++) {
		double ld = 0, ls = 0;
		const double *a = theta + t->loff[l], *b = t->theta0 + t->loff[l],
			     *c = t->theta_prev + t->loff[l];
		for (size_t j = 0; j < t->llen[l]; j++) {
			double u = a[j] - b[j], v = a[j] - c[j];
			ld += u * u;
			ls += v * v;
		}
		t->ldist[l] = sqrt(ld);
		t->lpath[l] += sqrt(ls);
		d2 += ld;
		s2 += ls;
	}
	memcpy(t->theta_prev, theta, t->p * sizeof(double));
summed:
	t->cur.step = step;
	t->cur.residual = res;
	t->cur.loss = 0.5 * res * res;
	t->cur.distance = sqrt(d2);
	t->cur.path += sqrt(s2);
	t->cur.eta = eta;
	t->cur.alpha = t->cur.beta = t->cur.zeta = t->cur.lambda = NAN;
	t->cur.alpha_hat = t->cur.beta_hat = NAN;
	t->cur.checked = t->cur.outside = -1;
	if (r == NULL)
		return;
	t->measured = step;
	if (step % t->stride != 0)
		return;
	if (t->len == t->cap)
		decimate(t);
	if (step % t->stride != 0)
		return;
	size_t nl = t->nlayers;
	t->h[t->len] = t->cur;
	memcpy(t->h_ldist + t->len * nl, t->ldist, nl * sizeof(double));
	memcpy(t->h_lpath + t->len * nl, t->lpath, nl * sizeof(double));
	for (size_t i = 0; i < MODEL_MAX_EXTRAS; i++)
		t->h_x[t->len * MODEL_MAX_EXTRAS + i] = NAN;
	t->len++;
}

void track_annotate(struct track *t, double alpha, double beta, double alpha_hat,
		    double beta_hat, double zeta, double lambda, long checked, long outside)
{
	t->cur.alpha_hat = alpha_hat;
	t->cur.beta_hat = beta_hat;
	t->cur.alpha = alpha;
	t->cur.beta = beta;
	t->cur.zeta = zeta;
	t->cur.lambda = lambda;
	t->cur.checked = checked;
	t->cur.outside = outside;
	if (t->len > 0 && t->h[t->len - 1].step == t->cur.step)
		t->h[t->len - 1] = t->cur;
}

void track_set_extras(struct track *t, const double *x, size_t n)
{
	if (t->len == 0 || t->h[t->len - 1].step != t->cur.step)
		return;
	double *row = t->h_x + (t->len - 1) * MODEL_MAX_EXTRAS;
	for (size_t i = 0; i < MODEL_MAX_EXTRAS; i++)
		row[i] = i < n ? x[i] : NAN;
}

void track_mark_eta(struct track *t, long step, double eta)
{
	if (t->nmarks == TRACK_MAX_MARKS) {
		memmove(t->mark_step + 1, t->mark_step + 2, (TRACK_MAX_MARKS - 2) * sizeof(long));
		memmove(t->mark_eta + 1, t->mark_eta + 2, (TRACK_MAX_MARKS - 2) * sizeof(double));
		t->nmarks--;
	}
	t->mark_step[t->nmarks] = step;
	t->mark_eta[t->nmarks] = eta;
	t->nmarks++;
}

double track_nresidual(const struct track *t, double residual)
{
	return t->r0 > 0 ? residual / t->r0 : NAN;
}

double track_ndistance(const struct track *t, double distance)
{
	return t->theta0_norm > 0 ? distance / t->theta0_norm : NAN;
}

double track_layer_ndistance(const struct track *t, size_t l, double dist)
{
	return l < t->nlayers && t->l0norm[l] > 0 ? dist / t->l0norm[l] : NAN;
}

double track_directness(const struct track *t)
{
	return t->cur.distance > 0 ? t->cur.path / t->cur.distance : NAN;
}
