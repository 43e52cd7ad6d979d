/* batch.c — `gdpath --batch`: the CSV contract of SPEC §7. Numbers are %.17g in the C
 * locale (main keeps LC_NUMERIC at "C"); non-finite values are written as nan, inf, -inf;
 * undefined ones as empty fields. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdpath/batch.h"
#include "gdpath/cli.h"
#include "gdpath/clserr.h"
#include "gdpath/data.h"
#include "gdpath/idx.h"
#include "gdpath/run.h"
#include "gdpath/sweep.h"
#include "gdpath/theory.h"
#include "gdpath/track.h"

static void num(FILE *out, double v)
{
	if (isnan(v))
		fputs("nan", out);
	else if (isinf(v))
		fputs(v > 0 ? "inf" : "-inf", out);
	else
		fprintf(out, "%.17g", v);
}

/* A field: a comma, then the value, or nothing for an undefined one. */
static void field(FILE *out, double v, int defined)
{
	fputc(',', out);
	if (defined)
		num(out, v);
}

void batch_write_meta(FILE *out, const struct run *r)
{
	const struct model *m = r->m;
	const struct model_cfg *c = &m->cfg;
	const struct theory *th = r->th;
	fprintf(out, "# gdpath %s\n", PACKAGE_VERSION);
	fprintf(out, "# model: %s\n", m->ops->name);
	fprintf(out, "# sizes: n=%zu d=%zu", c->n, c->d);
	if (m->ops == &model_shallow_ops || m->ops == &model_rf_ops || m->ops == &model_du_ops || m->ops == &model_mlp_ops)
		fprintf(out, " k=%zu", c->k);
	if (m->ops == &model_lowrank_ops)
		fprintf(out, " r=%zu", c->r);
	if (m->ops == &model_mlp_ops)
		fprintf(out, " depth=%zu", c->depth);
	fputc('\n', out);
	fprintf(out, "# p: %zu\n", m->p);
	fprintf(out, "# seed: %lu\n", r->cfg.seed);
	if (m->nout > 1) {
		fprintf(out, "# data: %s (%zu training images drawn by the seed)\n",
			r->cfg.data_file ? r->cfg.data_file : IDX_DEFAULT_DIR, m->nsamples);
		fprintf(out, "# labels: one-hot, %zu classes\n", m->nout);
	} else {
		fprintf(out, "# data: %s\n", r->cfg.data_file ? r->cfg.data_file : "generated");
		fprintf(out, "# labels: %s\n",
			r->cfg.data_file ? "from data" : labels_name(r->cfg.labels));
	}
	fprintf(out, "# init: %s\n", r->cfg.init == INIT_ZERO   ? "zero"
				     : r->cfg.init == INIT_FILE ? r->cfg.init_file
								: "random");
	fprintf(out, "# optimizer: %s\n", optim_name(r->cfg.ocfg.kind));
	fputs("# eta: ", out);
	num(out, r->eta);
	fputs("\n# eta_theory: ", out);
	num(out, th->eta_theory);
	fprintf(out, "%s\n", th->eta_theory_fallback ? " (1/(2 beta0^2), Thm 2.2)" : "");
	fputs("# r0: ", out);
	num(out, th->r0);
	fputs("\n# alpha0: ", out);
	num(out, th->alpha0);
	fputs("\n# beta0: ", out);
	num(out, th->beta0);
	fputc('\n', out);
	if (th->have_star) {
		fputs("# star_distance: ", out);
		num(out, th->star_dist);
		fputc('\n', out);
	}
	if (th->spectrum_off)
		fputs("# spectrum: not computed (J is out of reach at this size): alpha, beta, "
		      "delta, L, lambda, zeta and the bound lines are undefined\n", out);
	else
		fprintf(out, "# spectrum_every: %ld\n", th->every);
	if (r->measure_every > 1)
		fprintf(out, "# measure_every: %ld (minibatch steps: residual on all n samples every "
			"%ld steps; rows only there)\n", r->measure_every, r->measure_every);
	if (r->ce)
		fprintf(out, "# class_errors: train on the n samples, test on the first %zu test "
			"images, every %ld steps\n", r->ce->ntest, r->errors_every);
	if (th->no_guarantee)
		fputs("# warning: alpha0 = 0 (n > p or J rank-deficient): no guarantee applies\n", out);
}

void batch_write_header(FILE *out, const struct run *r)
{
	fputs("step,loss,residual,nresidual,distance,ndistance,path,eta,alpha,beta,alpha_path,beta_path",
	      out);
	for (size_t l = 0; l < r->m->nlayers; l++) {
		const char *n = r->m->layer[l].name;
		fprintf(out, ",distance.%s,ndistance.%s,path.%s", n, n, n);
	}
	fputs(",zeta,lambda,outside", out);
	if (r->ce)
		fputs(",train_error,test_error", out);
	for (size_t i = 0; i < r->nextras; i++)
		fprintf(out, ",%s", r->extra_names[i]);
	fputc('\n', out);
}

