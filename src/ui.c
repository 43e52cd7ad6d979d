/* ui.c — the live terminal interface: curses set-up and the one ui_restore() that undoes it,
 * signal handling (a self-pipe for quit/resize/resume, restore-and-re-raise for crashes),
 * stderr parked in a temporary file while curses owns the screen, and the event loop:
 * poll, drain keys, step for the frame's time budget, draw at most --fps times a second and
 * only when something changed. */
#include "config.h"

#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "gdpath/app.h"
#include "gdpath/batch.h"
#include "gdpath/cli.h"
#include "gdpath/run.h"
#include "gdpath/canvas.h"
#include "gdpath/screen.h"
#include "gdpath/theme.h"
#include "gdpath/ui.h"
#include "gdpath/view.h"

/* setupterm; it defines a macro per terminal capability (lines, columns, …), so it goes last */
#include <term.h>

#define UI_ESCDELAY_MS 25 /* a lone Esc reaches the app this fast */
#define UI_ALT_WINDOW 0.1 /* s: Esc and a key within this of an empty queue are Alt+key */

/* State the signal handlers and ui_restore() share: plain ints and fds only. */
static volatile sig_atomic_t curses_on; /* between newterm and endwin */
static volatile sig_atomic_t tio_saved; /* saved_tio holds the modes from before */
static struct termios saved_tio;
static volatile sig_atomic_t saved_stderr = -1; /* the real stderr, while redirected */
static volatile sig_atomic_t err_tmp = -1;	/* the temporary file stderr goes to */
static int wake_fd[2] = {-1, -1};		/* self-pipe: handlers write, the loop reads */
static struct sigaction winch_next;		/* curses' SIGWINCH handler, chained */
static bool winch_chained;			/* curses had one (else we resize ourselves) */

/* Signals that end the program cleanly through the loop (then it dies by the same signal,
 * the terminal restored), and those that end it at once: faults, and every other signal
 * whose default action is to terminate (Ctrl-\\ is SIGQUIT: ISIG stays on in cbreak mode).
 * Either way the terminal is restored first and the process then dies by the signal, so
 * the shell sees what happened (issue 9). */
static const int quit_signals[] = {SIGINT, SIGTERM, SIGHUP};
static const int fatal_signals[] = {
    SIGSEGV, SIGBUS,  SIGFPE,  SIGABRT,	  SIGILL,  SIGTRAP, SIGSYS,  SIGQUIT, SIGUSR1,
    SIGUSR2, SIGALRM, SIGPIPE, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ,
#ifdef SIGPOLL
    SIGPOLL,
#endif
#ifdef SIGPWR
    SIGPWR,
#endif
#ifdef SIGSTKFLT
    SIGSTKFLT,
#endif
};
/* Of those, the ones a program can only get from a fault: always caught. The others keep
 * SIG_IGN when the parent set it (nohup, a shell without job control). */
static bool is_fault(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL ||
	       sig == SIGTRAP || sig == SIGSYS || sig == SIGABRT;
}
#define NQUIT (sizeof quit_signals / sizeof quit_signals[0])
#define NFATAL (sizeof fatal_signals / sizeof fatal_signals[0])
static struct sigaction old_quit[NQUIT], old_fatal[NFATAL], old_winch, old_cont;
static volatile sig_atomic_t quit_sig; /* the quit signal the loop is to act on, or 0 */
static volatile sig_atomic_t cont_count; /* SIGCONTs so far: the process was stopped */

/* What endwin() would send, captured from terminfo while curses is up, so a signal
 * handler can restore the screen with write() alone: attributes off, cursor visible,
 * keypad off, leave the alternate screen. */
static char restore_seq[256];
static size_t restore_len;

static struct ui_hooks H; /* recording and replay (ui.h); zero: none */

void ui_set_hooks(const struct ui_hooks *h)
{
	if (h)
		H = *h;
	else
		memset(&H, 0, sizeof H);
}

/* An alternate stack, so a crash from a stack overflow still restores the terminal. */
static char alt_stack[64 * 1024];

static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

