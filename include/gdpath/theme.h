/* theme.h — colour themes: what each role (role.h) looks like, loaded from `role = fg [bg]
 * [attr…]` files (conf.h syntax) or compiled in, and stepped down to what a terminal can
 * show. No curses here: screen.c turns a struct theme into colour pairs.
 *
 * Theme file line:  role = fg [bg] [attr…]
 *   role    background text title axis grid trajectory current green_line zeta_line
 *           red_line region envelope mark status warning help ghost1…ghost8 layer1…layer8
 *   colour  default (the background role's colour; for the background role itself, the
 *           terminal's), black red green yellow blue magenta cyan white (0–7),
 *           brightblack brightred … brightwhite (8–15), an index 0–255, or #rrggbb;
 *           names and hex digits are case-insensitive
 *   attr    bold dim underline reverse italic blink
 * The first word is fg; a second word that is a colour is bg (else bg is default); the rest
 * are attributes. Roles a file does not name are taken from the built-in `default` theme.
 * Naming a role twice is an error.
 *
 * Ownership: struct theme is a plain value (no pointers inside); copy it freely, nothing to
 * free. Functions returning char* or char** say who frees. */
#ifndef GDPATH_THEME_H
#define GDPATH_THEME_H

#include "gdpath/role.h"

/* A colour is an int:
 *   COLOUR_DEFAULT (-1)        default (see above),
 *   0…255                      a palette index (xterm 256-colour numbering),
 *   COLOUR_RGB(r, g, b)        a 24-bit colour (COLOUR_RGB_FLAG set, 0xrrggbb below). */
#define COLOUR_DEFAULT (-1)
#define COLOUR_RGB_FLAG 0x1000000
#define COLOUR_RGB(r, g, b) (COLOUR_RGB_FLAG | ((r) << 16) | ((g) << 8) | (b))
#define COLOUR_IS_RGB(c) ((c) >= 0 && ((c)&COLOUR_RGB_FLAG) != 0)
#define COLOUR_IS_INDEX(c) ((c) >= 0 && (c) <= 255)

/* Attribute bits (struct theme_style.attrs). */
#define ATTR_BOLD 0x01u
#define ATTR_DIM 0x02u
#define ATTR_UNDERLINE 0x04u
#define ATTR_REVERSE 0x08u
#define ATTR_ITALIC 0x10u
#define ATTR_BLINK 0x20u

/* What a terminal can show, for theme_step_down(): pass ncurses' COLORS as is. Values of
 * THEME_COLOURS_DIRECT (0x1000000) or more mean direct colour (#rrggbb kept); 256 or more
 * the xterm 256 palette; 16 or more (88 included) the 16 ANSI colours; 8 or more the 8
 * basic colours; fewer means no colour (everything becomes COLOUR_DEFAULT). */
#define THEME_COLOURS_DIRECT 0x1000000

#define THEME_NAME_MAX 64

struct theme_style {
	int fg;		/* colour */
	int bg;		/* colour */
	unsigned attrs; /* ATTR_* bits */
};

struct theme {
	char name[THEME_NAME_MAX]; /* "default", or the file name without .theme */
	struct theme_style style[ROLE_COUNT];
};

/* Built-in themes ("default", "mono"): 0 and *out filled, or -1 if name is not one. */
int theme_builtin(const char *name, struct theme *out);

/* Load a theme. name_or_path is a path if it contains '/' or ends in ".theme"; otherwise a
 * name looked up as NAME.theme in theme_dirs() order (first found wins), then among the
 * built-ins. Contract: returns 0 on success. On any error returns -1, sets *cause (if not
 * NULL) to a heap-allocated message the caller frees — "FILE:LINE: message" lines, or
 * "unknown theme 'x' (available: a, b, …)" — and fills *out with the built-in default, so
 * the caller reports the message and carries on with *out. */
int theme_load(const char *name_or_path, struct theme *out, char **cause);

/* theme_load() with an explicit NULL-terminated list of directories to search (NULL: none,
 * built-ins only). For tests and for callers that know better. */
int theme_load_dirs(const char *name_or_path, const char *const *dirs, struct theme *out,
		    char **cause);

/* Load a theme file at path (no search), same contract as theme_load(). */
int theme_load_file(const char *path, struct theme *out, char **cause);

/* The search directories, in order: $XDG_CONFIG_HOME/gdpath/themes (if XDG_CONFIG_HOME is
 * set to an absolute path, else $HOME/.config/gdpath/themes), THEMEDIR (if compiled with
 * -DTHEMEDIR=...), ./themes. NULL-terminated, heap-allocated: free with theme_strv_free(). */
char **theme_dirs(void);

/* Names of the available themes (built-ins and NAME.theme files in the directories),
 * sorted, without duplicates. NULL-terminated, heap-allocated: free with theme_strv_free().
 * Returns NULL only when out of memory. */
char **theme_list(void);
char **theme_list_dirs(const char *const *dirs);
void theme_strv_free(char **v);

/* Colour step-down, pure functions. */
/* The 24-bit value of c (an index via the xterm palette); COLOUR_DEFAULT gives -1. */
int colour_to_rgb(int c);
/* Nearest colour of the xterm 256 palette's 6×6×6 cube and grey ramp (16–255) to an RGB
 * colour, by a weighted ("redmean") RGB distance. Indices and default pass through. */
int colour_to_256(int c);
/* Nearest of the 16 ANSI colours (xterm's default values). Indices 0–15 and default pass. */
int colour_to_16(int c);
/* Nearest of the 8 basic colours. Bright colours 9–15 become 1–7 and set ATTR_BOLD in
 * *attrs (if attrs is not NULL: pass NULL for a background); bright black (8) becomes
 * white (7), as black on a dark screen would vanish. */
int colour_to_8(int c, unsigned *attrs);
/* The nearest colour a terminal with ncolours colours (see THEME_COLOURS_DIRECT) can show. */
int colour_step_down(int c, int ncolours, unsigned *attrs);
/* Write a colour as a theme file would ("default", "red", "196", "#ff0000") into buf. */
const char *colour_name(int c, char *buf, unsigned len);

/* Step every role of t down to ncolours, in place. First COLOUR_DEFAULT in any role is
 * replaced by the background role's fg / bg (which may itself be COLOUR_DEFAULT: the
 * terminal's own colours). Afterwards no role has fg == bg (same value, or an index and an
 * RGB value of the same colour) unless both are COLOUR_DEFAULT: such an fg becomes black
 * or white, whichever contrasts with bg by luminance, in the target colour space (0/7 in 8
 * colours, 0/15 in 16, 16/231 in 256, #000000/#ffffff in direct colour). With fewer than 8
 * colours every colour becomes COLOUR_DEFAULT and only the attributes remain. */
void theme_step_down(struct theme *t, int ncolours);

/* Whether two themes describe the same colours and attributes (names are not compared). */
int theme_equal(const struct theme *a, const struct theme *b);

#endif
