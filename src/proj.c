/* proj.c — the projection of the path onto the plane of u (towards θ*, or the current
 * iterate) and v (the largest orthogonal component of the path), see proj.h. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cblas.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "gdpath/proj.h"
#include "gdpath/util.h"

static size_t cap_for(size_t p)
{
	double c = PROJ_BUDGET / (double)(p ? p : 1);
	if (c > PROJ_MAX_SNAPS)
		c = PROJ_MAX_SNAPS;
	if (c < 2)
		c = 2;
	return (size_t)c;
}

struct proj *proj_new(size_t p)
{
	struct proj *pj = calloc(1, sizeof *pj);
	if (pj == NULL)
		return NULL;
	size_t cap = cap_for(p);
	pj->p = p;
	pj->cap = cap;
	pj->snap = xmallocarray(cap * p, sizeof(double));
	pj->step = xcalloc(cap, sizeof(long));
	pj->G = xcalloc(cap * cap, sizeof(double));
	pj->u = xcalloc(p, sizeof(double));
	pj->v = xcalloc(p, sizeof(double));
	pj->a = xcalloc(cap, sizeof(double));
	pj->b = xcalloc(cap, sizeof(double));
	pj->W = xcalloc(cap * cap, sizeof(double));
	pj->c = xcalloc(cap, sizeof(double));
	pj->dcur = xcalloc(p, sizeof(double));
	pj->eig = gsl_eigen_symmv_alloc(cap);
	pj->eval = gsl_vector_alloc(cap);
	pj->evec = gsl_matrix_alloc(cap, cap);
	if (!pj->snap || !pj->step || !pj->G || !pj->u || !pj->v || !pj->a || !pj->b || !pj->W ||
	    !pj->c || !pj->dcur || !pj->eig || !pj->eval || !pj->evec) {
		proj_free(pj);
		return NULL;
	}
	proj_reset(pj);
	return pj;
}

void proj_free(struct proj *pj)
{
	if (pj == NULL)
		return;
	free(pj->snap);
	free(pj->step);
	free(pj->G);
	free(pj->u);
	free(pj->v);
	free(pj->a);
	free(pj->b);
	free(pj->W);
	free(pj->c);
	free(pj->dcur);
	if (pj->eig)
		gsl_eigen_symmv_free(pj->eig);
	if (pj->eval)
		gsl_vector_free(pj->eval);
	if (pj->evec)
		gsl_matrix_free(pj->evec);
	free(pj);
}

struct proj *proj_clone(const struct proj *s)
{
	if (s == NULL)
		return NULL;
	struct proj *pj = proj_new(s->p);
	if (pj == NULL)
		return NULL;
	size_t p = s->p, cap = s->cap;
	pj->len = s->len;
	pj->stride = s->stride;
	memcpy(pj->snap, s->snap, s->len * p * sizeof(double));
	memcpy(pj->step, s->step, cap * sizeof(long));
	memcpy(pj->G, s->G, cap * cap * sizeof(double));
	pj->have_plane = s->have_plane;
	pj->basis_len = s->basis_len;
	pj->frozen = s->frozen;
	pj->u_star = s->u_star;
	pj->have_v = s->have_v;
	memcpy(pj->u, s->u, p * sizeof(double));
	memcpy(pj->v, s->v, p * sizeof(double));
	memcpy(pj->a, s->a, cap * sizeof(double));
	memcpy(pj->b, s->b, cap * sizeof(double));
	pj->cur_a = s->cur_a;
	pj->cur_b = s->cur_b;
	pj->star_a = s->star_a;
	pj->star_b = s->star_b;
	pj->spread = s->spread;
	return pj;
}

void proj_freeze(struct proj *pj)
{
	pj->frozen = true;
}

void proj_reset(struct proj *pj)
{
	if (pj == NULL)
		return;
	pj->len = 0;
	pj->stride = 1;
	if (pj->frozen)
		return;
	pj->have_plane = pj->u_star = pj->have_v = false;
	pj->cur_a = pj->cur_b = pj->star_a = pj->star_b = NAN;
	pj->spread = NAN;
}

/* Keep the snapshots whose step is a multiple of the doubled stride. */
static void decimate(struct proj *pj)
{
	size_t p = pj->p, cap = pj->cap, w = 0;
	size_t keep[PROJ_MAX_SNAPS];
	pj->stride *= 2;
	for (size_t i = 0; i < pj->len; i++)
		if (pj->step[i] % pj->stride == 0)
			keep[w++] = i;
	/* in increasing order, every read is at or after the position written */
	for (size_t i = 0; i < w; i++) {
		size_t k = keep[i];
		if (k != i) {
			memmove(pj->snap + i * p, pj->snap + k * p, p * sizeof(double));
			pj->step[i] = pj->step[k];
		}
		for (size_t j = 0; j < w; j++)
			pj->G[i * cap + j] = pj->G[k * cap + keep[j]];
	}
	pj->len = w;
}