/* Put stderr back and copy what was written to it meanwhile. Async-signal-safe. */
static void stderr_restore(void)
{
	int save = saved_stderr, tmp = err_tmp;
	if (save < 0)
		return;
	saved_stderr = -1;
	err_tmp = -1;
	dup2(save, STDERR_FILENO);
	close(save);
	if (tmp < 0)
		return;
	if (lseek(tmp, 0, SEEK_SET) == 0) {
		char buf[4096];
		ssize_t n;
		while ((n = read(tmp, buf, sizeof buf)) > 0)
			write_all(STDERR_FILENO, buf, (size_t)n);
	}
	close(tmp);
}

/* Send stderr to an unlinked temporary file; on any failure stderr stays as it is. */
static void stderr_redirect(void)
{
	const char *dir = getenv("TMPDIR");
	char path[PATH_MAX];
	if (dir == NULL || dir[0] == '\0')
		dir = "/tmp";
	if (snprintf(path, sizeof path, "%s/gdpath-stderr.XXXXXX", dir) >= (int)sizeof path)
		return;
	int tmp = mkstemp(path);
	if (tmp < 0)
		return;
	unlink(path);
	fflush(stderr);
	int save = dup(STDERR_FILENO);
	if (save < 0 || dup2(tmp, STDERR_FILENO) < 0) {
		if (save >= 0)
			close(save);
		close(tmp);
		return;
	}
	fcntl(tmp, F_SETFD, FD_CLOEXEC);
	fcntl(save, F_SETFD, FD_CLOEXEC);
	err_tmp = tmp;
	saved_stderr = save;
}

void ui_restore(void)
{
	if (curses_on) {
		curses_on = 0;
		curs_set(1);
		endwin();
	}
	/* endwin() puts back the modes curses saved; this covers a crash half-way through
	 * curses' own bookkeeping. Both are the modes from before ui_run. */
	if (tio_saved)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	stderr_restore();
}

/* ui_restore for a signal handler: async-signal-safe calls only (write, tcsetattr, dup2),
 * no curses. */
static void restore_from_signal(void)
{
	if (curses_on) {
		curses_on = 0;
		write_all(STDOUT_FILENO, restore_seq, restore_len);
	}
	if (tio_saved)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	stderr_restore();
}

/* Append a terminfo string without its padding ("$<5>") to restore_seq. */
static void restore_seq_add(const char *cap)
{
	char *v = tigetstr((char *)cap);
	if (v == NULL || v == (char *)-1)
		return;
	for (const char *p = v; *p != '\0'; p++) {
		if (p[0] == '$' && p[1] == '<') {
			const char *e = strchr(p, '>');
			if (e != NULL) {
				p = e;
				continue;
			}
		}
		if (restore_len + 1 < sizeof restore_seq)
			restore_seq[restore_len++] = *p;
	}
}

static void restore_seq_init(void)
{
	restore_len = 0;
	restore_seq_add("sgr0");
	restore_seq_add("cnorm");
	restore_seq_add("rmkx");
	restore_seq_add("rmcup");
}

static void wake(char why)
{
	if (wake_fd[1] >= 0) {
		ssize_t n = write(wake_fd[1], &why, 1);
		(void)n; /* a full pipe already holds a wake-up */
	}
}

/* The first quit signal asks the loop to finish (it restores the terminal, then dies by
 * the signal); a second one while the loop is still busy ends the program at once. */
static void on_quit(int sig)
{
	int saved = errno;
	if (quit_sig != 0) {
		restore_from_signal();
		signal(sig, SIG_DFL);
		raise(sig); /* blocked while we run: delivered on return */
		errno = saved;
		return;
	}
	quit_sig = sig;
	wake(sig == SIGINT ? 'i' : sig == SIGTERM ? 't' : 'h');
	errno = saved;
}

static void on_cont(int sig)
{
	int saved = errno;
	(void)sig;
	cont_count = cont_count + 1;
	wake('c');
	errno = saved;
}

/* Wake poll() (a resize arriving just before it would otherwise wait for the next key),
 * then let curses' handler note the resize so getch() returns KEY_RESIZE. */
static void on_winch(int sig, siginfo_t *si, void *ctx)
{
	int saved = errno;
	wake('w');
	if (winch_next.sa_flags & SA_SIGINFO) {
		if (winch_next.sa_sigaction != NULL)
			winch_next.sa_sigaction(sig, si, ctx);
	} else if (winch_next.sa_handler != SIG_DFL && winch_next.sa_handler != SIG_IGN &&
		   winch_next.sa_handler != NULL) {
		winch_next.sa_handler(sig);
	}
	errno = saved;
}

