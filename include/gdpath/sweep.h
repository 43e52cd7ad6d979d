/* sweep.h — headless sweeps (`gdpath --batch --sweep NAME`, SPEC §7): many independent
 * runs spread over the thread pool (pool.h), split over machines with --shard and joined
 * with --merge (shard.h). A sweep is one file src/sweep_NAME.c and one entry in the table
 * of sweep.c; the options every sweep shares live in struct sweep_opts (cli.h). */
#ifndef GDPATH_SWEEP_H
#define GDPATH_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct opts;

struct sweep {
	const char *name;
	const char *summary;
	/* Check the options (-1 and *cause: a usage error) before anything runs. */
	int (*validate)(const struct opts *o, char **cause);
	/* Run and write the CSV; returns the exit status (messages on stderr). */
	int (*batch)(const struct opts *o);
};

const struct sweep *sweep_lookup(const char *name);
size_t sweep_count(void);
const struct sweep *sweep_at(size_t i);

/* A list of whole numbers in [1, max]: "START:END[:STEP]" or "a,b,c" (increasing or not,
 * no repeats). -1 with *cause (naming --opt and quoting arg) for an empty range, a zero,
 * junk, or more than cap values. */
int sweep_parse_list(const char *opt, const char *arg, size_t max, size_t *vals, size_t cap,
		     size_t *count, char **cause);
/* The list as "a,b,c" (the canonical form written in metadata). */
void sweep_write_list(FILE *out, const size_t *vals, size_t count);

/* A number in the shortest form that reads back exactly (%.15g, else %.17g), C locale;
 * nan and inf spelled so. */
void sweep_num(FILE *out, double v);

/* The progress line on stderr, only when stderr is a terminal: "what: done/total, ETA". */
struct sweep_progress {
	bool tty;
	double t0, last;
	const char *what;
};
void sweep_progress_start(struct sweep_progress *p, const char *what);
void sweep_progress_show(struct sweep_progress *p, size_t done, size_t total, const char *unit);
void sweep_progress_end(struct sweep_progress *p);

/* SIGINT / SIGTERM / SIGHUP set a flag instead of killing the process, so a sweep can
 * cancel its pool and remove its temporary output; sweep_interrupted() reads it. */
void sweep_catch_signals(void);
int sweep_interrupted(void); /* the signal number, or 0 */

/* `gdpath --merge FILE...`: the shards joined into o->output (atomically) or stdout. */
int sweep_merge_main(const struct opts *o);

extern const struct sweep sweep_phase, sweep_eta, sweep_layers;

/* `gdpath --batch --band FILE`: the band of a trials CSV (merged shards) or a band CSV. */
int layers_band_main(const struct opts *o);

#endif
