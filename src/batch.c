/* batch.c — `gdpath --batch`: the CSV contract of SPEC §7. Numbers are %.17g in the C
 * locale (main keeps LC_NUMERIC at "C"); non-finite values are written as nan, inf, -inf;
 * undefined ones as empty fields. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdpath/batch.h"
#include "gdpath/cli.h"
#include "gdpath/clserr.h"
#include "gdpath/data.h"
#include "gdpath/proj.h"
#include "gdpath/idx.h"
#include "gdpath/run.h"
#include "gdpath/sweep.h"
#include "gdpath/theory.h"
#include "gdpath/track.h"
#include "gdpath/util.h"

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
	/* File names escaped (util.h str_escape): a newline in a name cannot break the
	 * metadata, an escape sequence cannot reach a terminal showing the CSV. */
	char *dname = r->cfg.data_file ? str_escape(r->cfg.data_file, strlen(r->cfg.data_file), 0, 0)
				       : xstrdup(m->nout > 1 ? IDX_DEFAULT_DIR : "generated");
	char *iname = r->cfg.init == INIT_FILE
			  ? str_escape(r->cfg.init_file, strlen(r->cfg.init_file), 0, 0)
			  : xstrdup(r->cfg.init == INIT_ZERO ? "zero" : "random");
	if (m->nout > 1) {
		fprintf(out, "# data: %s (%zu training images drawn by the seed)\n", dname, m->nsamples);
		fprintf(out, "# labels: one-hot, %zu classes\n", m->nout);
	} else {
		fprintf(out, "# data: %s\n", dname);
		const char *note = run_labels_note(r);
		fprintf(out, "# labels: %s%s%s%s\n",
			r->cfg.data_file ? "from data" : labels_name(r->cfg.labels), note ? " (" : "",
			note ? note : "", note ? ")" : "");
	}
	fprintf(out, "# init: %s\n", iname);
	free(dname);
	free(iname);
	fprintf(out, "# optimizer: %s\n", optim_name(r->cfg.ocfg.kind));
	fputs("# eta: ", out);
	num(out, r->eta);
	fputs("\n# eta_theory: ", out);
	num(out, th->eta_theory);
	fprintf(out, " (%s)\n", th->eta_source);
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
	fputs(",zeta,lambda,checked,outside,proj_u,proj_v", out);
	if (r->ce)
		fputs(",train_error,test_error", out);
	for (size_t i = 0; i < r->nextras; i++)
		fprintf(out, ",%s", r->extra_names[i]);
	fputc('\n', out);
}

/* One row from a track point and its per-layer arrays: what was measured at that step
 * (α, β where the spectrum was computed, ζ̂, λ̂, the outside count, the model's quantities
 * where they were measured); the rest empty. The current point measures the model's
 * quantities now. */
static void write_row(FILE *out, struct run *r, const struct track_point *pt,
		      const double *ldist, const double *lpath, const double *x, int current)
{
	const struct track *t = r->tr;
	fprintf(out, "%ld", pt->step);
	field(out, pt->loss, 1);
	field(out, pt->residual, 1);
	field(out, track_nresidual(t, pt->residual), t->r0 > 0);
	field(out, pt->distance, 1);
	field(out, track_ndistance(t, pt->distance), t->theta0_norm > 0);
	field(out, pt->path, 1);
	field(out, pt->eta, 1);
	field(out, pt->alpha, !isnan(pt->alpha));
	field(out, pt->beta, !isnan(pt->beta));
	field(out, pt->alpha_hat, !isnan(pt->alpha_hat));
	field(out, pt->beta_hat, !isnan(pt->beta_hat));
	for (size_t l = 0; l < t->nlayers; l++) {
		field(out, ldist[l], 1);
		field(out, track_layer_ndistance(t, l, ldist[l]), t->l0norm[l] > 0);
		field(out, lpath[l], 1);
	}
	field(out, pt->zeta, !isnan(pt->zeta));
	field(out, pt->lambda, !isnan(pt->lambda));
	/* checked: steps where a theorem's guarantee applied (Thm 9.3 or 4.1), empty where no
	 * such theorem covers the model and optimizer; outside: empty until a step was checked. */
	field(out, (double)pt->checked, pt->checked >= 0);
	field(out, (double)pt->outside, pt->outside >= 0);
	/* the plane's coordinates: of the current iterate only (the history keeps no θ) */
	double pu = NAN, pv = NAN;
	if (current)
		proj_coords(r->pj, r->theta, r->theta0, &pu, &pv);
	field(out, pu, current && !isnan(pu));
	field(out, pv, current && !isnan(pv));
	if (r->ce) {
		int now = current && r->ce->step == pt->step;
		field(out, r->ce->train, now);
		field(out, r->ce->test, now);
	}
	if (current && r->nextras) {
		run_update_extras(r);
		x = r->extras;
	}
	for (size_t i = 0; i < r->nextras; i++)
		field(out, x ? x[i] : NAN, x != NULL && !isnan(x[i]));
	fputc('\n', out);
}

