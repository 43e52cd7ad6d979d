/* screen.c — the blit from a canvas to curses: theme roles to colour pairs (allocated lazily,
 * one per (foreground role, background role) combination on screen) and attributes, and a
 * shadow copy of the cells drawn so that only changed cells are written. */
#include "config.h"

/* wide-character curses (cchar_t, setcchar) and wcwidth, whatever the compiler's defaults */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <curses.h>

#include "gdpath/canvas.h"
#include "gdpath/role.h"
#include "gdpath/screen.h"
#include "gdpath/theme.h"

#if defined(NCURSES_EXT_COLORS) && NCURSES_EXT_COLORS
#define SCREEN_EXT_COLOURS 1
#else
#define SCREEN_EXT_COLOURS 0
#endif

/* At most one pair per role combination is ever needed. */
#define SCREEN_MAX_PAIRS (ROLE_COUNT * ROLE_COUNT)

struct pair_colours {
	int fg, bg;
};

static struct {
	bool colour;	    /* colours wanted and available */
	bool default_ok;    /* use_default_colors() succeeded: -1 is a colour */
	int ncolours;	    /* what the theme was stepped down to */
	struct theme theme; /* stepped down */
	bool have_theme;
	/* pair_of[fg][bg]: 0 not looked up yet, else the pair number + 1 (pair 0 is curses'
	 * default pair, so "1" means pair 0). */
	int pair_of[ROLE_COUNT][ROLE_COUNT];
	struct pair_colours pairs[SCREEN_MAX_PAIRS + 1]; /* pairs[n]: colours of pair n */
	int npairs;					 /* pairs 1..npairs are in use */
	int max_pairs;
	struct canvas_cell *shadow;
	size_t shadow_cap;
	int sw, sh;   /* size of the shadow */
	bool valid;   /* shadow matches the terminal */
	bool repaint; /* clearok on the next blit */
} scr;

int screen_init(bool colour)
{
	scr.colour = colour && has_colors();
	scr.default_ok = false;
	scr.ncolours = 0;
	if (scr.colour) {
		/* ui.c has called start_color(); asking again tells us whether default colours
		 * (-1) work, and costs nothing. */
		scr.default_ok = use_default_colors() == OK;
		scr.ncolours = COLORS > 0 ? COLORS : 0;
		long max = (long)COLOR_PAIRS - 1;
		if (!SCREEN_EXT_COLOURS && max > 255)
			max = 255;
		if (max > SCREEN_MAX_PAIRS)
			max = SCREEN_MAX_PAIRS;
		scr.max_pairs = max > 0 ? (int)max : 0;
		if (scr.ncolours < 8)
			scr.colour = false;
	}
	if (!scr.colour) {
		scr.ncolours = 0;
		scr.max_pairs = 0;
	}
	scr.npairs = 0;
	memset(scr.pair_of, 0, sizeof scr.pair_of);
	scr.valid = false;
	scr.repaint = true;
	if (!scr.have_theme) {
		struct theme t;
		theme_builtin("default", &t);
		screen_set_theme(&t);
	}
	return 0;
}

void screen_set_theme(const struct theme *t)
{
	scr.theme = *t;
	theme_step_down(&scr.theme, scr.ncolours);
	/* With 8 or 16 colours a filled region leaves the paths over it unreadable: the view
	 * fills it with a glyph instead (app.region_fill), drawn in green. */
	if (scr.ncolours < 256) {
		scr.theme.style[ROLE_REGION].bg = scr.theme.style[ROLE_BACKGROUND].bg;
		if (scr.ncolours >= 8)
			scr.theme.style[ROLE_REGION].fg = 2; /* green */
	}
	scr.have_theme = true;
	/* Pairs are re-initialised as they are needed; curses repaints the cells that use a
	 * redefined pair, and the invalidation below writes every cell anyway. */
	memset(scr.pair_of, 0, sizeof scr.pair_of);
	scr.npairs = 0;
	screen_invalidate();
}

int screen_colours(void)
{
	return scr.colour ? scr.ncolours : 0;
}

void screen_invalidate(void)
{
	scr.valid = false;
	scr.repaint = true;
}

