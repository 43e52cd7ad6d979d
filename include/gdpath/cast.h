/* cast.h — asciicast v2 files (--cast): what asciinema plays and web pages embed. A JSON
 * header line {"version": 2, "width", "height", "timestamp", "env", "title"}, then one event
 * a line: [seconds, "o", text] with the terminal output of a frame (only the cells that
 * changed, as cursor moves, SGR colours from the theme and UTF-8 text), and
 * [seconds, "m", caption] for a presenter's mark. Built from a canvas, without curses, so
 * --snapshot can write one too. Written atomically (outfile.h). */
#ifndef GDPATH_CAST_H
#define GDPATH_CAST_H

struct canvas;
struct theme;
struct cast;

/* Start a cast of a cols×rows terminal; NULL with *cause. */
struct cast *cast_open(const char *path, int cols, int rows, const char *title, char **cause);
/* The theme frames are coloured with (copied); the next frame repaints everything. */
void cast_set_theme(struct cast *c, const struct theme *t);
/* The canvas as it is now, at t seconds from the start (times never go back). */
void cast_frame(struct cast *c, double t, struct canvas *cv);
/* A marker event (asciinema shows them as chapter points). */
void cast_marker(struct cast *c, double t, const char *caption);
/* Finish and rename into place; -1 with *cause. Frees c. */
int cast_close(struct cast *c, char **cause);
void cast_abort(struct cast *c);

#endif
