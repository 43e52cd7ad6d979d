/* snapshot.h — `gdpath --snapshot`: the screen the visualizer would show after --steps
 * steps, as plain text on stdout, without a terminal (SPEC §7). */
#ifndef GDPATH_SNAPSHOT_H
#define GDPATH_SNAPSHOT_H

struct opts;

/* Returns the exit status. */
int snapshot_main(const struct opts *o);

#endif
