/* theme.c — role names, the built-in themes, theme files (through conf.c), the theme search
 * path and listing, and stepping colours down to what a terminal has. No curses. */
#include "config.h"

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "gdpath/conf.h"
#include "gdpath/role.h"
#include "gdpath/theme.h"

/* ---- roles ---- */

/* In enum role order (role.h); a test checks a few by name. */
static const char *const role_names[] = {
    "background", "text",     "title",	"axis",	    "grid",   "trajectory", "current", "green_line",
    "zeta_line",  "red_line", "region", "envelope", "mark",   "status",	    "warning", "help",
    "ghost1",	  "ghost2",   "ghost3", "ghost4",   "ghost5", "ghost6",	    "ghost7",  "ghost8",
    "layer1",	  "layer2",   "layer3", "layer4",   "layer5", "layer6",	    "layer7",  "layer8",
    "heat1",	  "heat2",    "heat3",	"heat4",    "heat5",
};
_Static_assert(sizeof role_names / sizeof role_names[0] == ROLE_COUNT, "a name for each role");

const char *role_name(int role)
{
	if (role < 0 || role >= ROLE_COUNT)
		return NULL;
	return role_names[role];
}

int role_lookup(const char *name)
{
	if (name == NULL)
		return -1;
	for (int r = 0; r < ROLE_COUNT; r++) {
		if (strcmp(role_names[r], name) == 0)
			return r;
	}
	return -1;
}

/* ---- small helpers ---- */

static char *theme_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A heap-allocated formatted string, or NULL when out of memory. */
static char *theme_asprintf(const char *fmt, ...)
{
	va_list ap;
	int len;
	char *s;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		return NULL;
	s = malloc((size_t)len + 1);
	if (s == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)len + 1, fmt, ap);
	va_end(ap);
	return s;
}

static void theme_set_cause(char **cause, char *msg)
{
	if (cause != NULL)
		*cause = msg;
	else
		free(msg);
}

/* ---- colours and attributes by name ---- */

static const char *const colour_names[16] = {
    "black",	  "red",	   "green",	  "yellow",	 "blue",	"magenta",
    "cyan",	  "white",	   "brightblack", "brightred",	 "brightgreen", "brightyellow",
    "brightblue", "brightmagenta", "brightcyan",  "brightwhite",
};

static const struct {
	const char *name;
	unsigned bit;
} attr_names[] = {
    {"bold", ATTR_BOLD},       {"dim", ATTR_DIM},	{"underline", ATTR_UNDERLINE},
    {"reverse", ATTR_REVERSE}, {"italic", ATTR_ITALIC}, {"blink", ATTR_BLINK},
};

#define ATTR_NAMES_COUNT (sizeof attr_names / sizeof attr_names[0])

static int theme_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Whether w can only be meant as a colour (so a malformed one is a colour error). */
static int theme_colour_like(const char *w) { return w[0] == '#' || (w[0] >= '0' && w[0] <= '9'); }

/* 0 and *out set; 1 if w is no colour word at all; -1 with *why if w is a malformed one. */
static int theme_parse_colour(const char *w, int *out, char **why)
{
	if (w[0] == '#') {
		int v = 0, ok = strlen(w) == 7;
		for (size_t i = 1; ok && i < 7; i++) {
			int d = theme_hex_digit((unsigned char)w[i]);
			ok = d >= 0;
			v = v * 16 + d;
		}
		if (!ok) {
			*why = theme_asprintf("bad colour '%s' (expected #rrggbb)", w);
			return -1;
		}
		*out = COLOUR_RGB_FLAG | v;
		return 0;
	}
	if (w[0] >= '0' && w[0] <= '9') {
		long v = 0;
		const char *p = w;
		while (*p >= '0' && *p <= '9' && v <= 255)
			v = v * 10 + (*p++ - '0');
		if (*p != '\0' || v > 255) {
			*why = theme_asprintf("bad colour '%s' (an index is 0-255)", w);
			return -1;
		}
		*out = (int)v;
		return 0;
	}
	if (strcasecmp(w, "default") == 0) {
		*out = COLOUR_DEFAULT;
		return 0;
	}
	for (int i = 0; i < 16; i++) {
		if (strcasecmp(w, colour_names[i]) == 0) {
			*out = i;
			return 0;
		}
	}
	return 1;
}

