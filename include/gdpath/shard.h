/* shard.h — spreading a sweep over machines with tools people already run (GNU parallel,
 * Slurm job arrays): `--shard i/N` computes only every N-th item of the sweep's list, and
 * `gdpath --merge FILE...` joins the N outputs into exactly the CSV one run would write
 * (SPEC §7). No curses.
 *
 * The CSV contract a sweep follows to be mergeable:
 *   1. `#` metadata lines that describe the whole sweep and nothing about how it was run
 *      (no --jobs, no times, no shard), including one `# rows: M` line: the number of rows
 *      of the whole, unsharded output;
 *   2. in a shard only, one more line written by shard_write_meta(): `# shard: i/N`;
 *   3. one header line, then one row per item in the list's order, one line each, and
 *      nothing after them. Item j (0-based) of the whole list belongs to shard
 *      (j mod N) + 1 — round robin, so cheap and costly items spread evenly — and a shard
 *      writes its items in increasing j.
 * The merge checks that the files are shards 1..N of one N, each exactly once, with
 * identical metadata and header and the row counts M implies, and refuses anything else;
 * it writes the metadata without the shard line, the header, and the rows interleaved
 * back into list order. Reductions over items (means over realizations) belong in rows
 * per item, or in a step after the merge.
 *
 * Use in a sweep:
 *     struct shard sh;  shard_parse("2/4", &sh, &cause);     // or shard_whole(&sh)
 *     for (size_t j = 0; j < total; j++) if (shard_owns(&sh, j)) ...compute item j...
 *     fprintf(out, "# rows: %zu\n", total);  shard_write_meta(out, &sh);  header; rows
 */
#ifndef GDPATH_SHARD_H
#define GDPATH_SHARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct shard {
	unsigned long i, n; /* shard i of n, 1 ≤ i ≤ n; 1/1 is the whole */
};

enum { SHARD_MAX = 1000000 };

/* The whole list: 1/1. */
void shard_whole(struct shard *s);
/* Parse "i/N" (1 ≤ i ≤ N ≤ SHARD_MAX). -1 with *cause (quoting arg) otherwise. */
int shard_parse(const char *arg, struct shard *s, char **cause);
bool shard_is_whole(const struct shard *s);
/* Whether item j (0-based) of the whole list is in this shard. */
bool shard_owns(const struct shard *s, size_t j);
/* How many of total items this shard holds. */
size_t shard_count(const struct shard *s, size_t total);
/* `# shard: i/N` (nothing for the whole list). */
void shard_write_meta(FILE *out, const struct shard *s);

/* Merge the shard CSVs files[0..nfiles) (any order) into out. Returns 0, or an exit
 * status with *cause set: 1 when a file cannot be read, 2 when the files are not the
 * complete set of shards of one sweep (naming file:line and what differs). Nothing is
 * written to out unless the check passed. */
int shard_merge(const char *const *files, size_t nfiles, FILE *out, char **cause);

#endif
