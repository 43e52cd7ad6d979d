/* keymap.h — default key bindings (SPEC §6) as named actions. No curses: keys are the
 * characters typed; the help overlay, the man-page test and ui.c all read this table. */
#ifndef GDPATH_KEYMAP_H
#define GDPATH_KEYMAP_H

#include <stddef.h>

enum action {
	ACTION_NONE,
	ACTION_PAUSE,
	ACTION_STEP,
	ACTION_FASTER,
	ACTION_SLOWER,
	ACTION_ETA_DOUBLE,
	ACTION_ETA_HALVE,
	ACTION_ETA_UP,
	ACTION_ETA_DOWN,
	ACTION_ETA_THEORY,
	ACTION_ETA_ENTER,
	ACTION_MODEL_NEXT,
	ACTION_MODEL_PREV,
	ACTION_OPTIM_NEXT,
	ACTION_OPTIM_PREV,
	ACTION_ACTIVATION_NEXT,
	ACTION_WIDTH_UP,
	ACTION_WIDTH_DOWN,
	ACTION_RESTART,
	ACTION_RESEED,
	ACTION_FORK,
	ACTION_CLEAR_GHOSTS,
	ACTION_FAN,
	ACTION_BOUNDS,
	ACTION_PARAM_PANEL,
	ACTION_RANGE_TEST,
	ACTION_MARK,
	ACTION_AXIS,
	ACTION_LOSS_LOG,
	ACTION_STEP_LOG,
	ACTION_PRESET,
	ACTION_THEME,
	ACTION_EXPORT,
	ACTION_HELP,
	ACTION_QUIT,
	ACTION_CURSOR_BACK,
	ACTION_CURSOR_FWD,
	ACTION_LEGEND,
	ACTION_COUNT
};

struct binding {
	int key;           /* the character */
	const char *label; /* how the help shows it: "space", "+", ... */
	enum action action;
};

/* The action bound to a key, or ACTION_NONE. */
enum action keymap_lookup(int key);
/* All bindings in help order. */
const struct binding *keymap_bindings(size_t *count);
/* The help overlay's lines: an action, its partner (ACTION_NONE or the reverse key, shown
 * on the same line) and the text in full and brief forms. Every binding is on a line. */
struct help_line {
	enum action action, partner;
	const char *text, *brief;
};
const struct help_line *keymap_help_lines(size_t *count);
/* The keys of a help line ("m M", "space"), from the bindings. */
void keymap_help_keys(const struct help_line *h, char *buf, size_t len);
/* One line describing an action, for the help overlay and the man page. */
const char *action_help(enum action a);

#endif
