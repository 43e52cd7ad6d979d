/* keymap.c — the default bindings of SPEC §6 and what each action does, in words. */
#include "config.h"

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

const char *action_help(enum action a)
{
	return a >= 0 && a < ACTION_COUNT && help[a] ? help[a] : "";
}