/* One row from a track point and its per-layer arrays. The current point also carries
 * α, β (when the spectrum is from this step), ζ̂, λ̂, the outside count and the model's
 * quantities; history points leave those fields empty. */
static void write_row(FILE *out, struct run *r, const struct track_point *pt,
		      const double *ldist, const double *lpath, int current)
{
	const struct track *t = r->tr;
	const struct theory *th = r->th;
	int spec = current && th->spec_step == pt->step;
	fprintf(out, "%ld", pt->step);
	field(out, pt->loss, 1);
	field(out, pt->residual, 1);
	field(out, track_nresidual(t, pt->residual), t->r0 > 0);
	field(out, pt->distance, 1);
	field(out, track_ndistance(t, pt->distance), t->theta0_norm > 0);
	field(out, pt->path, 1);
	field(out, pt->eta, 1);
	field(out, th->alpha, spec);
	field(out, th->beta, spec);
	field(out, th->alpha_hat, !th->spectrum_off);
	field(out, th->beta_hat, !th->spectrum_off);
	for (size_t l = 0; l < t->nlayers; l++) {
		field(out, ldist[l], 1);
		field(out, track_layer_ndistance(t, l, ldist[l]), t->l0norm[l] > 0);
		field(out, lpath[l], 1);
	}
	field(out, th->zeta_hat, current && !isnan(th->zeta_hat));
	field(out, th->lambda_hat, current && !isnan(th->lambda_hat));
	field(out, (double)th->outside, current && r->cfg.ocfg.kind == OPT_GD && !th->spectrum_off);
	if (r->ce) {
		int now = current && r->ce->step == pt->step;
		field(out, r->ce->train, now);
		field(out, r->ce->test, now);
	}
	if (current && r->nextras)
		run_update_extras(r);
	for (size_t i = 0; i < r->nextras; i++)
		field(out, r->extras[i], current);
	fputc('\n', out);
}

void batch_write_row(FILE *out, struct run *r)
{
	write_row(out, r, &r->tr->cur, r->tr->ldist, r->tr->lpath, 1);
}

void batch_write_history(FILE *out, struct run *r)
{
	const struct track *t = r->tr;
	size_t nl = t->nlayers;
	for (size_t i = 0; i < t->len; i++)
		if (i == 0 || t->h[i].step != t->cur.step)
			write_row(out, r, &t->h[i], t->h_ldist + i * nl, t->h_lpath + i * nl, 0);
	write_row(out, r, &t->cur, t->ldist, t->lpath, 0);
}

int batch_main(const struct opts *o)
{
	if (o->band)
		return layers_band_main(o);
	char *cause = NULL;
	int status = 1;
	struct run *r = run_new(&o->run, &cause, &status);
	if (r == NULL) {
		fprintf(stderr, "gdpath: %s\n", cause);
		free(cause);
		return status;
	}
	FILE *out = stdout;
	if (o->output && (out = fopen(o->output, "w")) == NULL) {
		fprintf(stderr, "gdpath: %s: %s\n", o->output, strerror(errno));
		run_free(r);
		return EXIT_ERROR;
	}
	batch_write_meta(out, r);
	batch_write_header(out, r);
	batch_write_row(out, r);
	int rc = EXIT_OK;
	r->measure_at = o->steps;
	for (long s = 1; s <= o->steps; s++) {
		int st = run_step(r);
		if (st != RUN_OK) {
			if (st == RUN_DIVERGED) {
				batch_write_row(out, r); /* the non-finite loss itself */
				fprintf(out, "# diverged at step %ld: the loss is not finite\n", r->status_step);
				fprintf(stderr, "gdpath: diverged at step %ld (loss is not finite); try a smaller --eta\n",
					r->status_step);
				rc = EXIT_DIVERGED;
			} else {
				fprintf(out, "# failed at step %ld: the ODE integrator gave up\n", r->status_step);
				fprintf(stderr, "gdpath: gradient flow failed at step %ld: the ODE integrator gave up\n",
					r->status_step);
				rc = EXIT_ERROR;
			}
			break;
		}
		if ((s % o->every == 0 && r->tr->measured == s) || s == o->steps)
			batch_write_row(out, r);
	}
	if (fflush(out) != 0 || ferror(out)) {
		fprintf(stderr, "gdpath: %s: %s\n", o->output ? o->output : "stdout", strerror(errno));
		rc = EXIT_ERROR;
	}
	if (out != stdout && fclose(out) != 0 && rc == EXIT_OK) {
		fprintf(stderr, "gdpath: %s: %s\n", o->output, strerror(errno));
		rc = EXIT_ERROR;
	}
	run_free(r);
	return rc;
}