/* SA_RESETHAND has put the default action back; the signal is blocked while we run, so
 * raise() delivers it (and the core dump, if any) as soon as we return. */
static void on_fatal(int sig)
{
	restore_from_signal();
	raise(sig);
}

static void signals_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_quit;
	for (size_t i = 0; i < NQUIT; i++) {
		sigaction(quit_signals[i], NULL, &old_quit[i]);
		/* nohup and background jobs ignore some of these: keep it that way */
		if (old_quit[i].sa_handler != SIG_IGN)
			sigaction(quit_signals[i], &sa, NULL);
	}
	stack_t ss;
	memset(&ss, 0, sizeof ss);
	ss.ss_sp = alt_stack;
	ss.ss_size = sizeof alt_stack;
	bool alt = sigaltstack(&ss, NULL) == 0;
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND | (alt ? SA_ONSTACK : 0);
	for (size_t i = 0; i < NFATAL; i++) {
		sigaction(fatal_signals[i], NULL, &old_fatal[i]);
		if (is_fault(fatal_signals[i]) || old_fatal[i].sa_handler != SIG_IGN)
			sigaction(fatal_signals[i], &sa, NULL);
	}
}

/* After newterm: curses has installed its SIGWINCH (and SIGTSTP) handlers by now. */
static void signals_install_late(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_sigaction = on_winch;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGWINCH, &sa, &winch_next);
	winch_chained = (winch_next.sa_flags & SA_SIGINFO)
			    ? winch_next.sa_sigaction != NULL
			    : winch_next.sa_handler != SIG_DFL &&
				  winch_next.sa_handler != SIG_IGN && winch_next.sa_handler != NULL;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_cont;
	sigaction(SIGCONT, &sa, &old_cont);
}

static void signals_remove(bool late)
{
	if (late) {
		sigaction(SIGCONT, &old_cont, NULL);
		sigaction(SIGWINCH, &old_winch, NULL);
	}
	for (size_t i = 0; i < NFATAL; i++)
		sigaction(fatal_signals[i], &old_fatal[i], NULL);
	for (size_t i = 0; i < NQUIT; i++)
		sigaction(quit_signals[i], &old_quit[i], NULL);
}

static int pipe_open(void)
{
	if (pipe(wake_fd) != 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		fcntl(wake_fd[i], F_SETFD, FD_CLOEXEC);
		fcntl(wake_fd[i], F_SETFL, fcntl(wake_fd[i], F_GETFL) | O_NONBLOCK);
	}
	return 0;
}

static void pipe_close(void)
{
	for (int i = 0; i < 2; i++) {
		if (wake_fd[i] >= 0)
			close(wake_fd[i]);
		wake_fd[i] = -1;
	}
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Milliseconds from now to t, rounded up, at least lo. */
static int ms_until(double t, double now, int lo)
{
	double ms = (t - now) * 1000.0;
	int r = ms <= 0 ? 0 : ms >= 60000 ? 60000 : (int)ms + 1;
	return r < lo ? lo : r;
}

static enum canvas_mode wanted_mode(struct app *a)
{
	/* Outside UTF-8 the labels must be ASCII words too, not transliterated Greek. */
	if (MB_CUR_MAX == 1)
		a->ascii = true;
	return !a->ascii ? CANVAS_BRAILLE : CANVAS_ASCII;
}

static void clamp_size(int *w, int *h)
{
	*w = COLS < 0 ? 0 : COLS > CANVAS_MAX_DIM ? CANVAS_MAX_DIM : COLS;
	*h = LINES < 0 ? 0 : LINES > CANVAS_MAX_DIM ? CANVAS_MAX_DIM : LINES;
	if (H.size)
		H.size(H.ctx, w, h);
}

/* The canvas follows the terminal's new size; -1 when out of memory. */
static int relayout(struct canvas *cv)
{
	int w, h;
	clamp_size(&w, &h);
	if (canvas_resize(cv, w, h) != 0)
		return -1;
	screen_invalidate();
	return 0;
}

/* SIGWINCH without curses' own handler (it installs one only over the default action):
 * tell curses the size ourselves, as KEY_RESIZE would have. */
static int resize_by_hand(struct canvas *cv)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0)
		return 0;
	resize_term(ws.ws_row, ws.ws_col);
	return relayout(cv);
}