static int theme_parse_attr(const char *w, unsigned *attrs)
{
	for (size_t i = 0; i < ATTR_NAMES_COUNT; i++) {
		if (strcasecmp(w, attr_names[i].name) == 0) {
			*attrs |= attr_names[i].bit;
			return 0;
		}
	}
	return -1;
}

#define THEME_WORDS_MAX 8 /* fg, bg and the six attributes */

/* Parse "fg [bg] [attr…]" (no leading or trailing blanks: conf.c trims). */
static int theme_parse_style(const char *value, struct theme_style *st, char **why)
{
	char buf[CONF_LINE_MAX + 1];
	char *words[THEME_WORDS_MAX + 1];
	size_t n = 0, i;
	char *p;

	snprintf(buf, sizeof buf, "%s", value);
	for (p = buf; *p != '\0';) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (*p == '\0')
			break;
		if (n == THEME_WORDS_MAX) {
			*why = theme_asprintf("too many words (at most fg, bg and 6 attributes)");
			return -1;
		}
		words[n++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
	}
	if (n == 0) {
		*why = theme_asprintf("missing colour");
		return -1;
	}

	st->fg = st->bg = COLOUR_DEFAULT;
	st->attrs = 0;
	switch (theme_parse_colour(words[0], &st->fg, why)) {
	case -1:
		return -1;
	case 1:
		if (theme_parse_attr(words[0], &st->attrs) == 0)
			*why = theme_asprintf("'%s' is not a colour (fg comes first)", words[0]);
		else
			*why = theme_asprintf("unknown colour '%s'", words[0]);
		return -1;
	}
	i = 1;
	if (n > 1) {
		int rv = theme_parse_colour(words[1], &st->bg, why);
		if (rv == -1)
			return -1;
		if (rv == 0)
			i = 2;
	}
	for (; i < n; i++) {
		int dummy;
		if (theme_parse_attr(words[i], &st->attrs) == 0)
			continue;
		if (theme_colour_like(words[i]) || theme_parse_colour(words[i], &dummy, why) == 0) {
			*why = theme_asprintf("too many colours: '%s' (only fg and bg)", words[i]);
			return -1;
		}
		if (i == 1)
			*why = theme_asprintf("unknown colour or attribute '%s'", words[i]);
		else
			*why = theme_asprintf("unknown attribute '%s'", words[i]);
		return -1;
	}
	return 0;
}

/* ---- built-in themes ---- */

#define D COLOUR_DEFAULT
#define RGB(x) (COLOUR_RGB_FLAG | (x))
enum {
	C_BLACK,
	C_RED,
	C_GREEN,
	C_YELLOW,
	C_BLUE,
	C_MAGENTA,
	C_CYAN,
	C_WHITE,
	C_BRIGHTBLACK,
	C_BRIGHTRED,
	C_BRIGHTGREEN,
	C_BRIGHTYELLOW,
	C_BRIGHTBLUE,
	C_BRIGHTMAGENTA,
	C_BRIGHTCYAN,
	C_BRIGHTWHITE
};

