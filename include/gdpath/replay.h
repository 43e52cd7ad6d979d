/* replay.h — sessions that are recorded (--record), replayed (--replay) or cast (--cast),
 * live in the terminal or with --snapshot. The file formats are record.h and cast.h; this is
 * the glue: hooks into ui.c's loop, and the snapshot path. */
#ifndef GDPATH_REPLAY_H
#define GDPATH_REPLAY_H

struct opts;

/* The visualizer with --record/--cast, or a --replay. args: the command line's options
 * (argv[1..], in the order given), kept in a recording. Returns the exit status. */
int session_tui(const struct opts *o, int nargs, char *const *args);
/* The same with --snapshot: the final screen on stdout. */
int session_snapshot(const struct opts *o, int nargs, char *const *args);

#endif