void proj_push(struct proj *pj, long step, const double *theta, const double *theta0)
{
	if (pj == NULL || step <= 0 || step % pj->stride != 0)
		return;
	if (pj->len == pj->cap)
		decimate(pj);
	if (step % pj->stride != 0)
		return;
	size_t p = pj->p, cap = pj->cap, j = pj->len;
	double *d = pj->snap + j * p;
	for (size_t i = 0; i < p; i++)
		d[i] = theta[i] - theta0[i];
	double nd = vec_norm(d, p);
	if (!isfinite(nd) || !isfinite(nd * nd))
		return; /* not kept: the slot is reused */
	/* Gram row j: d_i·d_j for i ≤ j */
	cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)(j + 1), (int)p, 1.0, pj->snap, (int)p, d, 1,
		    0.0, pj->c, 1);
	for (size_t i = 0; i <= j; i++)
		pj->G[j * cap + i] = pj->G[i * cap + j] = pj->c[i];
	pj->step[j] = step;
	pj->len = j + 1;
}

static void no_plane(struct proj *pj)
{
	pj->have_plane = pj->u_star = pj->have_v = false;
	pj->cur_a = pj->cur_b = pj->star_a = pj->star_b = pj->spread = NAN;
}

void proj_update(struct proj *pj, const double *theta, const double *theta0,
		 const double *theta_star)
{
	size_t p = pj->p, cap = pj->cap, len = pj->len;
	int ip = (int)p;
	if (pj->frozen)
		return;
	for (size_t i = 0; i < p; i++)
		pj->dcur[i] = theta[i] - theta0[i];
	double ncur = vec_norm(pj->dcur, p);
	pj->u_star = false;
	if (theta_star != NULL) {
		for (size_t i = 0; i < p; i++)
			pj->u[i] = theta_star[i] - theta0[i];
		double ns = vec_norm(pj->u, p);
		if (ns > 0 && isfinite(ns)) {
			cblas_dscal(ip, 1.0 / ns, pj->u, 1);
			pj->u_star = true;
			pj->star_a = ns;
			pj->star_b = 0;
		}
	}
	if (!pj->u_star) {
		if (!(ncur > 0) || !isfinite(ncur)) {
			no_plane(pj);
			return;
		}
		memcpy(pj->u, pj->dcur, p * sizeof(double));
		cblas_dscal(ip, 1.0 / ncur, pj->u, 1);
		pj->star_a = pj->star_b = NAN;
	}
	pj->have_plane = true;
	pj->have_v = false;
	pj->basis_len = len;
	pj->spread = 0;
	memset(pj->v, 0, p * sizeof(double));
	if (len > 0) {
		/* c_j = u·d_j are the first coordinates */
		cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)len, ip, 1.0, pj->snap, ip, pj->u, 1,
			    0.0, pj->c, 1);
		memcpy(pj->a, pj->c, len * sizeof(double));
		memset(pj->b, 0, len * sizeof(double));
		/* WᵀW = G − c cᵀ, len × len in a packed block */
		double dmax2 = 0;
		for (size_t i = 0; i < len; i++) {
			dmax2 = fmax(dmax2, pj->G[i * cap + i]);
			for (size_t j = 0; j < len; j++)
				pj->W[i * len + j] = pj->G[i * cap + j] - pj->c[i] * pj->c[j];
		}
		gsl_matrix_view A = gsl_matrix_view_array(pj->W, len, len);
		gsl_vector_view ev = gsl_vector_subvector(pj->eval, 0, len);
		gsl_matrix_view V = gsl_matrix_submatrix(pj->evec, 0, 0, len, len);
		double lam = 0;
		size_t k = 0;
		if (gsl_eigen_symmv(&A.matrix, &ev.vector, &V.matrix, pj->eig) == 0) {
			for (size_t i = 0; i < len; i++)
				if (gsl_vector_get(&ev.vector, i) > lam) {
					lam = gsl_vector_get(&ev.vector, i);
					k = i;
				}
		}
		/* G − c cᵀ cancels: its rounding error is about 1e-16·len·max‖d‖², so an
		 * orthogonal part below ~1e-5 of the reach is noise, and the path straight. */
		if (lam > 1e-10 * (double)len * dmax2 && dmax2 > 0) {
			/* v ∝ W e = Σ e_j d_j − (e·c) u, then made exactly orthogonal to u */
			double ec = 0;
			for (size_t j = 0; j < len; j++) {
				double e = gsl_matrix_get(&V.matrix, j, k);
				pj->b[j] = e; /* scratch for the combination */
				ec += e * pj->c[j];
			}
			cblas_dgemv(CblasRowMajor, CblasTrans, (int)len, ip, 1.0, pj->snap, ip, pj->b, 1,
				    0.0, pj->v, 1);
			cblas_daxpy(ip, -ec, pj->u, 1, pj->v, 1);
			cblas_daxpy(ip, -cblas_ddot(ip, pj->u, 1, pj->v, 1), pj->u, 1, pj->v, 1);
			double nv = vec_norm(pj->v, p);
			if (nv > 0 && isfinite(nv)) {
				cblas_dscal(ip, 1.0 / nv, pj->v, 1);
				cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)len, ip, 1.0, pj->snap, ip,
					    pj->v, 1, 0.0, pj->b, 1);
				/* the sign that puts most of the path above the line */
				double s = 0;
				for (size_t j = 0; j < len; j++)
					s += pj->b[j];
				if (s < 0) {
					cblas_dscal(ip, -1.0, pj->v, 1);
					cblas_dscal((int)len, -1.0, pj->b, 1);
				}
				pj->have_v = true;
				double bmax = 0;
				for (size_t j = 0; j < len; j++)
					bmax = fmax(bmax, fabs(pj->b[j]));
				pj->spread = bmax / sqrt(dmax2);
			} else {
				memset(pj->v, 0, p * sizeof(double));
				memset(pj->b, 0, len * sizeof(double));
			}
		} else {
			memset(pj->b, 0, len * sizeof(double));
		}
	}
	pj->cur_a = cblas_ddot(ip, pj->u, 1, pj->dcur, 1);
	pj->cur_b = pj->have_v ? cblas_ddot(ip, pj->v, 1, pj->dcur, 1) : 0;
	if (pj->u_star && pj->have_v) {
		/* v ⊥ u and θ* − θ0 = ‖θ* − θ0‖ u, so θ* sits on the first axis */
		pj->star_b = 0;
	}
}

void proj_coords(const struct proj *pj, const double *theta, const double *theta0, double *a,
		 double *b)
{
	if (pj == NULL || !pj->have_plane) {
		*a = *b = NAN;
		return;
	}
	double sa = 0, sb = 0;
	for (size_t i = 0; i < pj->p; i++) {
		double d = theta[i] - theta0[i];
		sa += pj->u[i] * d;
		sb += pj->v[i] * d;
	}
	*a = sa;
	*b = sb;
}