/* Keep in step with themes/default.theme (tests/test_theme.c checks they agree). */
static const struct theme_style theme_default_styles[ROLE_COUNT] = {
    [ROLE_BACKGROUND] = {D, D, 0},
    [ROLE_TEXT] = {D, D, 0},
    [ROLE_TITLE] = {C_BRIGHTWHITE, D, ATTR_BOLD},
    [ROLE_AXIS] = {RGB(0x8a8a8a), D, 0},
    [ROLE_GRID] = {RGB(0x444444), D, 0},
    [ROLE_TRAJECTORY] = {RGB(0xffd75f), D, ATTR_BOLD},
    [ROLE_CURRENT] = {C_BRIGHTMAGENTA, D, ATTR_BOLD},
    [ROLE_GREEN_LINE] = {C_BRIGHTGREEN, D, ATTR_BOLD},
    [ROLE_ZETA_LINE] = {RGB(0x00afd7), D, 0},
    [ROLE_RED_LINE] = {C_BRIGHTRED, D, ATTR_BOLD},
    [ROLE_REGION] = {D, RGB(0x005f00), 0},
    [ROLE_ENVELOPE] = {RGB(0xaf87ff), D, 0},
    [ROLE_MARK] = {C_BRIGHTYELLOW, D, 0},
    [ROLE_STATUS] = {RGB(0xd0d0d0), RGB(0x303030), 0},
    [ROLE_WARNING] = {RGB(0xffffff), RGB(0xaf0000), ATTR_BOLD},
    [ROLE_HELP] = {RGB(0xd0d0d0), RGB(0x262626), 0},
    [ROLE_GHOST1 + 0] = {RGB(0xd7875f), D, 0},
    [ROLE_GHOST1 + 1] = {RGB(0x87afd7), D, 0},
    [ROLE_GHOST1 + 2] = {RGB(0xd7afd7), D, 0},
    [ROLE_GHOST1 + 3] = {RGB(0xafaf5f), D, 0},
    [ROLE_GHOST1 + 4] = {RGB(0x5fafaf), D, 0},
    [ROLE_GHOST1 + 5] = {RGB(0xaf87af), D, 0},
    [ROLE_GHOST1 + 6] = {RGB(0xd7d787), D, 0},
    [ROLE_GHOST1 + 7] = {RGB(0x8787af), D, 0},
    [ROLE_LAYER1 + 0] = {RGB(0xff5f5f), D, 0},
    [ROLE_LAYER1 + 1] = {RGB(0xffaf00), D, 0},
    [ROLE_LAYER1 + 2] = {RGB(0xd7ff5f), D, 0},
    [ROLE_LAYER1 + 3] = {RGB(0x5fff87), D, 0},
    [ROLE_LAYER1 + 4] = {RGB(0x5fd7ff), D, 0},
    [ROLE_LAYER1 + 5] = {RGB(0x5f87ff), D, 0},
    [ROLE_LAYER1 + 6] = {RGB(0xaf5fff), D, 0},
    [ROLE_LAYER1 + 7] = {RGB(0xff5fd7), D, 0},
    /* viridis at 0, ¼, ½, ¾, 1: monotone in lightness, distinct without red-green vision */
    [ROLE_HEAT1 + 0] = {RGB(0x8c5fbf), D, 0},
    [ROLE_HEAT1 + 1] = {RGB(0x3b6fb0), D, 0},
    [ROLE_HEAT1 + 2] = {RGB(0x21a39c), D, 0},
    [ROLE_HEAT1 + 3] = {RGB(0x5ec962), D, 0},
    [ROLE_HEAT1 + 4] = {RGB(0xfde725), D, ATTR_BOLD},
};

/* No colour at all: roles differ by attribute (and, in the canvas, by glyph).
 * Keep in step with themes/mono.theme. */
