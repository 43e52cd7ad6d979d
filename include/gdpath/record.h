/* record.h — session recordings (--record, --replay): a text file holding the version and
 * build that made it, the terminal size, the options, and the events of the session in
 * order: each key with the round of steps (app.ticks) at which it acted, each frame drawn,
 * the presenter's marks with their captions, and the end, with a CRC-32 of everything
 * before it. No curses.
 *
 *	# gdpath recording: play it with gdpath --replay FILE
 *	gdpath-recording 1
 *	version 0.1.0
 *	build 1a2b3c4d
 *	size 100 30
 *	arg --preset
 *	arg fig1
 *	k TICK MS KEY          a key (its code, decimal) acted at tick TICK, MS ms after the start
 *	f TICK MS COLS ROWS    a frame was drawn
 *	m TICK MS CAPTION      a mark (the caption %-escaped, may be empty)
 *	end TICK MS CRC        CRC-32 (hex) of every byte before this line
 *
 * Reading is bounded (lines of at most RECORD_LINE_MAX bytes, RECORD_MAX_EVENTS events) and
 * strict: a truncated file (no end line), a wrong checksum (edited), an unknown version or
 * build, or a malformed line is an error naming the file (and line). */
#ifndef GDPATH_RECORD_H
#define GDPATH_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#define RECORD_LINE_MAX 4096
#define RECORD_MAX_EVENTS 4000000
#define RECORD_MAX_ARGS 256

/* This binary's build: the CRC-32 of the executable (/proc/self/exe), as 8 hex digits,
 * or "unknown". */
const char *record_build_id(void);

struct recorder;

/* Start writing a recording to path (atomically: a temporary file renamed by
 * recorder_close). args: the options to replay with (argv without --record/--cast). */
struct recorder *recorder_open(const char *path, int nargs, char *const *args, int cols,
			       int rows, char **cause);
void recorder_key(struct recorder *r, long tick, int key);
void recorder_frame(struct recorder *r, long tick, int cols, int rows);
void recorder_mark(struct recorder *r, long tick, const char *caption);
/* The end line, then rename into place. -1 with *cause on a write error. Frees r. */
int recorder_close(struct recorder *r, long tick, char **cause);
/* Remove the temporary file; frees r. NULL is fine. */
void recorder_abort(struct recorder *r);
/* Milliseconds since recorder_open (the recording's clock). */
long recorder_ms(const struct recorder *r);

enum rec_kind { REC_KEY = 'k', REC_FRAME = 'f', REC_MARK = 'm' };

struct rec_event {
	char kind;     /* enum rec_kind */
	long tick, ms;
	int key;       /* REC_KEY */
	int cols, rows; /* REC_FRAME */
	char *caption; /* REC_MARK (owned) */
	unsigned line; /* in the file, for messages */
};

struct recording {
	char *path;
	char version[64], build[64];
	int cols, rows;
	int nargs;
	char **args;   /* owned; args[nargs] = NULL */
	struct rec_event *ev;
	size_t nev;
	long end_tick, end_ms;
};

/* Read and check a recording. 0, or -1 with *cause ("FILE:LINE: …", or "FILE: …"). A file
 * from another version or build is an error too (wrong_build set), so nothing else is
 * replayed as if it were the recording. */
int recording_load(const char *path, struct recording *rec, bool *wrong_build, char **cause);
void recording_free(struct recording *rec);

#endif