void batch_write_row(FILE *out, struct run *r)
{
	write_row(out, r, &r->tr->cur, r->tr->ldist, r->tr->lpath, NULL, 1);
}

void batch_write_history(FILE *out, struct run *r)
{
	const struct track *t = r->tr;
	size_t nl = t->nlayers;
	for (size_t i = 0; i < t->len; i++)
		if (i == 0 || t->h[i].step != t->cur.step)
			write_row(out, r, &t->h[i], t->h_ldist + i * nl, t->h_lpath + i * nl,
				  t->h_x + i * MODEL_MAX_EXTRAS, 0);
	write_row(out, r, &t->cur, t->ldist, t->lpath, NULL, 1);
}

/* The plane of the parameter-space columns (proj.h) is the whole run's: u toward θ* where
 * it is known, else toward the last iterate; v from the iterates kept over the run. So the
 * run goes once to find it (bit-identical: same seed, same steps), then starts over from θ0
 * and writes its rows. */
static void fix_plane(struct run *r, long steps)
{
	char *cause = NULL;
	for (long s = 1; s <= steps; s++)
		if (run_step(r) != RUN_OK)
			break;
	run_update_plane(r);
	proj_freeze(r->pj);
	if (r->step > 0 && run_restart(r, false, &cause) != 0) {
		/* out of memory: the columns stay empty rather than wrong */
		free(cause);
	}
}

static void write_plane_meta(FILE *out, const struct run *r)
{
	const struct proj *pj = r->pj;
	if (r->m->ops->no_spectrum) {
		fputs("# plane: not computed for this model (it would take a second pass)\n", out);
		return;
	}
	if (!pj->have_plane) {
		fputs("# plane: none (the run never left theta0)\n", out);
		return;
	}
	fprintf(out, "# plane: proj_u along %s, proj_v along the largest part of the path "
		     "orthogonal to it (top singular vector of %zu kept iterates)%s\n",
		pj->u_star ? "theta* - theta0 (closest optimum)" : "the last iterate - theta0",
		pj->basis_len, pj->have_v ? "" : "; the path stays on the line: proj_v = 0");
}

/* A terminating signal while -o FILE is written: remove the temporary file (the old FILE
 * stays whole), then die by the same signal. */
static const int batch_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGALRM,
				    SIGUSR1, SIGUSR2, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF};
#define NBATCH_SIGNALS (sizeof batch_signals / sizeof batch_signals[0])
static struct sigaction batch_old[NBATCH_SIGNALS];

static void batch_on_signal(int sig)
{
	outfile_abort_signal();
	/* SA_RESETHAND put the default action back; it is delivered when we return */
	raise(sig);
}

static void batch_signals_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = batch_on_signal;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < NBATCH_SIGNALS; i++) {
		sigaction(batch_signals[i], NULL, &batch_old[i]);
		if (batch_old[i].sa_handler != SIG_IGN) /* nohup's choice stays */
			sigaction(batch_signals[i], &sa, NULL);
	}
}