static const struct theme_style theme_mono_styles[ROLE_COUNT] = {
    [ROLE_BACKGROUND] = {D, D, 0},
    [ROLE_TEXT] = {D, D, 0},
    [ROLE_TITLE] = {D, D, ATTR_BOLD},
    [ROLE_AXIS] = {D, D, 0},
    [ROLE_GRID] = {D, D, 0},
    [ROLE_TRAJECTORY] = {D, D, ATTR_BOLD},
    [ROLE_CURRENT] = {D, D, ATTR_BOLD | ATTR_REVERSE},
    [ROLE_GREEN_LINE] = {D, D, ATTR_UNDERLINE},
    [ROLE_ZETA_LINE] = {D, D, ATTR_DIM | ATTR_UNDERLINE},
    [ROLE_RED_LINE] = {D, D, ATTR_DIM},
    [ROLE_REGION] = {D, D, ATTR_REVERSE},
    [ROLE_ENVELOPE] = {D, D, ATTR_DIM},
    [ROLE_MARK] = {D, D, ATTR_BOLD},
    [ROLE_STATUS] = {D, D, ATTR_REVERSE},
    [ROLE_WARNING] = {D, D, ATTR_BOLD | ATTR_REVERSE},
    [ROLE_HELP] = {D, D, 0},
    [ROLE_GHOST1 + 0] = {D, D, ATTR_DIM},
    [ROLE_GHOST1 + 1] = {D, D, ATTR_UNDERLINE},
    [ROLE_GHOST1 + 2] = {D, D, ATTR_DIM | ATTR_UNDERLINE},
    [ROLE_GHOST1 + 3] = {D, D, ATTR_ITALIC},
    [ROLE_GHOST1 + 4] = {D, D, ATTR_DIM | ATTR_ITALIC},
    [ROLE_GHOST1 + 5] = {D, D, ATTR_UNDERLINE | ATTR_ITALIC},
    [ROLE_GHOST1 + 6] = {D, D, ATTR_DIM | ATTR_UNDERLINE | ATTR_ITALIC},
    [ROLE_GHOST1 + 7] = {D, D, ATTR_REVERSE},
    [ROLE_LAYER1 + 0] = {D, D, ATTR_BOLD},
    [ROLE_LAYER1 + 1] = {D, D, ATTR_UNDERLINE},
    [ROLE_LAYER1 + 2] = {D, D, ATTR_BOLD | ATTR_UNDERLINE},
    [ROLE_LAYER1 + 3] = {D, D, ATTR_DIM},
    [ROLE_LAYER1 + 4] = {D, D, ATTR_DIM | ATTR_UNDERLINE},
    [ROLE_LAYER1 + 5] = {D, D, ATTR_ITALIC},
    [ROLE_LAYER1 + 6] = {D, D, ATTR_BOLD | ATTR_ITALIC},
    [ROLE_LAYER1 + 7] = {D, D, ATTR_REVERSE},
    /* the heat map's glyphs carry the level by density */
    [ROLE_HEAT1 + 0] = {D, D, ATTR_DIM},
    [ROLE_HEAT1 + 1] = {D, D, 0},
    [ROLE_HEAT1 + 2] = {D, D, 0},
    [ROLE_HEAT1 + 3] = {D, D, 0},
    [ROLE_HEAT1 + 4] = {D, D, ATTR_BOLD},
};

#undef D
#undef RGB

static void theme_set_name(struct theme *t, const char *name, size_t len)
{
	if (len >= sizeof t->name)
		len = sizeof t->name - 1;
	memcpy(t->name, name, len);
	t->name[len] = '\0';
}

int theme_builtin(const char *name, struct theme *out)
{
	const struct theme_style *styles;

	if (name == NULL)
		return -1;
	if (strcmp(name, "default") == 0)
		styles = theme_default_styles;
	else if (strcmp(name, "mono") == 0)
		styles = theme_mono_styles;
	else
		return -1;
	memcpy(out->style, styles, sizeof out->style);
	theme_set_name(out, name, strlen(name));
	return 0;
}

int theme_equal(const struct theme *a, const struct theme *b)
{
	for (int r = 0; r < ROLE_COUNT; r++) {
		const struct theme_style *x = &a->style[r], *y = &b->style[r];
		if (x->fg != y->fg || x->bg != y->bg || x->attrs != y->attrs)
			return 0;
	}
	return 1;
}

/* ---- theme files ---- */

struct theme_file_state {
	struct theme *theme;
	unsigned seen[ROLE_COUNT]; /* line that set the role, 0 if none */
};

static int theme_file_cb(const char *key, const char *value, const char *file, unsigned line,
			 void *arg, char **cause)
{
	struct theme_file_state *state = arg;
	struct theme_style st;
	int role = role_lookup(key);

	(void)file;
	if (role < 0) {
		*cause = theme_asprintf("unknown role '%s'", key);
		return -1;
	}
	if (state->seen[role] != 0) {
		*cause = theme_asprintf("role '%s' already set on line %u", key, state->seen[role]);
		return -1;
	}
	if (theme_parse_style(value, &st, cause) != 0)
		return -1;
	state->seen[role] = line;
	state->theme->style[role] = st;
	return 0;
}

