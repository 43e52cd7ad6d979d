/* band.h — [OS19] Fig. 2's band: per layer, the mean and standard deviation over
 * realizations of the normalized distance ‖W−W0‖_F/‖W0‖_F at fixed values of the normalized
 * misfit ‖r‖/r0 (the grid k/BAND_GRID, k = 1 … BAND_GRID). Built by sweep_layers.c from its
 * trials, read back from a band CSV or a trials CSV (merged shards) for `--batch --band`
 * and for the live view's overlay. GSL statistics; no curses. */
#ifndef GDPATH_BAND_H
#define GDPATH_BAND_H

#include <stddef.h>
#include <stdio.h>

#include "gdpath/model.h"

#define BAND_GRID 20

struct band {
	size_t nlayers, ntrials;
	char names[MODEL_MAX_LAYERS][32];
	double *vals;                          /* ntrials × nlayers × BAND_GRID (NAN: not reached) */
	size_t count[BAND_GRID];               /* trials that reached grid value g (all layers) */
	double mean[MODEL_MAX_LAYERS][BAND_GRID], sd[MODEL_MAX_LAYERS][BAND_GRID];
	char *meta;                            /* the source's # lines (trials files), or NULL */
};

/* Grid value k (0-based): (k + 1)/BAND_GRID. */
double band_grid(size_t k);
/* out[g] = the y of the first-passage curve of (nres, nd) (len points in time order) at
 * misfit band_grid(g), by linear interpolation; NAN where the run never got there. */
int band_interpolate(const double *nres, const double *nd, size_t len, double *out);

/* An empty band for ntrials trials of these layers; -1 if out of memory. */
int band_from_trials(struct band *b, size_t nlayers, const char *const *names, size_t ntrials);
void band_add(struct band *b, size_t trial, size_t layer, size_t g, double v);
/* Mean (gsl_stats_mean) and sd (gsl_stats_sd, n − 1) over the trials that reached each
 * grid value; NAN where none did (sd: where fewer than two). */
void band_reduce(struct band *b);
/* The header and one row per grid value: nresidual,trials,mean.L,sd.L,… */
void band_write(FILE *out, const struct band *b);
void band_release(struct band *b);

/* The index of the layer called name, or -1. */
int band_layer(const struct band *b, const char *name);

/* Read a band CSV or a trials CSV (reduced here). -1 with *cause "FILE:LINE: what". */
int band_read(const char *path, struct band *b, char **cause);

#endif