static void batch_signals_remove(void)
{
	for (size_t i = 0; i < NBATCH_SIGNALS; i++)
		sigaction(batch_signals[i], &batch_old[i], NULL);
}

/* The blow-up rule shared by --batch, --snapshot and the view (man gdpath, EXIT STATUS):
 * exit 3 when the loss became non-finite or rose above 1000 times its initial value. */
int batch_run_status(const struct run *r)
{
	return r->status == RUN_DIVERGED || r->blowup_step >= 0 ? EXIT_DIVERGED : EXIT_OK;
}

int batch_main(const struct opts *o)
{
	if (o->band)
		return layers_band_main(o);
	char *cause = NULL;
	int status = 1;
	struct run *r = run_new(&o->run, &cause, &status);
	if (r == NULL) {
		print_cause(cause);
		free(cause);
		return status;
	}
	struct outfile of = {0};
	FILE *out = stdout;
	if (o->output) {
		batch_signals_install();
		if (outfile_open(&of, o->output, &cause) != 0) {
			print_cause(cause);
			free(cause);
			batch_signals_remove();
			run_free(r);
			return EXIT_ERROR;
		}
		out = of.f;
	} else {
		memset(&of, 0, sizeof of);
		of.f = stdout;
		of.path = (char *)"standard output";
	}
	/* the meta lines go out before the first pass, so an output that cannot be written
	 * (a full disk, /dev/full, a closed pipe) ends the run before any work is done */
	batch_write_meta(out, r);
	(void)outfile_flush(&of, &cause);
	r->measure_at = o->steps; /* both passes: run_restart keeps it */
	if (cause == NULL && !r->m->ops->no_spectrum)
		fix_plane(r, o->steps);
	if (cause == NULL)
		write_plane_meta(out, r);
	if (cause == NULL) {
		batch_write_header(out, r);
		batch_write_row(out, r);
	}
	int rc = EXIT_OK;
	for (long s = 1; cause == NULL && s <= o->steps; s++) {
		int st = run_step(r);
		if (st != RUN_OK) {
			if (st == RUN_DIVERGED) {
				batch_write_row(out, r); /* the non-finite loss itself */
				fprintf(out, "# diverged at step %ld: the loss is not finite\n", r->status_step);
				fprintf(stderr, "gdpath: diverged at step %ld (loss is not finite); try a smaller --eta\n",
					r->status_step);
				rc = EXIT_DIVERGED;
			} else {
				fprintf(out, "# failed at step %ld: %s\n", r->status_step,
					run_failure(r));
				fprintf(stderr, "gdpath: gradient flow failed at step %ld: %s\n",
					r->status_step, run_failure(r));
				rc = EXIT_ERROR;
			}
			break;
		}
		if (r->blowup_step == s) {
			fprintf(out, "# diverged at step %ld: the loss is over 1000 times the initial loss\n",
				s);
			fprintf(stderr,
				"gdpath: diverged at step %ld (the loss is over 1000 times the initial "
				"loss); try a smaller --eta\n",
				s);
		}
		if ((s % o->every == 0 && r->tr->measured == s) || s == o->steps)
			batch_write_row(out, r);
		/* a write error (a full disk, /dev/full, a closed pipe) ends the run now */
		if (outfile_check(&of, &cause) != 0)
			break;
	}
	if (rc == EXIT_OK)
		rc = batch_run_status(r);
	if (cause == NULL && o->output == NULL && (fflush(out) != 0 || ferror(out)))
		cause = xasprintf("standard output: %s", strerror(errno ? errno : EIO));
	if (cause == NULL && o->output != NULL) {
		if (outfile_commit(&of, &cause) != 0)
			of.f = NULL;
	} else if (o->output != NULL) {
		outfile_abort(&of);
	}
	if (cause != NULL) {
		char *full = xasprintf("%s%s", cause,
				       o->output ? " (the old file, if any, is left as it was)" : "");
		print_cause(full);
		free(full);
		free(cause);
		rc = EXIT_ERROR;
	}
	if (o->output)
		batch_signals_remove();
	run_free(r);
	return rc;
}
