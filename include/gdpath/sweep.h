/* sweep.h — headless sweeps (`gdpath --batch --sweep NAME`, SPEC §7): many independent
 * runs spread over the thread pool (pool.h), split over machines with --shard and joined
 * with --merge (shard.h). A sweep is one file src/sweep_NAME.c and one entry in the table
 * of sweep.c; the options every sweep shares live in struct sweep_opts (cli.h). */
#ifndef GDPATH_SWEEP_H
#define GDPATH_SWEEP_H

#include <stddef.h>

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

extern const struct sweep sweep_eta;

#endif
