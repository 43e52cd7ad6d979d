/* keymap.c — the default bindings of SPEC §6 and what each action does, in words. */
#include "config.h"

#include <stdio.h>

#include "gdpath/keymap.h"

static const struct binding bindings[] = {
    {' ', "space", ACTION_PAUSE},
    {'s', "s", ACTION_STEP},
    {'.', ".", ACTION_STEP},
    {']', "]", ACTION_FASTER},
    {'[', "[", ACTION_SLOWER},
    {'+', "+", ACTION_ETA_DOUBLE},
    {'-', "-", ACTION_ETA_HALVE},
    {'>', ">", ACTION_ETA_UP},
    {'<', "<", ACTION_ETA_DOWN},
    {'T', "T", ACTION_ETA_THEORY},
    {'e', "e", ACTION_ETA_ENTER},
    {'m', "m", ACTION_MODEL_NEXT},
    {'M', "M", ACTION_MODEL_PREV},
    {'o', "o", ACTION_OPTIM_NEXT},
    {'O', "O", ACTION_OPTIM_PREV},
    {'a', "a", ACTION_ACTIVATION_NEXT},
    {'w', "w", ACTION_WIDTH_UP},
    {'W', "W", ACTION_WIDTH_DOWN},
    {'r', "r", ACTION_RESTART},
    {'R', "R", ACTION_RESEED},
    {'c', "c", ACTION_FORK},
    {'C', "C", ACTION_CLEAR_GHOSTS},
    {'f', "f", ACTION_FAN},
    {'b', "b", ACTION_BOUNDS},
    {'P', "P", ACTION_PARAM_PANEL},
    {'E', "E", ACTION_RANGE_TEST},
    {'K', "K", ACTION_MARK},
    {'n', "n", ACTION_AXIS},
    {'l', "l", ACTION_LOSS_LOG},
    {'L', "L", ACTION_STEP_LOG},
    {'p', "p", ACTION_PRESET},
    {'t', "t", ACTION_THEME},
    {'x', "x", ACTION_EXPORT},
    {0x110000 /* APP_KEY_LEFT */, "←", ACTION_CURSOR_BACK},
    {0x110001 /* APP_KEY_RIGHT */, "→", ACTION_CURSOR_FWD},
    {'k', "k", ACTION_LEGEND},
    {'?', "?", ACTION_HELP},
    {'q', "q", ACTION_QUIT},
};

static const char *const help[ACTION_COUNT] = {
    [ACTION_NONE] = "",
    [ACTION_PAUSE] = "pause / run",
    [ACTION_STEP] = "one step (paused)",
    [ACTION_FASTER] = "more steps per second (× 2)",
    [ACTION_SLOWER] = "fewer steps per second (÷ 2)",
    [ACTION_ETA_DOUBLE] = "step size η × 2",
    [ACTION_ETA_HALVE] = "step size η ÷ 2",
    [ACTION_ETA_UP] = "step size η × 1.25",
    [ACTION_ETA_DOWN] = "step size η ÷ 1.25",
    [ACTION_ETA_THEORY] = "η = theory step size",
    [ACTION_ETA_ENTER] = "type an exact η",
    [ACTION_MODEL_NEXT] = "next model",
    [ACTION_MODEL_PREV] = "previous model",
    [ACTION_OPTIM_NEXT] = "next optimizer",
    [ACTION_OPTIM_PREV] = "previous optimizer",
    [ACTION_ACTIVATION_NEXT] = "next activation",
    [ACTION_WIDTH_UP] = "width (k or m) × 2",
    [ACTION_WIDTH_DOWN] = "width (k or m) ÷ 2",
    [ACTION_RESTART] = "restart: same data, same θ0",
    [ACTION_RESEED] = "new seed: new data and θ0",
    [ACTION_FORK] = "fork: ghost + copy from here",
    [ACTION_CLEAR_GHOSTS] = "clear the ghosts",
    [ACTION_FAN] = "fan: 5 runs at η × ¼ ½ 1 2 4",
    [ACTION_BOUNDS] = "bounds overlay on / off",
    [ACTION_PARAM_PANEL] = "parameter space on / off",
    [ACTION_RANGE_TEST] = "step-size range test on / off",
    [ACTION_MARK] = "add a mark (while recording)",
    [ACTION_AXIS] = "axes: raw / normalized / r0/α",
    [ACTION_LOSS_LOG] = "loss axis log / linear",
    [ACTION_STEP_LOG] = "step axis log / linear",
    [ACTION_PRESET] = "next preset",
    [ACTION_THEME] = "next theme",
    [ACTION_EXPORT] = "export the run(s) as CSV",
    [ACTION_HELP] = "this help",
    [ACTION_CURSOR_BACK] = "cursor back along the history (pauses)",
    [ACTION_CURSOR_FWD] = "cursor forward (past the end: live)",
    [ACTION_LEGEND] = "legends on / off",
    [ACTION_QUIT] = "quit",
};

