/* ui.h — the live terminal interface: curses set-up and restore, signals, and the event loop
 * that feeds keys and time to the app (app.h) and draws it (view.h, screen.h) at most --fps
 * times a second. */
#ifndef GDPATH_UI_H
#define GDPATH_UI_H

struct app;

/* Run the visualizer on the controlling terminal (stdin and stdout) until the user quits.
 * Returns the process exit status: 0 on q, Ctrl-C or SIGTERM; 129 on SIGHUP or when the
 * terminal goes away; 1 when stdin or stdout is not a terminal or curses cannot start (one
 * line on stderr). The terminal is restored in every case. a stays the caller's. */
int ui_run(struct app *a);

/* Give the terminal back: endwin, cursor visible, the tty modes from before ui_run (echo,
 * canonical input), and stderr's messages from while curses had the screen copied to the
 * real stderr. Safe to call twice, before ui_run, and from a signal handler on the way out
 * (a fatal error). Anyone about to abort while the screen is up calls this first. */
void ui_restore(void);

#endif