void screen_end(void)
{
	free(scr.shadow);
	scr.shadow = NULL;
	scr.shadow_cap = 0;
	scr.sw = scr.sh = 0;
	scr.valid = false;
	scr.have_theme = false;
}

/* Black or white, whichever stands out on bg, in the colour space of the terminal. */
static int contrast(int bg)
{
	int rgb = colour_to_rgb(bg);
	int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
	bool white = rgb < 0 || 299 * r + 587 * g + 114 * b < 128000; /* Rec. 601 luma */
	if (scr.ncolours >= THEME_COLOURS_DIRECT)
		return white ? COLOUR_RGB(255, 255, 255) : COLOUR_RGB(0, 0, 0);
	if (scr.ncolours >= 256)
		return white ? 231 : 16;
	if (scr.ncolours >= 16)
		return white ? 15 : 0;
	return white ? 7 : 0;
}

/* A theme colour as curses wants it. */
static int curses_colour(int c, bool fg)
{
	if (c == COLOUR_DEFAULT)
		return scr.default_ok ? -1 : (fg ? COLOR_WHITE : COLOR_BLACK);
	if (COLOUR_IS_RGB(c))
		return c & 0xffffff;
	return c;
}

static int init_one_pair(int n, int fg, int bg)
{
#if SCREEN_EXT_COLOURS
	return init_extended_pair(n, fg, bg);
#else
	if (fg > SHRT_MAX || bg > SHRT_MAX)
		return ERR;
	return init_pair((short)n, (short)fg, (short)bg);
#endif
}

/* The pair for text of role f on the background of role b. The colours: f's foreground on
 * b's background (f's own background when b is the plain background, so a role such as
 * `warning = white red` keeps its colours anywhere). */
static int pair_for(int f, int b)
{
	if (f < 0 || f >= ROLE_COUNT)
		f = ROLE_TEXT;
	if (b < 0 || b >= ROLE_COUNT)
		b = ROLE_BACKGROUND;
	if (scr.pair_of[f][b] > 0)
		return scr.pair_of[f][b] - 1;
	int pair = 0;
	if (scr.colour) {
		const struct theme_style *sf = &scr.theme.style[f], *sb = &scr.theme.style[b];
		int fg = sf->fg;
		/* f's own background where the theme gave it one (a status bar, a warning);
		 * theme_step_down has put the background role's colour into every role
		 * without one, and such a role takes b's (the region's green, say). */
		int own = sf->bg != COLOUR_DEFAULT && sf->bg != scr.theme.style[ROLE_BACKGROUND].bg;
		int bg = b == ROLE_BACKGROUND || (own && f != b) ? sf->bg : sb->bg;
		if (fg == bg && fg != COLOUR_DEFAULT) {
			/* theme_step_down keeps each role readable, not every mix of two roles */
			fg = sb->fg != bg ? sb->fg : contrast(bg);
		}
		fg = curses_colour(fg, true);
		bg = curses_colour(bg, false);
		if (fg == -1 && bg == -1) {
			pair = 0;
		} else {
			int n;
			for (n = 1; n <= scr.npairs; n++)
				if (scr.pairs[n].fg == fg && scr.pairs[n].bg == bg)
					break;
			if (n <= scr.npairs) {
				pair = n;
			} else if (scr.npairs < scr.max_pairs && init_one_pair(n, fg, bg) == OK) {
				scr.pairs[n].fg = fg;
				scr.pairs[n].bg = bg;
				scr.npairs = n;
				pair = n;
			} else if (b != ROLE_BACKGROUND) {
				/* out of pairs: drop the fill, keep the text's colour */
				pair = pair_for(f, ROLE_BACKGROUND);
			}
		}
	}
	scr.pair_of[f][b] = pair + 1;
	return pair;
}

static attr_t theme_attrs(unsigned a)
{
	attr_t r = A_NORMAL;
	if (a & ATTR_BOLD)
		r |= A_BOLD;
	if (a & ATTR_DIM)
		r |= A_DIM;
	if (a & ATTR_UNDERLINE)
		r |= A_UNDERLINE;
	if (a & ATTR_REVERSE)
		r |= A_REVERSE;
#ifdef A_ITALIC
	if (a & ATTR_ITALIC)
		r |= A_ITALIC;
#endif
	if (a & ATTR_BLINK)
		r |= A_BLINK;
	return r;
}

