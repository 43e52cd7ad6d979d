/* model.h — a model is a table of operations over a data set (SPEC §3).
 *
 * Every model maps parameters θ ∈ R^p to outputs f(θ) ∈ R^n over the n samples of a
 * dataset and is trained on L(θ) = ½‖f(θ) − y‖². A model family is one file
 * src/model_NAME.c exporting one `const struct model_ops model_NAME_ops`, listed in the
 * registry in model.c. Numerics only: no I/O, no curses.
 *
 * Calling protocol: vjp() and jvp() use what the most recent forward() cached, so they
 * must follow a forward() at the same θ. jacobian() and gram() run their own forward().
 *
 * Class data (idx.c) have C outputs per sample: then n counts outputs (samples × C, row i·C + c
 * is sample i's output c), nsamples the samples, and only models with predict() accept them.
 */
#ifndef GDPATH_MODEL_H
#define GDPATH_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include <gsl/gsl_rng.h>

struct dataset;

enum { MODEL_MAX_LAYERS = 16, MODEL_MAX_EXTRAS = 16 };

/* Sizes and knobs; 0 means "the model's default" until model_cfg_fill() runs. */
struct model_cfg {
	size_t n;          /* samples */
	size_t d;          /* input dimension (matrix side for lowrank) */
	size_t k;          /* hidden width (k, m for du, per-layer width for mlp) */
	size_t r;          /* rank for lowrank */
	size_t depth;      /* layers for mlp */
	int act;           /* enum act_kind; -1 = model default */
	double gamma;      /* linear part of the activation: (1−γ)φ + γz; NAN = default */
	bool train_output; /* shallow: train v as a second layer */
};

struct layer {
	const char *name; /* CSV column suffix: distance.<name> */
	size_t off, len;  /* slice of θ */
};

struct model;

struct model_ops {
	const char *name;
	const char *summary;         /* one line for --list models */
	struct model_cfg defaults;   /* sizes used where the user gave none */
	int default_labels;          /* enum labels_kind */
	bool has_act;                /* uses --activation / --gamma */
	bool images;                 /* trains on image classes only (IDX data, run.c loads them) */
	bool no_spectrum;            /* J is out of reach: theory computes no α, β, Δ̂, L̂ */

	/* Number of feature columns per sample (d, or d*d for lowrank). */
	size_t (*features)(const struct model_cfg *c);
	/* Number of parameters p for these sizes (no allocation). */
	double (*nparams)(const struct model_cfg *c);
	/* Bytes of private workspace setup() will allocate (for the memory estimate). */
	double (*work_bytes)(const struct model_cfg *c);
	/* Draw the n × features(c) inputs, row-major, from rng. */
	void (*gen_x)(const struct model_cfg *c, gsl_rng *rng, double *X);

	/* Allocate private state and fill m->p, m->nlayers, m->layer[]. The dataset
	 * (X and y) is complete when this runs. -1 with *cause set on failure. */
	int (*setup)(struct model *m, char **cause);
	void (*teardown)(struct model *m); /* free m->priv */

	/* Draw θ0 (length p) from rng: the model's initialisation rule. */
	void (*init)(struct model *m, gsl_rng *rng, double *theta0);

	/* f = f(θ), length n; caches what vjp/jvp need. */
	void (*forward)(struct model *m, const double *theta, double *f);
	/* g = Σ_j u[rows[j]] ∇f_{rows[j]}(θ) (rows NULL: all n samples), length p. */
	void (*vjp)(struct model *m, const double *theta, const double *u, const size_t *rows,
		    size_t nrows, double *g);
	/* out = J(θ) v, length n. Optional (NULL: not provided; only tests call it). */
	void (*jvp)(struct model *m, const double *theta, const double *v, double *out);