static void draw(struct app *a, struct canvas *cv)
{
	enum canvas_mode m = wanted_mode(a);
	if (canvas_mode(cv) != m)
		canvas_set_mode(cv, m);
	canvas_clear(cv);
	view_draw(cv, a);
	/* -1 only when the shadow could not grow: this frame was written in full anyway */
	screen_blit(cv);
}

/* Keys as the app knows them: characters, 27 for Esc, 127 for Backspace, '\n' for the
 * keypad's Enter; other function keys are not bound to anything. -1: ignore. */
static int app_keycode(int ch)
{
	if (ch == KEY_BACKSPACE)
		return 127;
	if (ch == KEY_ENTER)
		return '\n';
	if (ch == KEY_LEFT)
		return APP_KEY_LEFT;
	if (ch == KEY_RIGHT)
		return APP_KEY_RIGHT;
	if (ch < 0 || ch >= KEY_MIN)
		return -1;
	return ch;
}

enum { UI_GO_ON = -1 };

/* What the signal handlers said through the self-pipe: an exit status, or UI_GO_ON. */
static int drain_wake(struct canvas *cv, bool *dirty)
{
	char buf[64];
	ssize_t got;
	int status = UI_GO_ON;
	while ((got = read(wake_fd[0], buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < got; i++) {
			switch (buf[i]) {
			case 'i': /* Ctrl-C, SIGTERM, SIGHUP: leave, then die by the signal */
			case 't':
			case 'h':
				status = 128 + (buf[i] == 'i' ? SIGINT : buf[i] == 't' ? SIGTERM : SIGHUP);
				break;
			case 'c': /* back from Ctrl-Z (or SIGSTOP): the screen is not ours */
				screen_invalidate();
				*dirty = true;
				break;
			case 'w': /* curses' handler makes getch() return KEY_RESIZE; else: */
				if (!winch_chained && status == UI_GO_ON) {
					if (resize_by_hand(cv) != 0) {
						fputs("gdpath: out of memory\n", stderr);
						status = 1;
					}
					*dirty = true;
				}
				break;
			default:
				break;
			}
		}
	}
	return status;
}

/* The event loop; returns the exit status. */
static int loop(struct app *a, struct canvas *cv)
{
	int fps = a->base.fps > 0 ? a->base.fps : 30;
	if (fps > 1000)
		fps = 1000;
	const double frame = 1.0 / fps;
	const int frame_ms = (int)(frame * 1000.0) + 1;
	a->async = true; /* slow steps on the worker thread: keys never wait for them */
	double next_draw = 0; /* when the next frame may be drawn */
	bool dirty = true;    /* something changed since the last frame */
	bool stalled = false; /* running, but the last advance took no step */
	double tokens = 1;    /* steps allowed now under --speed (a token bucket) */
	double refill = now_s();
	double seen_empty = refill; /* when the input queue was last seen empty */
	struct pollfd pf[2] = {{.fd = STDIN_FILENO, .events = POLLIN},
			       {.fd = wake_fd[0], .events = POLLIN}};

	for (;;) {
		double now = now_s();
		int timeout;
		if (!a->paused && !stalled)
			timeout = 0; /* the steps are the work: just look at the input */
		else if (stalled || app_busy(a))
			timeout = ms_until(next_draw, now, frame_ms);
		else if (dirty)
			timeout = ms_until(next_draw, now, 0);
		else if (app_busy(a))
			timeout = frame_ms; /* the range test's threads: look again next frame */
		else
			timeout = -1; /* paused and idle: sleep until a key or a signal */
		if (H.step) /* a replay: its own clock decides */
			timeout = dirty ? ms_until(next_draw, now, 0) : H.timeout_ms(H.ctx, a);
		double t_poll = now_s();
		sig_atomic_t conts = cont_count;
		int n = poll(pf, 2, timeout);
		/* poll waited on an empty queue until input came: the keys arrived just now.
		 * Not after a stop (Ctrl-Z, SIGSTOP): the keys may have waited all along. */
		if (timeout != 0 && n > 0 && (pf[0].revents & POLLIN) && now_s() - t_poll >= 0.001 &&
		    conts == cont_count)
			seen_empty = now_s();
		if (n < 0 && errno != EINTR) {
			fprintf(stderr, "gdpath: poll: %s\n", strerror(errno));
			return 1;
		}
		if (n > 0 && (pf[1].revents & POLLIN)) {
			int st = drain_wake(cv, &dirty);
			if (st != UI_GO_ON)
				return st;
		}
		int ch;
		while ((ch = getch()) != ERR) {
			double got_at = now_s();
			if (ch == KEY_RESIZE) {
				if (relayout(cv) != 0) {
					fputs("gdpath: out of memory\n", stderr);
					return 1;
				}
				dirty = true;
				continue;
			}
			int key = app_keycode(ch);
			if (key < 0)
				continue;
			if (key == 27 && !a->editing && got_at - seen_empty <= UI_ALT_WINDOW) {
				/* Esc with a key right behind it is Alt+key (e.g. Alt-x): drop the
				 * pair, so it does not act as the plain key. Only when the input was
				 * empty a moment ago, so both came together: Esc and a key that sat
				 * in the queue while the loop was busy (a slow rebuild) are two
				 * keys, as curses' ESCDELAY would have them. A lone Esc, or any Esc
				 * in the η entry (where it cancels), reaches the app. */
				int next = getch();
				if (next != ERR && now_s() - seen_empty <= UI_ALT_WINDOW)
					continue;
				if (next != ERR)
					ungetch(next);
			}
			if (H.key && H.key(H.ctx, a, key)) {
				dirty = true;
				continue;
			}
			int f = app_key(a, key);
			if (H.acted)
				H.acted(H.ctx, a, key);
			if (f & APP_QUIT)
				return 0;
			if (f & APP_THEME)
				screen_set_theme(&a->theme);
			if (f & (APP_REDRAW | APP_RELAYOUT | APP_THEME))
				dirty = true;
			stalled = false;
		}
		seen_empty = now_s(); /* getch() said the input is empty */
		if (n > 0 && (pf[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
			return 128 + SIGHUP; /* the terminal went away */

		now = now_s();
		if (H.step) {
			int f = H.step(H.ctx, a);
			if (f & UI_HOOK_QUIT)
				return 0;
			if (f & UI_HOOK_THEME)
				screen_set_theme(&a->theme);
			if ((f & UI_HOOK_RELAYOUT) && relayout(cv) != 0) {
				fputs("gdpath: out of memory\n", stderr);
				return 1;
			}
			if (f)
				dirty = true;
			now = now_s();
		} else if (!a->paused) {
			/* Step until the next frame is due: the frame time minus what the last
			 * drawing took (next_draw counts from its start). At least a fifth of a
			 * frame, so a slow terminal still sees progress. */
			double budget = next_draw - now;
			if (budget < 0.2 * frame)
				budget = 0.2 * frame;
			if (budget > frame)
				budget = frame;
			/* --speed: steps accrue at a->speed per second, at most two frames' worth. */
			long allowed = LONG_MAX;
			double speed = app_speed(a);
			if (speed > 0) {
				tokens += (now - refill) * speed;
				if (tokens > fmax(2, 2 * speed * frame))
					tokens = fmax(2, 2 * speed * frame);
				allowed = (long)tokens;
			}
			refill = now;
			long steps = app_advance(a, allowed, budget);
			if (speed > 0)
				tokens -= (double)steps;
			stalled = steps == 0 && !a->paused;
			if (!stalled || app_take_changed(a))
				dirty = true; /* steps taken, or the app paused itself */
			now = now_s();
		} else {
			stalled = false;
			if (app_busy(a) && app_advance(a, 0, 0) > 0) /* a step ends while paused */
				dirty = true;
		}
		if (app_poll(a))
			dirty = true; /* more of the range test finished */
		if (dirty && now >= next_draw) {
			draw(a, cv);
			dirty = false;
			next_draw = now + frame;
			if (H.drawn)
				H.drawn(H.ctx, a, cv);
		}
	}
}

int ui_run(struct app *a)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fputs("gdpath: the visualizer needs a terminal (use --batch or --snapshot)\n",
		      stderr);
		return 1;
	}
	if (pipe_open() != 0) {
		fprintf(stderr, "gdpath: pipe: %s\n", strerror(errno));
		return 1;
	}
	tio_saved = tcgetattr(STDIN_FILENO, &saved_tio) == 0;
	/* Before newterm, so curses leaves SIGINT/SIGTERM to us; SIGWINCH stays default so
	 * that curses installs its own, which on_winch then chains to. */
	sigaction(SIGWINCH, NULL, &old_winch);
	signals_install();
	/* Ask terminfo first: a failed newterm() leaks its half-built screen. */
	int term_err = 0;
	SCREEN *sp = NULL;
	bool can_move = false, known = false;
	if (setupterm(NULL, STDOUT_FILENO, &term_err) == OK) {
		known = true;
		/* A terminal that cannot move the cursor (TERM=dumb, emacs' shell) would show
		 * one frozen line: refuse it as if there were no terminal. */
		char *cup = tigetstr("cup");
		can_move = cup != NULL && cup != (char *)-1;
		del_curterm(cur_term);
		if (can_move)
			sp = newterm(NULL, stdout, stdin);
	}
	if (sp == NULL) {
		signals_remove(false);
		pipe_close();
		tio_saved = 0;
		const char *term = getenv("TERM");
		fprintf(stderr, "gdpath: cannot use the terminal (TERM=%s)%s (use --batch or --snapshot)\n",
			term ? term : "unset", !known ? ": no terminfo entry" : can_move ? "" : ": it cannot move the cursor");
		return 1;
	}
	set_term(sp);
	restore_seq_init();
	curses_on = 1;
	stderr_redirect();
	signals_install_late();

	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	leaveok(stdscr, TRUE);
	curs_set(0);
	set_escdelay(UI_ESCDELAY_MS);
	/* No typeahead check while updating: curses would poll the input after every line and
	 * could leave a frame half-drawn; the loop reads keys between frames anyway. */
	typeahead(-1);

	bool colour = false;
	if (has_colors() && start_color() == OK) {
		use_default_colors();
		colour = true;
	}
	/* NO_COLOR (no-color.org): a non-empty value asks for no colour, unless the user
	 * chose a theme on the command line or in the config file. */
	const char *nc = getenv("NO_COLOR");
	if ((nc != NULL && *nc != '\0' && a->base.theme == NULL) || !colour) {
		colour = false;
		theme_builtin("mono", &a->theme);
		snprintf(a->theme_name, sizeof a->theme_name, "%s", "mono");
	}
	screen_init(colour);
	screen_set_theme(&a->theme);
	app_set_colours(a, screen_colours());

	int status;
	int w, h;
	clamp_size(&w, &h);
	struct canvas *cv = canvas_new(w, h, wanted_mode(a));
	if (cv == NULL) {
		fputs("gdpath: out of memory\n", stderr);
		status = 1;
	} else {
		status = loop(a, cv);
	}
	canvas_free(cv);
	screen_end();
	ui_restore();
	tio_saved = 0;
	delscreen(sp);
	signals_remove(true);
	pipe_close();
	/* The rule of --batch and --snapshot: a run that diverged or blew up exits 3. */
	for (int i = 0; status == 0 && i < a->nruns; i++) {
		if (batch_run_status(a->run[i]) == EXIT_DIVERGED) {
			const struct run *r = a->run[i];
			fprintf(stderr, "gdpath: run %d diverged at step %ld (%s)\n", i + 1,
				r->status == RUN_DIVERGED ? r->status_step : r->blowup_step,
				r->status == RUN_DIVERGED ? "the loss is not finite"
							  : "the loss is over 1000 times the initial loss");
			status = EXIT_DIVERGED;
		}
	}
	/* Ended by SIGINT, SIGTERM or SIGHUP: the terminal is back, now die by the signal. */
	int sig = quit_sig;
	quit_sig = 0;
	if (sig != 0 && status == 128 + sig) {
		fflush(NULL);
		signal(sig, SIG_DFL);
		raise(sig);
	}
	return status;
}