enum action keymap_lookup(int key)
{
	for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++)
		if (bindings[i].key == key)
			return bindings[i].action;
	return ACTION_NONE;
}

const struct binding *keymap_bindings(size_t *count)
{
	*count = sizeof bindings / sizeof bindings[0];
	return bindings;
}

/* The help overlay's lines: an action and its partner (the reverse key) on one line. */
static const struct help_line help_lines[] = {
    {ACTION_PAUSE, ACTION_NONE, "pause / run", "pause / run"},
    {ACTION_STEP, ACTION_NONE, "one step (paused)", "one step"},
    {ACTION_FASTER, ACTION_SLOWER, "more / fewer steps per second", "faster / slower"},
    {ACTION_ETA_DOUBLE, ACTION_ETA_HALVE, "step size η × 2 / ÷ 2", "η × 2 / ÷ 2"},
    {ACTION_ETA_UP, ACTION_ETA_DOWN, "step size η × 1.25 / ÷ 1.25", "η × / ÷ 1.25"},
    {ACTION_ETA_THEORY, ACTION_NONE, "η = theory step size", "η = theory"},
    {ACTION_ETA_ENTER, ACTION_NONE, "type an exact η", "exact η"},
    {ACTION_MODEL_NEXT, ACTION_MODEL_PREV, "next / previous model", "model"},
    {ACTION_OPTIM_NEXT, ACTION_OPTIM_PREV, "next / previous optimizer", "optimizer"},
    {ACTION_ACTIVATION_NEXT, ACTION_NONE, "next activation", "activation"},
    {ACTION_WIDTH_UP, ACTION_WIDTH_DOWN, "width (k or m) × 2 / ÷ 2", "width × 2 / ÷ 2"},
    {ACTION_RESTART, ACTION_NONE, "restart: same data, same θ0", "restart"},
    {ACTION_RESEED, ACTION_NONE, "new seed: new data and θ0", "new seed, data, θ0"},
    {ACTION_FORK, ACTION_NONE, "fork: ghost + copy from here", "fork"},
    {ACTION_CLEAR_GHOSTS, ACTION_NONE, "clear the ghosts", "clear ghosts"},
    {ACTION_FAN, ACTION_NONE, "fan: 5 runs at η × ¼ ½ 1 2 4", "fan: 5 step sizes"},
    {ACTION_BOUNDS, ACTION_NONE, "bounds overlay on / off", "bounds on / off"},
    {ACTION_AXIS, ACTION_NONE, "axes: raw / normalized / r0/α", "axes"},
    {ACTION_LOSS_LOG, ACTION_NONE, "loss axis log / linear", "loss axis log/lin"},
    {ACTION_STEP_LOG, ACTION_NONE, "step axis log / linear", "step axis log/lin"},
    {ACTION_PRESET, ACTION_NONE, "next preset", "next preset"},
    {ACTION_THEME, ACTION_NONE, "next theme", "next theme"},
    {ACTION_EXPORT, ACTION_NONE, "export the run(s) as CSV", "export CSV"},
    {ACTION_CURSOR_BACK, ACTION_CURSOR_FWD, "cursor along the history", "history cursor"},
    {ACTION_LEGEND, ACTION_NONE, "legends on / off", "legends on / off"},
    {ACTION_PARAM_PANEL, ACTION_NONE, "parameter space on / off", "parameter space"},
    {ACTION_RANGE_TEST, ACTION_NONE, "step-size range test on / off", "range test"},
    {ACTION_MARK, ACTION_NONE, "add a mark (while recording)", "mark"},
    {ACTION_HELP, ACTION_NONE, "this help", "this help"},
    {ACTION_QUIT, ACTION_NONE, "quit", "quit"},
};

const struct help_line *keymap_help_lines(size_t *count)
{
	*count = sizeof help_lines / sizeof help_lines[0];
	return help_lines;
}

void keymap_help_keys(const struct help_line *h, char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++) {
		if (bindings[i].action != h->action && (h->partner == ACTION_NONE ||
							bindings[i].action != h->partner))
			continue;
		int n = snprintf(buf + o, len - o, "%s%s", o ? " " : "", bindings[i].label);
		if (n < 0 || (size_t)n >= len - o)
			break;
		o += (size_t)n;
	}
}

const char *action_help(enum action a)
{
	return a >= 0 && a < ACTION_COUNT && help[a] ? help[a] : "";
}