	/* Optional. The gradient g (length p) of ½Σ_{i∈samples} ‖f(x_i) − y_i‖² over the b
	 * samples (sample indices, not output rows), computed from those samples alone without
	 * a forward() over all n; returns that partial loss. Stochastic optimizers use it and
	 * then leave the full residual to run.c's measurement cadence. */
	double (*batch_grad)(struct model *m, const double *theta, const size_t *samples, size_t b,
			     double *g);
	/* Optional (required for class data). Outputs (count × C) for count inputs X (count ×
	 * features), e.g. held-out test images; leaves the forward cache undefined. */
	void (*predict)(struct model *m, const double *theta, const double *X, size_t count,
			double *out);

	/* Optional. J (n × p, row-major) at θ. NULL: built from vjp one row at a time. */
	int (*jacobian)(struct model *m, const double *theta, double *J);
	/* Optional. G = J Jᵀ (n × n, row-major) at θ in structured form. NULL: generic. */
	int (*gram)(struct model *m, const double *theta, double *G);

	/* Optional. The model's theory step size at θ0 (SPEC §3); NAN where it has none. */
	double (*theory_eta)(struct model *m, const double *theta0);
	/* Optional. The closest global optimum θ* to θ0, exactly; -1 if unknown. */
	int (*closest)(struct model *m, const double *theta0, double *theta_star, char **cause);

	/* Optional. Model-specific live quantities (SPEC §3, §6 panel 4): fills up to
	 * MODEL_MAX_EXTRAS names (static strings) and, when vals is not NULL, their values at
	 * θ. Returns the count, which never changes for a model instance. */
	size_t (*extras)(struct model *m, const double *theta, const double *theta0,
			 const char **names, double *vals);
};

struct model {
	const struct model_ops *ops;
	struct model_cfg cfg;        /* filled: no zeros left */
	const struct dataset *data;  /* not owned */
	size_t n, p, nfeat;          /* n: outputs = nsamples · nout */
	size_t nsamples, nout;       /* samples, outputs per sample (1 but for class data) */
	bool kinks;                  /* f only piecewise smooth in θ (ReLU-like): set by setup */
	bool constant_jacobian;      /* J does not depend on θ (linear): set by setup */
	size_t nlayers;
	struct layer layer[MODEL_MAX_LAYERS];
	double *jac_work;            /* generic jacobian scratch (p), owned */
	double *u_work;              /* generic jacobian scratch (n), owned */
	void *priv;                  /* the family's own state, owned by it */
};

/* Registry. */
const struct model_ops *model_lookup(const char *name);
size_t model_count(void);
const struct model_ops *model_at(size_t i);

/* Replace zero sizes in *c by ops' defaults. */
void model_cfg_fill(const struct model_ops *ops, struct model_cfg *c);

/* Rough memory need in bytes for a run of this model (data, θ copies, optimizer,
 * Jacobian and Gram workspaces, the model's own). Never overflows (double). */
double model_estimate_bytes(const struct model_ops *ops, const struct model_cfg *c);

/* Create a model over data (which must outlive it). NULL with *cause on failure. */
struct model *model_new(const struct model_ops *ops, const struct model_cfg *c,
			const struct dataset *data, char **cause);
void model_free(struct model *m);

/* r = f(θ) − y (length n); leaves the forward cache at θ. */
void model_residual(struct model *m, const double *theta, double *r);
/* J (n × p) at θ, through ops->jacobian or vjp rows. */
int model_jacobian(struct model *m, const double *theta, double *J);
/* G = J Jᵀ (n × n) at θ, through ops->gram or from J (scratch J of n × p given). */
int model_gram(struct model *m, const double *theta, double *G, double *Jscratch);
/* G = J Jᵀ (n × n) from a Jacobian J already formed (n × p). */
void model_gram_of(const struct model *m, const double *J, double *G);
/* Index of the layer called name, or -1. */
int model_layer_index(const struct model *m, const char *name);

extern const struct model_ops model_linear_ops, model_glm_ops, model_lowrank_ops,
    model_shallow_ops, model_rf_ops, model_du_ops, model_mlp_ops, model_lenet_ops;

#endif