int theme_load_file(const char *path, struct theme *out, char **cause)
{
	struct theme_file_state state;
	struct theme t;
	const char *base, *dot;

	memset(&state, 0, sizeof state);
	theme_builtin("default", &t);
	state.theme = &t;
	if (conf_parse_file(path, theme_file_cb, &state, cause) != 0) {
		theme_builtin("default", out);
		return -1;
	}
	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	dot = strrchr(base, '.');
	if (dot == NULL || strcmp(dot, ".theme") != 0)
		dot = base + strlen(base);
	theme_set_name(&t, base, (size_t)(dot - base));
	*out = t;
	return 0;
}

/* A theme name: [A-Za-z0-9_.-]+, and not "." or "..". */
static int theme_name_valid(const char *s, size_t len)
{
	if (len == 0 || (len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.'))
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return 0;
	}
	return 1;
}

static int theme_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

int theme_load_dirs(const char *name, const char *const *dirs, struct theme *out, char **cause)
{
	if (name == NULL || *name == '\0') {
		theme_builtin("default", out);
		theme_set_cause(cause, theme_asprintf("empty theme name"));
		return -1;
	}
	if (strchr(name, '/') != NULL || theme_ends_with(name, ".theme"))
		return theme_load_file(name, out, cause);
	if (!theme_name_valid(name, strlen(name))) {
		theme_builtin("default", out);
		theme_set_cause(cause, theme_asprintf("bad theme name '%s'", name));
		return -1;
	}
	for (size_t i = 0; dirs != NULL && dirs[i] != NULL; i++) {
		struct stat sb;
		char *path = theme_asprintf("%s/%s.theme", dirs[i], name);
		if (path == NULL)
			break;
		if (stat(path, &sb) == 0) {
			int rv = theme_load_file(path, out, cause);
			free(path);
			return rv;
		}
		free(path);
	}
	if (theme_builtin(name, out) == 0)
		return 0;

	/* Unknown: say what there is. */
	theme_builtin("default", out);
	char **names = theme_list_dirs(dirs);
	size_t len = 0;
	for (size_t i = 0; names != NULL && names[i] != NULL; i++)
		len += strlen(names[i]) + 2;
	char *list = malloc(len + 1);
	if (list != NULL) {
		list[0] = '\0';
		for (size_t i = 0; names != NULL && names[i] != NULL; i++) {
			if (i > 0)
				strcat(list, ", ");
			strcat(list, names[i]);
		}
		theme_set_cause(cause,
				theme_asprintf("unknown theme '%s' (available: %s)", name, list));
	} else {
		theme_set_cause(cause, NULL);
	}
	free(list);
	theme_strv_free(names);
	return -1;
}

char **theme_dirs(void)
{
	char **v = calloc(4, sizeof *v);
	size_t n = 0;
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");

	if (v == NULL)
		return NULL;
	if (xdg != NULL && xdg[0] == '/')
		v[n++] = theme_asprintf("%s/gdpath/themes", xdg);
	else if (home != NULL && home[0] != '\0')
		v[n++] = theme_asprintf("%s/.config/gdpath/themes", home);
#ifdef THEMEDIR
	v[n++] = theme_asprintf("%s", THEMEDIR);
#endif
	v[n++] = theme_asprintf("./themes");
	for (size_t i = 0; i < n; i++) {
		if (v[i] == NULL) {
			theme_strv_free(v);
			return NULL;
		}
	}
	return v;
}

int theme_load(const char *name_or_path, struct theme *out, char **cause)
{
	char **dirs = theme_dirs();
	int rv = theme_load_dirs(name_or_path, (const char *const *)dirs, out, cause);
	theme_strv_free(dirs);
	return rv;
}

void theme_strv_free(char **v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

struct theme_strv {
	char **v;
	size_t n, cap;
	int oom;
};

static void theme_strv_add(struct theme_strv *sv, const char *s, size_t len)
{
	if (sv->oom)
		return;
	if (sv->n + 1 >= sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 16;
		char **grown = realloc(sv->v, cap * sizeof *grown);
		if (grown == NULL) {
			sv->oom = 1;
			return;
		}
		sv->v = grown;
		sv->cap = cap;
	}
	char *copy = malloc(len + 1);
	if (copy == NULL) {
		sv->oom = 1;
		return;
	}
	memcpy(copy, s, len);
	copy[len] = '\0';
	sv->v[sv->n++] = copy;
	sv->v[sv->n] = NULL;
}

static int theme_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **theme_list_dirs(const char *const *dirs)
{
	struct theme_strv sv = {0};

	theme_strv_add(&sv, "default", 7);
	theme_strv_add(&sv, "mono", 4);
	for (size_t i = 0; dirs != NULL && dirs[i] != NULL; i++) {
		DIR *d = opendir(dirs[i]);
		struct dirent *de;
		if (d == NULL)
			continue;
		while ((de = readdir(d)) != NULL) {
			size_t len = strlen(de->d_name);
			if (!theme_ends_with(de->d_name, ".theme"))
				continue;
			len -= strlen(".theme");
			if (theme_name_valid(de->d_name, len))
				theme_strv_add(&sv, de->d_name, len);
		}
		closedir(d);
	}
	if (sv.oom) {
		theme_strv_free(sv.v);
		return NULL;
	}
	qsort(sv.v, sv.n, sizeof *sv.v, theme_strcmp);
	size_t k = 0;
	for (size_t i = 0; i < sv.n; i++) {
		if (k > 0 && strcmp(sv.v[k - 1], sv.v[i]) == 0)
			free(sv.v[i]);
		else
			sv.v[k++] = sv.v[i];
	}
	sv.v[k] = NULL;
	return sv.v;
}

char **theme_list(void)
{
	char **dirs = theme_dirs();
	char **names = theme_list_dirs((const char *const *)dirs);
	theme_strv_free(dirs);
	return names;
}

/* ---- colour step-down ---- */

/* xterm's default values for the 16 ANSI colours. */
static const int ansi_rgb[16] = {
    0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
    0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
};

static const int cube_levels[6] = {0x00, 0x5f, 0x87, 0xaf, 0xd7, 0xff};

int colour_to_rgb(int c)
{
	if (COLOUR_IS_RGB(c))
		return c & 0xffffff;
	if (c < 0 || c > 255)
		return -1;
	if (c < 16)
		return ansi_rgb[c];
	if (c < 232) {
		int i = c - 16;
		return cube_levels[i / 36] << 16 | cube_levels[(i / 6) % 6] << 8 |
		       cube_levels[i % 6];
	}
	int g = 8 + 10 * (c - 232);
	return g << 16 | g << 8 | g;
}

/* "Redmean" weighted squared distance: a cheap approximation to perceived difference that
 * weights red and blue by how red the pair is (Riemersma, "Colour metric", compuphase). */
static long colour_distance(int a, int b)
{
	long r1 = (a >> 16) & 0xff, g1 = (a >> 8) & 0xff, b1 = a & 0xff;
	long r2 = (b >> 16) & 0xff, g2 = (b >> 8) & 0xff, b2 = b & 0xff;
	long rmean = (r1 + r2) / 2, dr = r1 - r2, dg = g1 - g2, db = b1 - b2;
	return (((512 + rmean) * dr * dr) >> 8) + 4 * dg * dg + (((767 - rmean) * db * db) >> 8);
}

int colour_to_256(int c)
{
	int rgb, best = 16;
	long best_d = -1;

	if (!COLOUR_IS_RGB(c))
		return c;
	rgb = c & 0xffffff;
	for (int i = 16; i < 256; i++) {
		long d = colour_distance(rgb, colour_to_rgb(i));
		if (best_d < 0 || d < best_d) {
			best_d = d;
			best = i;
		}
	}
	return best;
}

/* Max minus min channel: how far from grey. */
static int colour_chroma(int rgb)
{
	int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
	int hi = r > g ? (r > b ? r : b) : (g > b ? g : b);
	int lo = r < g ? (r < b ? r : b) : (g < b ? g : b);
	return hi - lo;
}

/* Past this chroma a colour keeps a hue among the 16 (dark green stays green rather than
 * becoming the nearer black), below it it becomes one of the greys 0, 7, 8, 15. */
#define COLOUR_CHROMA_MIN 40

int colour_to_16(int c)
{
	int rgb, best = 0, chromatic;
	long best_d = -1;

	if (c < 16) /* default and 0–15 */
		return c;
	rgb = colour_to_rgb(c);
	chromatic = colour_chroma(rgb) > COLOUR_CHROMA_MIN;
	for (int i = 0; i < 16; i++) {
		int grey = i == 0 || i == 7 || i == 8 || i == 15;
		if (grey == chromatic)
			continue;
		long d = colour_distance(rgb, ansi_rgb[i]);
		if (best_d < 0 || d < best_d) {
			best_d = d;
			best = i;
		}
	}
	return best;
}

int colour_to_8(int c, unsigned *attrs)
{
	c = colour_to_16(c);
	if (c == C_BRIGHTBLACK)
		return C_WHITE;
	if (c > C_BRIGHTBLACK) {
		if (attrs != NULL)
			*attrs |= ATTR_BOLD;
		return c - 8;
	}
	return c;
}

int colour_step_down(int c, int ncolours, unsigned *attrs)
{
	if (c == COLOUR_DEFAULT)
		return c;
	if (ncolours >= THEME_COLOURS_DIRECT)
		return c;
	if (ncolours >= 256)
		return colour_to_256(c);
	if (ncolours >= 16)
		return colour_to_16(c);
	if (ncolours >= 8)
		return colour_to_8(c, attrs);
	return COLOUR_DEFAULT;
}

const char *colour_name(int c, char *buf, unsigned len)
{
	if (c == COLOUR_DEFAULT)
		snprintf(buf, len, "default");
	else if (COLOUR_IS_RGB(c))
		snprintf(buf, len, "#%06x", c & 0xffffff);
	else if (c >= 0 && c < 16)
		snprintf(buf, len, "%s", colour_names[c]);
	else
		snprintf(buf, len, "%d", c);
	return buf;
}

/* Black or white, whichever reads on bg, in the colour space of ncolours. */
static int colour_contrast(int bg, int ncolours)
{
	int rgb = colour_to_rgb(bg);
	int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
	int light = 299 * r + 587 * g + 114 * b > 1000 * 255 / 2;

	if (ncolours >= THEME_COLOURS_DIRECT)
		return light ? COLOUR_RGB(0, 0, 0) : COLOUR_RGB(0xff, 0xff, 0xff);
	if (ncolours >= 256)
		return light ? 16 : 231;
	if (ncolours >= 16)
		return light ? C_BLACK : C_BRIGHTWHITE;
	return light ? C_BLACK : C_WHITE;
}

void theme_step_down(struct theme *t, int ncolours)
{
	const struct theme_style base = t->style[ROLE_BACKGROUND];

	for (int r = 0; r < ROLE_COUNT; r++) {
		struct theme_style *st = &t->style[r];
		if (st->fg == COLOUR_DEFAULT)
			st->fg = base.fg;
		if (st->bg == COLOUR_DEFAULT)
			st->bg = base.bg;
		st->fg = colour_step_down(st->fg, ncolours, &st->attrs);
		st->bg = colour_step_down(st->bg, ncolours, NULL);
		/* Same look: equal, or an index and an RGB value that name the same colour. */
		if (st->fg != COLOUR_DEFAULT && st->bg != COLOUR_DEFAULT &&
		    colour_to_rgb(st->fg) == colour_to_rgb(st->bg))
			st->fg = colour_contrast(st->bg, ncolours);
	}
}
