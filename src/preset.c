/* preset.c — the presets of SPEC §5 that the engine supports, as settings applied
 * before the rest of the command line (so later options override them). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "gdpath/act.h"
#include "gdpath/cli.h"
#include "gdpath/data.h"
#include "gdpath/optim.h"
#include "gdpath/preset.h"
#include "gdpath/sweep_phase.h"

static void set_model(struct opts *o, const struct model_ops *ops)
{
	o->run.ops = ops;
}

/* [OS19] Fig. 1 / Thm 2.4: GD from θ0 = 0 with y on the σ_min direction runs on the
 * upper (green) line. */
static void fig1_upper(struct opts *o)
{
	set_model(o, &model_linear_ops);
	o->run.labels = LABELS_ALIGN_MIN;
	o->run.init = INIT_ZERO;
	o->run.eta_theory = true;
	o->run.eta_scale = 0.5;
}

/* ... and with y on the σ_max direction, on the lower (red) line; a small step so the
 * path is visible (at η = 1/β² it would arrive in one step). */
static void fig1_lower(struct opts *o)
{
	set_model(o, &model_linear_ops);
	o->run.labels = LABELS_ALIGN_MAX;
	o->run.init = INIT_ZERO;
	o->run.eta_theory = true;
	o->run.eta_scale = 0.02;
}

static void fig1(struct opts *o)
{
	set_model(o, &model_linear_ops);
	o->run.labels = LABELS_GAUSSIAN;
	o->run.init = INIT_RANDOM;
	o->run.eta_theory = true;
	o->run.eta_scale = 0.5;
}

static void glm(struct opts *o)
{
	set_model(o, &model_glm_ops);
	o->run.eta_theory = true;
	o->run.eta_scale = 1;
}

static void lowrank(struct opts *o)
{
	set_model(o, &model_lowrank_ops);
	o->run.eta_theory = true;
	o->run.eta_scale = 1;
	o->steps = 200;
}

static void shallow(struct opts *o, int act, double eta)
{
	set_model(o, &model_shallow_ops);
	o->run.mcfg.act = act;
	o->run.mcfg.n = 100;
	o->run.mcfg.d = 20;
	o->run.mcfg.k = 20;
	o->run.eta_theory = false;
	o->run.eta = eta;
}

/* [OS19b] Sec. 4's experimental steps. */
static void softplus(struct opts *o)
{
	shallow(o, ACT_SOFTPLUS, 0.15);
}

static void relu(struct opts *o)
{
	shallow(o, ACT_RELU, 0.1);
}

/* [OS19b] Fig. 2 live: the sweep on the 12 × 12 even grid (k, d = 2, 4, …, 24), 5 trials a
 * cell, at n = 100 — the grid of the benchmark; --ks/--ds/--trials change it. The
 * trials shown run as fast as they go (the pool runs the sweep meanwhile). */
static void phase(struct opts *o, int act, double eta)
{
	shallow(o, act, eta);
	o->run.mcfg.k = o->run.mcfg.d = 0;
	o->sw.name = "phase";
	o->sw.nk = o->sw.nd = 12;
	for (size_t i = 0; i < 12; i++)
		o->sw.ks[i] = o->sw.ds[i] = 2 * (i + 1);
	o->sw.trials = 5;
	o->speed = 0; /* the trials as fast as they go: the map is the lesson */
	o->speed_auto = false;
}

static void phase_softplus(struct opts *o)
{
	phase(o, ACT_SOFTPLUS, 0.15);
}

static void phase_relu(struct opts *o)
{
	phase(o, ACT_RELU, 0.1);
}

static void du(struct opts *o)
{
	set_model(o, &model_du_ops);
	o->run.eta_theory = true;
	o->run.eta_scale = 1;
}

/* No theorem gives deep nets a step size; the fallback 1/(2β0²) is measured at θ0, and on
 * this path β grows about 2.6-fold (β0 ≈ 7.8 to β̂ ≈ 20), which puts η·β² near 2.6 by the
 * end: unstable, and the path jumps. A quarter of it keeps η·β̂² ≈ 0.85 all along. */
static void mlp(struct opts *o)
{
	set_model(o, &model_mlp_ops);
	o->run.eta_theory = true;
	o->run.eta_scale = 0.25;
}

/* [OS19] Sec. 6.1, Figs. 2 and 3a/b: LeNet on n Fashion-MNIST images, Adam η = 10⁻³,
 * minibatch 100, 1000 iterations. */
static void lenet(struct opts *o, size_t n)
{
	set_model(o, &model_lenet_ops);
	o->run.mcfg.n = n;
	o->run.ocfg.kind = OPT_ADAM;
	o->run.ocfg.minibatch = 100;
	o->run.eta_theory = false;
	o->run.eta = 1e-3;
	o->steps = 1000;
}

static void lenet500(struct opts *o)
{
	lenet(o, 500);
}

static void lenet5000(struct opts *o)
{
	lenet(o, 5000);
}

static const struct preset presets[] = {
    {"fig1-upper", "linear regression on the green line (Thm 2.4, y on the σ_min direction)", fig1_upper},
    {"fig1-lower", "linear regression on the red line (Thm 2.4, y on the σ_max direction)", fig1_lower},
    {"fig1", "linear regression from a random θ0: inside the green region (Fig. 1)", fig1},
    {"glm", "GLM converging to the closest optimum (Thm 4.1)", glm},
    {"lowrank", "low-rank regression, d = 100, r = 4, 200 steps at the theory step (Fig. 3c)", lowrank},
    {"softplus", "shallow softplus net, n = 100, d = k = 20, η = 0.15 ([OS19b] Sec. 4)", softplus},
    {"relu", "shallow ReLU net, n = 100, d = k = 20, η = 0.1 ([OS19b] Sec. 4)", relu},
    {"phase-softplus", "[OS19b] Fig. 2 live: success rate over (k, d), softplus, n = 100", phase_softplus},
    {"phase-relu", "[OS19b] Fig. 2 live: success rate over (k, d), ReLU, n = 100", phase_relu},
    {"du", "wide ReLU net of [Du18]: activation patterns barely change", du},
    {"mlp", "deep fully connected net: per-layer distances and path lengths, η = ¼ of 1/(2β0²)", mlp},
    {"lenet-500", "LeNet on 500 Fashion-MNIST images, Adam 1e-3, minibatch 100 ([OS19] Figs. 2, 3a)", lenet500},
    {"lenet-5000", "LeNet on 5000 Fashion-MNIST images, Adam 1e-3, minibatch 100 ([OS19] Figs. 2, 3b)", lenet5000},
};

size_t preset_count(void)
{
	return sizeof presets / sizeof presets[0];
}

const struct preset *preset_at(size_t i)
{
	return i < preset_count() ? &presets[i] : NULL;
}

const struct preset *preset_lookup(const char *name)
{
	for (size_t i = 0; i < preset_count(); i++)
		if (strcmp(presets[i].name, name) == 0)
			return &presets[i];
	return NULL;
}
