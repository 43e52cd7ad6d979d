/* ui.h — the live terminal interface: curses set-up and restore, signals, and the event loop
 * that feeds keys and time to the app (app.h) and draws it (view.h, screen.h) at most --fps
 * times a second. */
#ifndef GDPATH_UI_H
#define GDPATH_UI_H

#include <stdbool.h>

struct app;

/* Run the visualizer on the controlling terminal (stdin and stdout) until the user quits.
 * Returns the process exit status: 0 on q, Ctrl-C or SIGTERM; 129 on SIGHUP or when the
 * terminal goes away; 1 when stdin or stdout is not a terminal or curses cannot start (one
 * line on stderr). The terminal is restored in every case. a stays the caller's. */
int ui_run(struct app *a);

/* Hooks for recording and replaying a session (replay.c); all optional. The loop calls
 * them between its own steps; without hooks it behaves exactly as before. */
struct canvas;
enum { UI_HOOK_DIRTY = 1, UI_HOOK_QUIT = 2, UI_HOOK_THEME = 4, UI_HOOK_RELAYOUT = 8 };
struct ui_hooks {
	void *ctx;
	/* A key read from the terminal, before the app sees it: true when the hook took it
	 * (the app never sees it; the screen is redrawn). */
	bool (*key)(void *ctx, struct app *a, int key);
	/* After the app acted on a key. */
	void (*acted)(void *ctx, struct app *a, int key);
	/* Instead of the loop's own stepping: UI_HOOK_* flags. */
	int (*step)(void *ctx, struct app *a);
	/* Milliseconds until step() has something to do (-1: only after a key). */
	int (*timeout_ms)(void *ctx, struct app *a);
	/* After each frame was drawn into c and written to the terminal. */
	void (*drawn)(void *ctx, struct app *a, struct canvas *c);
	/* The canvas size for a terminal of *w × *h (may make it smaller). */
	void (*size)(void *ctx, int *w, int *h);
};
/* Use h (copied) for the next ui_run(); NULL: none. */
void ui_set_hooks(const struct ui_hooks *h);

/* Give the terminal back: endwin, cursor visible, the tty modes from before ui_run (echo,
 * canonical input), and stderr's messages from while curses had the screen copied to the
 * real stderr. Safe to call twice, before ui_run, and from a signal handler on the way out
 * (a fatal error). Anyone about to abort while the screen is up calls this first. */
void ui_restore(void);

#endif
