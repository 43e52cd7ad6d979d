/* cli.h — the command line (SPEC §8): GNU-style long options parsed with getopt_long
 * into one struct that the batch writer, the snapshot and the screen read. */
#ifndef GDPATH_CLI_H
#define GDPATH_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "gdpath/run.h"
#include "gdpath/shard.h"

enum mode { MODE_TUI, MODE_BATCH, MODE_SNAPSHOT, MODE_MERGE };

enum { CLI_MAX_OPT = 320 };
/* Getopt codes of the options tested by name outside cli.c. */
int cli_opt_code(const char *long_name); /* getopt codes: characters, then 256 + the long-only options */

enum { SWEEP_MAX_VALUES = 1000 }; /* values of --ks, --ds */

/* The options of the sweeps (SPEC §7); given[] says which were on the command line. */
struct sweep_opts {
	const char *name;       /* --sweep NAME, or NULL */
	size_t ks[SWEEP_MAX_VALUES], nk; /* --ks (nk = 0: the sweep's default) */
	size_t ds[SWEEP_MAX_VALUES], nd; /* --ds */
	long trials;            /* --trials (0: default) */
	double tol;             /* --tol (NAN: default) */
	long max_steps;         /* --max-steps (0: default) */
	int jobs;               /* --jobs (0: the number of cores) */
	struct shard shard;     /* --shard i/N (1/1: everything) */
	double eta_lo, eta_hi;  /* --eta-range LO:HI (0: around 2/β0²) */
	long eta_count;         /* --eta-count K (0: the default 25) */
};

struct opts {
	struct run_cfg run;
	int mode;
	long steps;          /* batch/snapshot: steps to run (-1: the default) */
	long every;          /* batch: a row every N steps */
	const char *output;  /* batch: -o FILE */
	const char *preset;
	const char *band;    /* --band FILE: a --trials band (or trials) CSV */
	const char *theme;
	bool ascii;
	int fps;
	double speed;        /* steps per second at most in the visualizer (0: unlimited) */
	bool speed_auto;     /* no --speed: the adaptive pace (app_speed) */
	int cols, rows;      /* --size for --snapshot */
	struct sweep_opts sw;
	const char *record;  /* --record FILE: the session's keys, for --replay */
	const char *replay;  /* --replay FILE */
	const char *cast;    /* --cast FILE: an asciicast v2 recording of the screen */
	char **merge_files;  /* --merge FILE...: the files (in argv) */
	size_t nmerge;
	bool paused;         /* --paused: the visualizer starts paused */
	const char *export_dir; /* --export-dir: where x writes (NULL: the current directory) */
	bool given[CLI_MAX_OPT]; /* options given on the command line, by getopt code */
};

/* Exit statuses (SPEC §7). */
enum { EXIT_OK = 0, EXIT_ERROR = 1, EXIT_USAGE = 2, EXIT_DIVERGED = 3 };

/* Parse argv into o. Returns 0 to go on, 1 when the program is done (--help, --version,
 * --list printed; exit 0), -1 on a usage error (*cause is the one-line message). */
int cli_parse(int argc, char **argv, struct opts *o, char **cause);
/* The usage text of --help. */
void cli_usage(FILE *out);
/* The long option names the program accepts (NULL-terminated), for the docs test. */
const char *const *cli_long_options(void);

#endif
