/* cli.c — getopt_long over SPEC §8's options; every value is checked here so that a
 * wrong one is a one-line message and exit status 2, never a crash later. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gdpath/act.h"
#include "gdpath/cli.h"
#include "gdpath/data.h"
#include "gdpath/optim.h"
#include "gdpath/pool.h"
#include "gdpath/preset.h"
#include "gdpath/sweep.h"
#include "gdpath/theme.h"
#include "gdpath/theory.h"
#include "gdpath/userconf.h"
#include "gdpath/util.h"

enum {
	OPT_DEPTH = 256,
	OPT_GAMMA,
	OPT_TRAIN_OUTPUT,
	OPT_LABELS,
	OPT_INIT,
	OPT_SAVE_INIT,
	OPT_DATA,
	OPT_SAVE_DATA,
	OPT_MINIBATCH,
	OPT_BETA1,
	OPT_BETA2,
	OPT_ADAM_EPS,
	OPT_SPECTRUM_EVERY,
	OPT_MEASURE_EVERY,
	OPT_PRESET,
	OPT_BATCH,
	OPT_STEPS,
	OPT_EVERY,
	OPT_SNAPSHOT,
	OPT_SIZE,
	OPT_THEME,
	OPT_ASCII,
	OPT_FPS,
	OPT_SPEED,
	OPT_LIST,
	OPT_SWEEP,
	OPT_KS,
	OPT_DS,
	OPT_TRIALS,
	OPT_TOL,
	OPT_MAX_STEPS,
	OPT_JOBS,
	OPT_SHARD,
	OPT_MERGE,
	OPT_ETA_RANGE,
	OPT_ETA_COUNT,
	OPT_RECORD,
	OPT_REPLAY,
	OPT_CAST,
	OPT_PAUSED,
	OPT_EXPORT_DIR,
	OPT_BAND,
};

static const struct option longopts[] = {
    {"model", required_argument, NULL, 'm'},
    {"samples", required_argument, NULL, 'n'},
    {"dim", required_argument, NULL, 'd'},
    {"width", required_argument, NULL, 'k'},
    {"rank", required_argument, NULL, 'r'},
    {"depth", required_argument, NULL, OPT_DEPTH},
    {"activation", required_argument, NULL, 'a'},
    {"gamma", required_argument, NULL, OPT_GAMMA},
    {"train-output", no_argument, NULL, OPT_TRAIN_OUTPUT},
    {"labels", required_argument, NULL, OPT_LABELS},
    {"init", required_argument, NULL, OPT_INIT},
    {"save-init", required_argument, NULL, OPT_SAVE_INIT},
    {"data", required_argument, NULL, OPT_DATA},
    {"save-data", required_argument, NULL, OPT_SAVE_DATA},
    {"optimizer", required_argument, NULL, 'O'},
    {"minibatch", required_argument, NULL, OPT_MINIBATCH},
    {"beta1", required_argument, NULL, OPT_BETA1},
    {"beta2", required_argument, NULL, OPT_BETA2},
    {"adam-eps", required_argument, NULL, OPT_ADAM_EPS},
    {"eta", required_argument, NULL, 'e'},
    {"seed", required_argument, NULL, 's'},
    {"spectrum-every", required_argument, NULL, OPT_SPECTRUM_EVERY},
    {"measure-every", required_argument, NULL, OPT_MEASURE_EVERY},
    {"preset", required_argument, NULL, OPT_PRESET},
    {"batch", no_argument, NULL, OPT_BATCH},
    {"steps", required_argument, NULL, OPT_STEPS},
    {"every", required_argument, NULL, OPT_EVERY},
    {"output", required_argument, NULL, 'o'},
    {"snapshot", no_argument, NULL, OPT_SNAPSHOT},
    {"size", required_argument, NULL, OPT_SIZE},
    {"theme", required_argument, NULL, OPT_THEME},
    {"ascii", no_argument, NULL, OPT_ASCII},
    {"fps", required_argument, NULL, OPT_FPS},
    {"paused", no_argument, NULL, OPT_PAUSED},
    {"export-dir", required_argument, NULL, OPT_EXPORT_DIR},
    {"speed", required_argument, NULL, OPT_SPEED},
    {"list", required_argument, NULL, OPT_LIST},
    {"sweep", required_argument, NULL, OPT_SWEEP},
    {"ks", required_argument, NULL, OPT_KS},
    {"ds", required_argument, NULL, OPT_DS},
    {"trials", required_argument, NULL, OPT_TRIALS},
    {"tol", required_argument, NULL, OPT_TOL},
    {"max-steps", required_argument, NULL, OPT_MAX_STEPS},
    {"jobs", required_argument, NULL, OPT_JOBS},
    {"shard", required_argument, NULL, OPT_SHARD},
    {"merge", no_argument, NULL, OPT_MERGE},
    {"eta-range", required_argument, NULL, OPT_ETA_RANGE},
    {"eta-count", required_argument, NULL, OPT_ETA_COUNT},
    {"record", required_argument, NULL, OPT_RECORD},
    {"replay", required_argument, NULL, OPT_REPLAY},
    {"cast", required_argument, NULL, OPT_CAST},
    {"band", required_argument, NULL, OPT_BAND},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};
static const char shortopts[] = "m:n:d:k:r:a:O:e:s:o:hV";

int cli_opt_code(const char *long_name)
{
	for (size_t i = 0; longopts[i].name; i++)
		if (strcmp(longopts[i].name, long_name) == 0)
			return longopts[i].val;
	return -1;
}

const char *const *cli_long_options(void)
{
	static const char *names[sizeof longopts / sizeof longopts[0]];
	for (size_t i = 0; longopts[i].name; i++)
		names[i] = longopts[i].name;
	return names;
}

void cli_usage(FILE *out)
{
	fputs("Usage: gdpath [OPTION]...\n"
	      "Watch gradient descent train an over-parameterized model, live in the terminal,\n"
	      "inside the bounds the theory proves: misfit against distance from the start,\n"
	      "loss against its guaranteed rate, and per-layer path lengths.\n"
	      "\n"
	      "Model and data:\n"
	      "  -m, --model NAME        linear, glm, lowrank, shallow, rf, du, mlp, lenet (default\n"
	      "                          linear)\n"
	      "  -n, --samples N         number of data points n\n"
	      "  -d, --dim D             input dimension d (matrix side for lowrank)\n"
	      "  -k, --width K           hidden units k (m for du, layer width for mlp)\n"
	      "  -r, --rank R            rank r for lowrank\n"
	      "      --depth L           layers for mlp\n"
	      "  -a, --activation NAME   softplus, relu, leaky, tanh, sigmoid, quadratic, linear\n"
	      "      --gamma G           add a linear part: (1-G)*phi(z) + G*z, 0 <= G <= 1\n"
	      "      --train-output      shallow: train the output layer v too\n"
	      "      --labels KIND       gaussian, rademacher, align-min, align-max, planted\n"
	      "      --init KIND|FILE    random (default), zero, or a file of p numbers\n"
	      "      --save-init FILE    write theta0, one number a line\n"
	      "      --data FILE|DIR     read samples from CSV (last column the label), or for\n"
	      "                          lenet a directory of MNIST-format IDX files (default\n"
	      "                          /usr/share/datasets/fashion-mnist)\n"
	      "      --save-data FILE    write the samples as CSV\n"
	      "\n"
	      "Optimizer:\n"
	      "  -O, --optimizer NAME    gd, sgd, momentum, nesterov, adam, flow (default gd)\n"
	      "  -e, --eta X|theory      step size, or the model's theory step (default theory)\n"
	      "      --minibatch B       sgd: samples per step (default 1); adam: a minibatch\n"
	      "                          of B samples per step (default: all)\n"
	      "      --beta1 B, --beta2 B, --adam-eps E\n"
	      "                          momentum and Adam constants (0.9, 0.999, 1e-8)\n"
	      "  -s, --seed S            all randomness (default 1)\n"
	      "      --spectrum-every N  alpha, beta every N steps (default 0: automatic)\n"
	      "      --measure-every N   minibatch steps of lenet: the misfit on all n samples\n"
	      "                          and the class errors every N steps (0: automatic)\n"
	      "      --preset NAME       a paper's figure; later options override it\n"
	      "\n"
	      "Output:\n"
	      "      --batch             no screen: CSV on stdout (or -o FILE)\n"
	      "      --steps N           steps to run (--batch, --snapshot: default 1000; the\n"
	      "                          visualizer pauses there)\n"
	      "      --every N           --batch: a row every N steps (default 1)\n"
	      "  -o, --output FILE       --batch: write the CSV to FILE\n"
	      "      --snapshot          print the screen after --steps as text\n"
	      "      --size COLSxROWS    --snapshot: screen size (default 100x30)\n"
	      "      --theme NAME|FILE   default, light, mono, cvd, projector, or a file\n"
	      "      --ascii             ASCII plots instead of braille\n"
	      "      --fps N             redraws per second at most (default 30)\n"
	      "      --speed N           optimizer steps per second at most (default: a pace at\n"
	      "                          which the misfit reaches 1%% of r0 in about 6 s; 0: as\n"
	      "                          many as fit in each frame)\n"
	      "      --paused            start the visualizer paused (space runs)\n"
	      "      --export-dir DIR    where x writes its CSV files (default: the current\n"
	      "                          directory)\n"
	      "      --list WHAT         models, optimizers, activations, presets, overlays,\n"
	      "                          themes, sweeps\n"
	      "\n"
	      "Sweeps (with --batch; one CSV row per cell or step size):\n"
	      "      --sweep NAME        phase: the success rate over (k, d), [OS19b] Fig. 2\n"
	      "                          eta: step-size range test around 2/beta0^2\n"
	      "      --ks LIST, --ds LIST\n"
	      "                          widths and dimensions: START:END[:STEP] or a,b,c\n"
	      "                          (default 1:25 each)\n"
	      "      --trials T          independent trials per cell (default 10)\n"
	      "      --tol X             phase: success when |f-y|/|y| < X (default 0.0025);\n"
	      "                          eta: converged when misfit/r0 <= X (default 1e-6)\n"
	      "      --max-steps N       steps before a trial counts as failed (default 15000)\n"
	      "      --eta-range LO:HI   eta: the step sizes' range (default 2/beta0^2 x 1/64..4)\n"
	      "      --eta-count K       eta: how many step sizes, log-spaced (default 25)\n"
	      "      --jobs N            threads (default: the number of cores); same output\n"
	      "      --shard i/N         compute only shard i of N (every N-th cell or row)\n"
	      "      --merge FILE...     join the shards' CSVs into the single run's CSV\n"
	      "\n"
	      "Realizations ([OS19] Fig. 2; --trials without --sweep):\n"
	      "      --trials N          with --batch: N runs (seeds S, S+1 ...), per layer\n"
	      "                          the mean and sd of the normalized distance at fixed\n"
	      "                          normalized misfit (--jobs, --shard as above)\n"
	      "      --band FILE         the band of a --trials run (or its merged shards):\n"
	      "                          with --batch, write it; else draw it behind the run\n"
	      "\n"
	      "Recordings:\n"
	      "      --record FILE       write the session (options, seed, keys and their steps)\n"
	      "      --replay FILE       play a recording back, step for step\n"
	      "      --cast FILE         also write the screen as an asciicast v2 file\n"
	      "  -h, --help              show this help and exit\n"
	      "  -V, --version           show the version and exit\n"
	      "\n"
	      "Exit status: 0 done, 1 data or I/O error (or an unreadable --merge file),\n"
	      "2 usage error (or shards that do not match), 3 a run diverged (loss not\n"
	      "finite, or over 1000 times the initial loss), 128+N signal N.\n"
	      "Keys in the visualizer: press ? for the list.\n",
	      out);
}

static void print_version(void)
{
	printf("gdpath %s\n"
	       "Copyright (C) 2026 the gdpath authors.\n"
	       "License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n"
	       "This is free software: you are free to change and redistribute it.\n"
	       "There is NO WARRANTY, to the extent permitted by law.\n",
	       PACKAGE_VERSION);
}

static int print_list(const char *what, char **cause)
{
	if (strcmp(what, "models") == 0) {
		for (size_t i = 0; i < model_count(); i++)
			printf("%-10s %s\n", model_at(i)->name, model_at(i)->summary);
	} else if (strcmp(what, "optimizers") == 0) {
		for (int i = 0; i < OPT_COUNT; i++)
			printf("%-10s %s\n", optim_name(i), optim_summary(i));
	} else if (strcmp(what, "activations") == 0) {
		for (int i = 0; i < ACT_COUNT; i++)
			printf("%s\n", act_name(i));
	} else if (strcmp(what, "presets") == 0) {
		for (size_t i = 0; i < preset_count(); i++)
			printf("%-14s %s\n", preset_at(i)->name, preset_at(i)->summary);
	} else if (strcmp(what, "options") == 0) {
		/* not in --help: for the documentation tests */
		for (size_t i = 0; longopts[i].name; i++)
			printf("%s\n", longopts[i].name);
	} else if (strcmp(what, "sweeps") == 0) {
		for (size_t i = 0; i < sweep_count(); i++)
			printf("%-10s %s\n", sweep_at(i)->name, sweep_at(i)->summary);
	} else if (strcmp(what, "overlays") == 0) {
		for (int i = 0; i < OV_COUNT; i++)
			printf("%-16s %-30s %s\n", theory_overlay(i)->name, theory_overlay(i)->legend,
			       theory_overlay(i)->when);
	} else if (strcmp(what, "themes") == 0) {
		char **names = theme_list();
		for (size_t i = 0; names && names[i]; i++)
			puts(names[i]);
		theme_strv_free(names);
	} else {
		*cause = xasprintf("--list: unknown list '%s' (models, optimizers, activations, presets, overlays, themes, sweeps)",
				   what);
		return -1;
	}
	return 0;
}