static attr_t cell_attrs(const struct canvas_cell *cl)
{
	int f = cl->fg < ROLE_COUNT ? cl->fg : ROLE_TEXT;
	int b = cl->bg < ROLE_COUNT ? cl->bg : ROLE_BACKGROUND;
	attr_t r = theme_attrs(scr.theme.style[f].attrs);
	if (b != ROLE_BACKGROUND)
		r |= theme_attrs(scr.theme.style[b].attrs);
	if (cl->attr & CANVAS_BOLD)
		r |= A_BOLD;
	if (cl->attr & CANVAS_UNDERLINE)
		r |= A_UNDERLINE;
	if (cl->attr & CANVAS_REVERSE)
		r |= A_REVERSE;
	if (cl->attr & CANVAS_DIM)
		r |= A_DIM;
	return r;
}

static void draw_cell(int y, int x, const struct canvas_cell *cl)
{
	wchar_t wc[2] = {L' ', L'\0'};
	if (cl->ch >= 0x20 && cl->ch < 0x7f)
		wc[0] = (wchar_t)cl->ch;
	else if (cl->ch >= 0xa0 && cl->ch <= 0x10ffff && wcwidth((wchar_t)cl->ch) == 1)
		wc[0] = (wchar_t)cl->ch;
	else if (cl->ch != 0 && cl->ch != ' ')
		wc[0] = L'?'; /* not one column wide here: keep the grid aligned */
	int pair = pair_for(cl->fg, cl->bg);
	attr_t at = cell_attrs(cl);
	cchar_t cc;
#if SCREEN_EXT_COLOURS
	if (setcchar(&cc, wc, at, 0, &pair) != OK)
		return;
#else
	if (setcchar(&cc, wc, at, (short)pair, NULL) != OK)
		return;
#endif
	/* The bottom-right cell returns ERR (the cursor cannot move on) but is drawn. */
	mvwadd_wch(stdscr, y, x, &cc);
}

int screen_blit(struct canvas *c)
{
	int rc = 0;
	int w = canvas_width(c), h = canvas_height(c);
	size_t need = (size_t)w * (size_t)h;
	/* a new size, or a retry after running out of memory */
	if (w != scr.sw || h != scr.sh || (scr.shadow == NULL && need > 0)) {
		if (need > scr.shadow_cap) {
			struct canvas_cell *n = realloc(scr.shadow, need * sizeof *n);
			if (n == NULL) {
				free(scr.shadow);
				scr.shadow = NULL;
				scr.shadow_cap = 0;
			} else {
				scr.shadow = n;
				scr.shadow_cap = need;
			}
		}
		scr.sw = w;
		scr.sh = h;
		screen_invalidate();
	}
	struct canvas_cell *shadow = scr.shadow;
	if (shadow == NULL && need > 0)
		rc = -1;
	if (scr.repaint) {
		clearok(curscr, TRUE);
		scr.repaint = false;
	}
	/* stdscr may briefly differ from the canvas during a resize */
	int ww = w < COLS ? w : COLS, hh = h < LINES ? h : LINES;
	for (int y = 0; y < hh; y++) {
		const struct canvas_cell *row = canvas_row(c, y);
		if (row == NULL)
			break;
		struct canvas_cell *sh = shadow ? shadow + (size_t)y * (size_t)w : NULL;
		for (int x = 0; x < ww; x++) {
			if (sh != NULL && scr.valid && canvas_cell_equal(&sh[x], &row[x]))
				continue;
			draw_cell(y, x, &row[x]);
			if (sh != NULL)
				sh[x] = row[x];
		}
	}
	/* Cells outside the terminal were not drawn: only a full shadow is valid. */
	scr.valid = scr.shadow != NULL && ww == w && hh == h;
	wnoutrefresh(stdscr);
	doupdate();
	return rc;
}