static const char *optname(int c)
{
	static char buf[4];
	for (size_t i = 0; longopts[i].name; i++)
		if (longopts[i].val == c)
			return longopts[i].name;
	snprintf(buf, sizeof buf, "%c", c);
	return buf;
}

/* A size option: a whole number in [1, 1e9]. */
static int want_size(int c, const char *arg, size_t *out, char **cause)
{
	size_t v;
	if (parse_size(arg, &v) != 0 || v < 1 || v > 1000000000) {
		*cause = xasprintf("--%s: '%s' is not a whole number from 1 to 1000000000", optname(c), arg);
		return -1;
	}
	*out = v;
	return 0;
}

static int want_double(int c, const char *arg, double lo, double hi, bool lo_open, double *out,
		       char **cause)
{
	double v;
	if (parse_double(arg, &v) != 0 || v < lo || v > hi || (lo_open && v == lo)) {
		*cause = xasprintf("--%s: '%s' is not a number in %s%g, %g]", optname(c), arg,
				   lo_open ? "(" : "[", lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

static int want_long(int c, const char *arg, long lo, long hi, long *out, char **cause)
{
	long v;
	if (parse_long(arg, &v) != 0 || v < lo || v > hi) {
		*cause = xasprintf("--%s: '%s' is not a whole number from %ld to %ld", optname(c), arg,
				   lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_eta(const char *arg, struct opts *o, char **cause)
{
	if (strcmp(arg, "theory") == 0) {
		o->run.eta_theory = true;
		o->run.eta_scale = 1;
		return 0;
	}
	double v;
	if (parse_double(arg, &v) != 0 || !(v > 0) || v > 1e12) {
		*cause = xasprintf("--eta: '%s' is not a positive finite step size (or 'theory')", arg);
		return -1;
	}
	o->run.eta = v;
	o->run.eta_theory = false;
	return 0;
}

static int parse_size_arg(const char *arg, struct opts *o, char **cause)
{
	char *end, *end2;
	errno = 0;
	long cols = isdigit((unsigned char)arg[0]) ? strtol(arg, &end, 10) : -1, rows = -1;
	if (cols > 0 && (*end == 'x' || *end == 'X') && isdigit((unsigned char)end[1]))
		rows = strtol(end + 1, &end2, 10);
	if (errno != 0 || rows < 1 || *end2 != '\0' || cols > 10000 || rows > 10000) {
		*cause = xasprintf("--size: '%s' is not COLSxROWS (for example 100x30)", arg);
		return -1;
	}
	o->cols = (int)cols;
	o->rows = (int)rows;
	return 0;
}

static void opts_default(struct opts *o)
{
	memset(o, 0, sizeof *o);
	run_cfg_default(&o->run);
	o->mode = MODE_TUI;
	o->steps = -1;
	o->every = 1;
	o->fps = 30;
	o->speed = 60;
	o->speed_auto = true;
	o->cols = 100;
	o->rows = 30;
	o->preset = NULL;
	o->sw.tol = NAN;
	shard_whole(&o->sw.shard);
}

/* --eta-range LO:HI, two positive step sizes, LO < HI. */
static int parse_eta_range(const char *arg, struct opts *o, char **cause)
{
	char buf[128];
	const char *colon = strchr(arg, ':');
	double lo, hi;
	if (strlen(arg) >= sizeof buf || colon == NULL)
		goto bad;
	memcpy(buf, arg, (size_t)(colon - arg));
	buf[colon - arg] = '\0';
	if (parse_double(buf, &lo) != 0 || parse_double(colon + 1, &hi) != 0 || !(lo > 0) ||
	    !(hi > lo) || hi > 1e12)
		goto bad;
	o->sw.eta_lo = lo;
	o->sw.eta_hi = hi;
	return 0;
bad:
	*cause = xasprintf("--eta-range: '%s' is not LO:HI with 0 < LO < HI (for example 0.01:2)", arg);
	return -1;
}

static int handle(int c, const char *arg, struct opts *o, char **cause)
{
	struct run_cfg *rc = &o->run;
	long l;
	if (c >= 0 && c < CLI_MAX_OPT)
		o->given[c] = true;
	switch (c) {
	case 'm':
		if ((rc->ops = model_lookup(arg)) == NULL) {
			*cause = xasprintf("--model: unknown model '%s' (try --list models)", arg);
			return -1;
		}
		return 0;
	case 'n':
		return want_size(c, arg, &rc->mcfg.n, cause);
	case 'd':
		return want_size(c, arg, &rc->mcfg.d, cause);
	case 'k':
		return want_size(c, arg, &rc->mcfg.k, cause);
	case 'r':
		return want_size(c, arg, &rc->mcfg.r, cause);
	case OPT_DEPTH:
		if (want_size(c, arg, &rc->mcfg.depth, cause) != 0)
			return -1;
		if (rc->mcfg.depth > MODEL_MAX_LAYERS) {
			*cause = xasprintf("--depth: at most %d layers", MODEL_MAX_LAYERS);
			return -1;
		}
		return 0;
	case 'a':
		if ((rc->mcfg.act = act_lookup(arg)) < 0) {
			*cause = xasprintf("--activation: unknown activation '%s' (try --list activations)",
					   arg);
			return -1;
		}
		return 0;
	case OPT_GAMMA:
		return want_double(c, arg, 0, 1, false, &rc->mcfg.gamma, cause);
	case OPT_TRAIN_OUTPUT:
		rc->mcfg.train_output = true;
		return 0;
	case OPT_LABELS:
		if ((rc->labels = labels_lookup(arg)) < 0) {
			*cause = xasprintf("--labels: unknown kind '%s' (gaussian, rademacher, align-min, align-max, planted)",
					   arg);
			return -1;
		}
		return 0;
	case OPT_INIT:
		if (strcmp(arg, "random") == 0) {
			rc->init = INIT_RANDOM;
		} else if (strcmp(arg, "zero") == 0) {
			rc->init = INIT_ZERO;
		} else if (*arg == '\0') {
			*cause = xstrdup("--init: give random, zero or a file name");
			return -1;
		} else {
			rc->init = INIT_FILE;
			rc->init_file = arg;
		}
		return 0;
	case OPT_SAVE_INIT:
		rc->save_init = arg;
		return 0;
	case OPT_DATA:
		rc->data_file = arg;
		return 0;
	case OPT_SAVE_DATA:
		rc->save_data = arg;
		return 0;
	case 'O':
		if ((rc->ocfg.kind = optim_lookup(arg)) < 0) {
			*cause = xasprintf("--optimizer: unknown optimizer '%s' (try --list optimizers)", arg);
			return -1;
		}
		return 0;
	case OPT_MINIBATCH:
		return want_size(c, arg, &rc->ocfg.minibatch, cause);
	case OPT_BETA1:
		return want_double(c, arg, 0, 0.999999, false, &rc->ocfg.beta1, cause);
	case OPT_BETA2:
		return want_double(c, arg, 0, 0.999999999, false, &rc->ocfg.beta2, cause);
	case OPT_ADAM_EPS:
		return want_double(c, arg, 0, 1, true, &rc->ocfg.eps, cause);
	case 'e':
		return parse_eta(arg, o, cause);
	case 's':
		if (want_long(c, arg, 0, 4294967295L, &l, cause) != 0)
			return -1;
		rc->seed = (unsigned long)l;
		return 0;
	case OPT_SPECTRUM_EVERY:
		return want_long(c, arg, 0, 1000000000L, &rc->spectrum_every, cause);
	case OPT_MEASURE_EVERY:
		return want_long(c, arg, 0, 1000000000L, &rc->measure_every, cause);
	case OPT_BATCH:
		if (o->mode != MODE_MERGE)
			o->mode = MODE_BATCH;
		return 0;
	case OPT_STEPS:
		return want_long(c, arg, 0, 1000000000000L, &o->steps, cause);
	case OPT_EVERY:
		return want_long(c, arg, 1, 1000000000000L, &o->every, cause);
	case 'o':
		o->output = arg;
		return 0;
	case OPT_SNAPSHOT:
		if (o->mode != MODE_MERGE)
			o->mode = MODE_SNAPSHOT;
		return 0;
	case OPT_SIZE:
		return parse_size_arg(arg, o, cause);
	case OPT_THEME:
		o->theme = arg;
		return 0;
	case OPT_ASCII:
		o->ascii = true;
		return 0;
	case OPT_PAUSED:
		o->paused = true;
		return 0;
	case OPT_EXPORT_DIR:
		if (arg[0] == '\0') {
			*cause = xstrdup("--export-dir: an empty directory name");
			return -1;
		}
		o->export_dir = arg;
		return 0;
	case OPT_SPEED:
		o->speed_auto = false;
		return want_double(c, arg, 0, 1e9, false, &o->speed, cause);
	case OPT_FPS:
		if (want_long(c, arg, 1, 1000, &l, cause) != 0)
			return -1;
		o->fps = (int)l;
		return 0;
	case OPT_SWEEP:
		if (sweep_lookup(arg) == NULL) {
			*cause = xasprintf("--sweep: unknown sweep '%s' (try --list sweeps)", arg);
			return -1;
		}
		o->sw.name = sweep_lookup(arg)->name;
		return 0;
	case OPT_KS:
		return sweep_parse_list("ks", arg, 100000, o->sw.ks, SWEEP_MAX_VALUES, &o->sw.nk, cause);
	case OPT_DS:
		return sweep_parse_list("ds", arg, 100000, o->sw.ds, SWEEP_MAX_VALUES, &o->sw.nd, cause);
	case OPT_TRIALS:
		return want_long(c, arg, 1, 1000000, &o->sw.trials, cause);
	case OPT_TOL:
		if (parse_double(arg, &o->sw.tol) != 0 || !(o->sw.tol > 0 && o->sw.tol < 1)) {
			*cause = xasprintf("--tol: '%s' is not a number strictly between 0 and 1", arg);
			return -1;
		}
		return 0;
	case OPT_MAX_STEPS:
		return want_long(c, arg, 1, 1000000000L, &o->sw.max_steps, cause);
	case OPT_JOBS:
		if (want_long(c, arg, 1, POOL_MAX_JOBS, &l, cause) != 0)
			return -1;
		o->sw.jobs = (int)l;
		return 0;
	case OPT_SHARD:
		return shard_parse(arg, &o->sw.shard, cause);
	case OPT_ETA_RANGE:
		return parse_eta_range(arg, o, cause);
	case OPT_ETA_COUNT:
		return want_long(c, arg, 2, 10000, &o->sw.eta_count, cause);
	case OPT_RECORD:
	case OPT_REPLAY:
	case OPT_CAST:
		if (*arg == '\0') {
			*cause = xasprintf("--%s: give a file name", optname(c));
			return -1;
		}
		*(c == OPT_RECORD ? &o->record : c == OPT_REPLAY ? &o->replay : &o->cast) = arg;
		return 0;
	case OPT_BAND:
		o->band = arg;
		return 0;
	case OPT_MERGE:
		o->mode = MODE_MERGE;
		return 0;
	}
	*cause = xasprintf("unhandled option %d", c);
	return -1;
}

/* An option given for a model or optimizer that does not use it. */
static int unused(const struct opts *o, int c, bool used, const char *who, char **cause)
{
	if (o->given[c] && !used) {
		*cause = xasprintf("--%s: %s does not use it", optname(c), who);
		return -1;
	}
	return 0;
}

/* --record and --cast write what the screen does: the visualizer or --snapshot; --replay
 * reads one, and takes the options from it (so no model options beside it). */
static int validate_record(const struct opts *o, char **cause)
{
	static const int replay_ok[] = {OPT_REPLAY, OPT_CAST, OPT_SNAPSHOT, OPT_SIZE, OPT_THEME,
					OPT_ASCII, OPT_FPS};
	if ((o->record || o->replay || o->cast) && o->mode == MODE_BATCH) {
		*cause = xasprintf("--%s: not with --batch (it records the screen)",
				   o->record ? "record" : o->replay ? "replay" : "cast");
		return -1;
	}
	if (o->record && o->replay) {
		*cause = xstrdup("--record and --replay: choose one");
		return -1;
	}
	if (o->replay) {
		for (int c = 0; c < CLI_MAX_OPT; c++) {
			bool ok = false;
			for (size_t i = 0; i < sizeof replay_ok / sizeof replay_ok[0]; i++)
				ok |= replay_ok[i] == c;
			if (o->given[c] && !ok) {
				*cause = xasprintf("--%s: not with --replay (the recording holds the options)",
						   optname(c));
				return -1;
			}
		}
	}
	return 0;
}

/* Cross-option checks once everything is read. */
/* --merge takes files and -o only; sweep options need --sweep; --sweep needs --batch. */
static int validate_sweep(struct opts *o, char **cause)
{
	static const int sweep_only[] = {OPT_KS, OPT_DS, OPT_TRIALS, OPT_TOL, OPT_MAX_STEPS,
					 OPT_JOBS, OPT_SHARD, OPT_ETA_RANGE, OPT_ETA_COUNT};
	if (o->mode == MODE_MERGE) {
		for (int c = 0; c < CLI_MAX_OPT; c++)
			if (o->given[c] && c != OPT_MERGE && c != 'o') {
				*cause = xasprintf("--merge: takes the shard files and -o FILE only, not --%s",
						   optname(c));
				return -1;
			}
		if (o->nmerge == 0) {
			*cause = xstrdup("--merge: give the shard files to join");
			return -1;
		}
		return 0;
	}
	/* --trials alone: the realizations of [OS19] Fig. 2 (sweep_layers.c) */
	if (o->sw.name == NULL && o->given[OPT_TRIALS] && !o->given[OPT_SWEEP]) {
		if (o->mode != MODE_BATCH) {
			*cause = xstrdup("--trials: only with --batch (draw the result with --band FILE)");
			return -1;
		}
		o->sw.name = "layers";
	}
	if (o->sw.name == NULL) {
		for (size_t i = 0; i < sizeof sweep_only / sizeof sweep_only[0]; i++)
			if (o->given[sweep_only[i]]) {
				*cause = xasprintf("--%s: only with --sweep", optname(sweep_only[i]));
				return -1;
			}
		return 0;
	}
	if (o->mode != MODE_BATCH && o->given[OPT_SWEEP]) {
		*cause = xstrdup("--sweep: only with --batch (the presets phase-softplus and phase-relu show the phase sweep live, key E the eta sweep)");
		return -1;
	}
	if (strcmp(o->sw.name, "eta") != 0)
		for (int c = OPT_ETA_RANGE; c <= OPT_ETA_COUNT; c++)
			if (o->given[c]) {
				*cause = xasprintf("--%s: only with --sweep eta", optname(c));
				return -1;
			}
	return sweep_lookup(o->sw.name)->validate(o, cause);
}

static int validate(struct opts *o, char **cause)
{
	if (o->given[OPT_TRIALS] && !o->given[OPT_SWEEP] && o->mode != MODE_MERGE)
		return validate_sweep(o, cause);
	if (o->mode == MODE_MERGE || o->sw.name)
		return validate_sweep(o, cause) || validate_record(o, cause) ? -1 : 0;
	if (validate_sweep(o, cause) != 0)
		return -1;
	struct run_cfg *rc = &o->run;
	const struct model_ops *m = rc->ops;
	int k = rc->ocfg.kind;
	char model[64], optim[64];
	snprintf(model, sizeof model, "model %s", m->name);
	snprintf(optim, sizeof optim, "optimizer %s", optim_name(k));
	bool wide = m == &model_shallow_ops || m == &model_rf_ops || m == &model_du_ops || m == &model_mlp_ops;
	if (unused(o, 'k', wide, model, cause) || unused(o, 'r', m == &model_lowrank_ops, model, cause) ||
	    unused(o, OPT_DEPTH, m == &model_mlp_ops, model, cause) ||
	    unused(o, OPT_TRAIN_OUTPUT, m == &model_shallow_ops, model, cause) ||
	    unused(o, OPT_GAMMA, m->has_act, model, cause) ||
	    unused(o, OPT_LABELS, !m->images, model, cause) ||
	    unused(o, OPT_MINIBATCH, k == OPT_SGD || k == OPT_ADAM, optim, cause) ||
	    unused(o, OPT_BETA1, k == OPT_MOMENTUM || k == OPT_NESTEROV || k == OPT_ADAM, optim, cause) ||
	    unused(o, OPT_BETA2, k == OPT_ADAM, optim, cause) ||
	    unused(o, OPT_ADAM_EPS, k == OPT_ADAM, optim, cause))
		return -1;
	/* A preset's sizes and labels give way to a data file's (the user's own win); image
	 * models draw their n images from the files, so n stays. */
	struct stat dst;
	bool idx_dir = rc->data_file && stat(rc->data_file, &dst) == 0 && S_ISDIR(dst.st_mode);
	if (rc->data_file && !m->images && !idx_dir) {
		if (!o->given[OPT_LABELS])
			rc->labels = -1;
		if (!o->given['n'])
			rc->mcfg.n = 0;
		if (!o->given['d'])
			rc->mcfg.d = 0;
	}
	if (rc->ops == &model_rf_ops && rc->init != INIT_RANDOM) {
		*cause = xstrdup("--init: model rf draws its fixed W0 with the random init; only --init random");
		return -1;
	}
	if (m->no_spectrum && rc->eta_theory) {
		*cause = xasprintf("model %s has no theory step size (its Jacobian spectrum is not "
				   "computed): give --eta", m->name);
		return -1;
	}
	if (o->given['a'] && !rc->ops->has_act) {
		*cause = xasprintf("--activation: model %s has no activation to choose", rc->ops->name);
		return -1;
	}
	if (rc->data_file && o->given[OPT_LABELS]) {
		*cause = xstrdup("--labels: the labels come from --data; give one or the other");
		return -1;
	}
	if (o->output && o->mode != MODE_BATCH) {
		*cause = xstrdup("--output: only with --batch");
		return -1;
	}
	/* An output that is one of the inputs would be read while it is replaced. */
	const char *outs[] = {o->output, rc->save_data, rc->save_init};
	const char *out_names[] = {"--output", "--save-data", "--save-init"};
	for (size_t i = 0; i < 3; i++) {
		const char *in = same_file(outs[i], rc->data_file) ? "--data"
				 : rc->init == INIT_FILE && same_file(outs[i], rc->init_file) ? "--init"
											 : NULL;
		if (in != NULL) {
			char *q = str_quote(outs[i]);
			*cause = xasprintf("%s: %s is the %s file; write to another file", out_names[i],
					   q, in);
			free(q);
			return -1;
		}
	}
	if (o->given[OPT_EVERY] && o->mode != MODE_BATCH) {
		*cause = xstrdup("--every: only with --batch");
		return -1;
	}
	if (o->given[OPT_SIZE] && o->mode != MODE_SNAPSHOT) {
		*cause = xstrdup("--size: only with --snapshot (the visualizer uses the terminal's size)");
		return -1;
	}
	return validate_record(o, cause);
}

int cli_parse(int argc, char **argv, struct opts *o, char **cause)
{
	opts_default(o);
	*cause = NULL;
	int c;
	/* Pass 1: --help, --version, and the preset. Then the user's config file, then the
	 * preset, then pass 2: each later source overrides the earlier ones. */
	const struct preset *preset = NULL;
	bool batch = false, snapshot = false, merge = false, recorded = false;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == 'h') {
			cli_usage(stdout);
			return 1;
		}
		if (c == 'V') {
			print_version();
			return 1;
		}
		batch |= c == OPT_BATCH;
		merge |= c == OPT_MERGE;
		snapshot |= c == OPT_SNAPSHOT;
		recorded |= c == OPT_RECORD || c == OPT_REPLAY;
		if (c == OPT_PRESET && (preset = preset_lookup(optarg)) == NULL) {
			*cause = xasprintf("--preset: unknown preset '%s' (try --list presets)", optarg);
			return -1;
		}
	}
	if (merge && (batch || snapshot)) {
		*cause = xasprintf("--merge: not with %s", batch ? "--batch" : "--snapshot");
		return -1;
	}
	if (batch && snapshot) {
		*cause = xstrdup("--batch and --snapshot: choose one");
		return -1;
	}
	/* The config file holds the user's defaults for the visualizer; --batch and --snapshot
	 * output depends on the command line alone, so scripts and docs are reproducible. */
	char *conf = batch || snapshot || merge || recorded ? NULL : userconf_path();
	int conf_rc = conf ? userconf_apply_flags(o, conf, preset ? USERCONF_SKIP_PRESET : 0, cause) : 0;
	free(conf);
	if (conf_rc != 0)
		return -1;
	if (preset != NULL) {
		o->preset = preset->name;
		preset->apply(o);
	}
	/* Pass 2: everything else, with getopt's own messages replaced by ours. */
	optind = 1;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == '?') {
			bool known = false;
			for (size_t i = 0; optopt && longopts[i].name; i++)
				known |= longopts[i].val == optopt;
			if (known)
				*cause = xasprintf("option '%s' needs a value", argv[optind - 1]);
			else if (optopt)
				*cause = xasprintf("unknown option '-%c'", optopt);
			else
				*cause = xasprintf("unknown option '%s'", argv[optind - 1]);
			return -1;
		}
		if (c == ':') {
			*cause = xasprintf("option '%s' needs a value", argv[optind - 1]);
			return -1;
		}
		if (c == OPT_PRESET || c == 'h' || c == 'V')
			continue;
		if (c == OPT_LIST) {
			if (print_list(optarg, cause) != 0)
				return -1;
			return 1;
		}
		if (handle(c, optarg, o, cause) != 0)
			return -1;
	}
	if (o->mode == MODE_MERGE) {
		o->merge_files = argv + optind;
		o->nmerge = (size_t)(argc - optind);
	} else if (optind < argc) {
		*cause = xasprintf("unexpected argument '%s'", argv[optind]);
		return -1;
	}
	if (validate(o, cause) != 0)
		return -1;
	/* The visualizer runs on unless --steps was given (then it pauses there). */
	if (o->steps < 0 && o->mode != MODE_TUI)
		o->steps = 1000;
	return 0;
}
