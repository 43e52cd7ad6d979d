/* canvas.c — owns the cell grid, its dot raster and the compose pass that turns layers
 * (background, dots, glyphs) into cells; UTF-8 in and out. No curses. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gdpath/canvas.h"
#include "gdpath/role.h"

/* What drawing calls write; composed into struct canvas_cell by compose(). */
struct layer {
	uint32_t ch;	     /* glyph layer: 0 = none */
	unsigned char ch_fg; /* role of the glyph */
	unsigned char ch_z;  /* its priority */
	unsigned char ch_attr;
	unsigned char dots;   /* dot bitmap of the cell (braille bit order, or 4 bits ASCII) */
	unsigned char dot_fg; /* role of the highest-priority dot */
	unsigned char dot_z;
	unsigned char bg; /* background role */
};

struct canvas {
	int w, h;
	enum canvas_mode mode;
	int dx, dy; /* dots per cell */
	size_t cap; /* cells allocated */
	struct layer *lay;
	struct canvas_cell *cell;
	int dirty;				/* layers changed since the last compose */
	int clip_x0, clip_y0, clip_x1, clip_y1; /* clip in dots, inclusive; x1 < x0 if empty */
	unsigned char prio[ROLE_COUNT];
	char ascii_glyph[ROLE_COUNT];
	uint32_t fill_glyph[ROLE_COUNT]; /* shown in empty cells of that background role */
	/* dash continuation: where the last line ended and the pattern index there */
	int last_valid, last_x, last_y, last_style;
	long last_phase;
};

static const unsigned char braille_bit[4][2] = {
    {0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};

/* ASCII 2×2 blocks; bit 0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right. */
static const char ascii_block[16] = {' ', '\'', '\'', '-',  '.', '|',  '/', '/',
				     '.', '\\', '|',  '\\', '_', '\\', '/', '#'};

static int role_ok(int role)
{
	return role >= 0 && role < ROLE_COUNT ? role : ROLE_TEXT;
}

/* Default priorities (canvas.h); a role not named here gets 0. */
static const unsigned char default_prio[ROLE_COUNT] = {
    [ROLE_BACKGROUND] = 0, [ROLE_TEXT] = 11,	  [ROLE_TITLE] = 11,   [ROLE_AXIS] = 4,
    [ROLE_GRID] = 1,	   [ROLE_TRAJECTORY] = 8, [ROLE_CURRENT] = 10, [ROLE_GREEN_LINE] = 6,
    [ROLE_ZETA_LINE] = 6,  [ROLE_RED_LINE] = 5,	  [ROLE_REGION] = 1,   [ROLE_ENVELOPE] = 3,
    [ROLE_MARK] = 3,	   [ROLE_STATUS] = 12,	  [ROLE_WARNING] = 12, [ROLE_HELP] = 12,
};

static void prio_defaults(struct canvas *c)
{
	memcpy(c->prio, default_prio, sizeof c->prio);
	for (int r = ROLE_GHOST1; r <= ROLE_GHOST8; r++)
		c->prio[r] = 7;
	for (int r = ROLE_LAYER1; r <= ROLE_LAYER8; r++)
		c->prio[r] = 8;
}

static void set_dots_per_cell(struct canvas *c)
{
	c->dx = 2;
	c->dy = c->mode == CANVAS_ASCII ? 2 : 4;
}

void canvas_reset_clip(struct canvas *c)
{
	if (!c)
		return;
	c->clip_x0 = 0;
	c->clip_y0 = 0;
	c->clip_x1 = c->w * c->dx - 1;
	c->clip_y1 = c->h * c->dy - 1;
}

void canvas_clear(struct canvas *c)
{
	if (!c)
		return;
	size_t n = (size_t)c->w * (size_t)c->h;
	for (size_t i = 0; i < n; i++) {
		c->lay[i] = (struct layer){0};
		c->lay[i].bg = ROLE_BACKGROUND;
	}
	c->dirty = 1;
	c->last_valid = 0;
	canvas_reset_clip(c);
}

static int size_ok(int w, int h)
{
	return w >= 0 && h >= 0 && w <= CANVAS_MAX_DIM && h <= CANVAS_MAX_DIM;
}

struct canvas *canvas_new(int w, int h, enum canvas_mode mode)
{
	if (!size_ok(w, h))
		return NULL;
	struct canvas *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->mode = mode == CANVAS_ASCII ? CANVAS_ASCII : CANVAS_BRAILLE;
	set_dots_per_cell(c);
	prio_defaults(c);
	if (canvas_resize(c, w, h) < 0) {
		free(c);
		return NULL;
	}
	return c;
}

void canvas_free(struct canvas *c)
{
	if (!c)
		return;
	free(c->lay);
	free(c->cell);
	free(c);
}

int canvas_resize(struct canvas *c, int w, int h)
{
	if (!c || !size_ok(w, h))
		return -1;
	size_t n = (size_t)w * (size_t)h;
	if (n > c->cap || !c->lay) {
		size_t cap = n ? n : 1;
		struct layer *lay = calloc(cap, sizeof *lay);
		struct canvas_cell *cell = calloc(cap, sizeof *cell);
		if (!lay || !cell) {
			free(lay);
			free(cell);
			return -1;
		}
		free(c->lay);
		free(c->cell);
		c->lay = lay;
		c->cell = cell;
		c->cap = cap;
	}
	c->w = w;
	c->h = h;
	canvas_clear(c);
	return 0;
}

void canvas_set_mode(struct canvas *c, enum canvas_mode mode)
{
	if (!c)
		return;
	c->mode = mode == CANVAS_ASCII ? CANVAS_ASCII : CANVAS_BRAILLE;
	set_dots_per_cell(c);
	canvas_clear(c);
}

enum canvas_mode canvas_mode(const struct canvas *c)
{
	return c ? c->mode : CANVAS_BRAILLE;
}

int canvas_width(const struct canvas *c)
{
	return c ? c->w : 0;
}

int canvas_height(const struct canvas *c)
{
	return c ? c->h : 0;
}

int canvas_dots_x(const struct canvas *c)
{
	return c ? c->dx : 2;
}

int canvas_dots_y(const struct canvas *c)
{
	return c ? c->dy : 4;
}

void canvas_set_priority(struct canvas *c, int role, int prio)
{
	if (!c || role < 0 || role >= ROLE_COUNT)
		return;
	c->prio[role] = (unsigned char)(prio < 0 ? 0 : prio > 255 ? 255 : prio);
	c->dirty = 1;
}

int canvas_priority(const struct canvas *c, int role)
{
	return c ? c->prio[role_ok(role)] : 0;
}

void canvas_set_fill_glyph(struct canvas *c, int role, uint32_t ch)
{
	if (role < 0 || role >= ROLE_COUNT)
		return;
	if (c->mode == CANVAS_ASCII && ch >= 0x80)
		ch = (unsigned char)canvas_ascii(ch);
	if (c->fill_glyph[role] != ch)
		c->dirty = 1;
	c->fill_glyph[role] = ch;
}

void canvas_set_ascii_glyph(struct canvas *c, int role, char ch)
{
	if (!c || role < 0 || role >= ROLE_COUNT)
		return;
	c->ascii_glyph[role] = ch > 32 && ch < 127 ? ch : 0;
	c->dirty = 1;
}

static int clamp_rect(const struct canvas *c, int *x, int *y, int *w, int *h);

void canvas_set_clip(struct canvas *c, int x, int y, int w, int h)
{
	if (!c)
		return;
	if (!clamp_rect(c, &x, &y, &w, &h)) { /* empty: no dot passes */
		c->clip_x0 = c->clip_y0 = 0;
		c->clip_x1 = c->clip_y1 = -1;
		return;
	}
	c->clip_x0 = x * c->dx;
	c->clip_y0 = y * c->dy;
	c->clip_x1 = (x + w) * c->dx - 1;
	c->clip_y1 = (y + h) * c->dy - 1;
}

/* ---- glyphs and text ---- */

/* ASCII stand-ins for single code points (box drawing and Greek are handled by range). */
static const struct {
	uint16_t ch;
	char a;
} ascii_sub[] = {
    {0xB2, '2'},   {0xB3, '3'},	  {0xB9, '1'},	 {0x2070, '0'}, {0xB7, '.'},   {0x2026, '.'},
    {0x22C5, '.'}, {0xD7, 'x'},	  {0x2715, 'x'}, {0x2716, 'x'}, {0x2212, '-'}, {0x2013, '-'},
    {0x2014, '-'}, {0x2016, '|'}, {0x2264, '<'}, {0x2190, '<'}, {0x2265, '>'}, {0x2192, '>'},
    {0x2191, '^'}, {0x25B2, '^'}, {0x25B4, '^'}, {0x2193, 'v'}, {0x25BC, 'v'}, {0x25BE, 'v'},
    {0x25CF, '@'}, {0x25C9, '@'}, {0x25CB, 'o'}, {0x25E6, 'o'}, {0x2022, '*'}, {0x25C6, '*'},
    {0x2605, '*'}, {0x2736, '*'}, {0x25A0, '#'}, {0x25AA, '#'}, {0x2248, '~'}, {0x2800, ' '},
};

/* Box drawing U+2500..U+257F: 'h' horizontal, 'v' vertical, else a corner or junction. */
static const char box_kind[128] = "hhvvhhvvhhvv" /* 2500..250B */
				  "                                "
				  "                                "   /* ..254B */
				  "hhvvhv"			       /* 254C..2551 */
				  "                                  " /* ..2573 */
				  "hvhvhvhvhvhv";

char canvas_ascii(uint32_t ch)
{
	static const char greek[] = "abgdezntiklmnxoprsstufxpw";
	if (ch < 128)
		return ch >= 32 && ch < 127 ? (char)ch : '?';
	if (ch >= 0x3B1 && ch <= 0x3C9)
		return greek[ch - 0x3B1];
	if (ch >= 0x391 && ch <= 0x3A9)
		return (char)(greek[ch - 0x391] - 32);
	if (ch >= 0x2500 && ch <= 0x257F) {
		char k = box_kind[ch - 0x2500];
		return k == 'h' ? '-' : k == 'v' ? '|' : '+';
	}
	if (ch >= 0x2080 && ch <= 0x2089)
		return (char)('0' + (ch - 0x2080));
	if (ch >= 0x2074 && ch <= 0x2079)
		return (char)('0' + (ch - 0x2070));
	if (ch >= 0x2580 && ch <= 0x259F)
		return '#';
	for (size_t i = 0; i < sizeof ascii_sub / sizeof ascii_sub[0]; i++)
		if (ascii_sub[i].ch == ch)
			return ascii_sub[i].a;
	if (ch >= 0x2800 && ch <= 0x28FF)
		return ':';
	return '?';
}

int canvas_utf8_encode(uint32_t ch, char *out)
{
	if (ch > 0x10FFFF || (ch >= 0xD800 && ch <= 0xDFFF))
		ch = 0xFFFD;
	if (ch < 0x80) {
		out[0] = (char)ch;
		return 1;
	}
	if (ch < 0x800) {
		out[0] = (char)(0xC0 | (ch >> 6));
		out[1] = (char)(0x80 | (ch & 0x3F));
		return 2;
	}
	if (ch < 0x10000) {
		out[0] = (char)(0xE0 | (ch >> 12));
		out[1] = (char)(0x80 | ((ch >> 6) & 0x3F));
		out[2] = (char)(0x80 | (ch & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (ch >> 18));
	out[1] = (char)(0x80 | ((ch >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((ch >> 6) & 0x3F));
	out[3] = (char)(0x80 | (ch & 0x3F));
	return 4;
}

/* Decode one code point from s (non-empty); *len gets the bytes used. Bad sequences give
 * U+FFFD and consume one byte. */
static uint32_t utf8_decode(const unsigned char *s, int *len)
{
	unsigned char b = s[0];
	uint32_t ch, min;
	int n;
	if (b < 0x80) {
		*len = 1;
		return b;
	}
	if ((b & 0xE0) == 0xC0) {
		n = 2, ch = b & 0x1F, min = 0x80;
	} else if ((b & 0xF0) == 0xE0) {
		n = 3, ch = b & 0x0F, min = 0x800;
	} else if ((b & 0xF8) == 0xF0) {
		n = 4, ch = b & 0x07, min = 0x10000;
	} else {
		*len = 1;
		return 0xFFFD;
	}
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*len = 1;
			return 0xFFFD;
		}
		ch = (ch << 6) | (s[i] & 0x3F);
	}
	*len = n;
	if (ch < min || ch > 0x10FFFF || (ch >= 0xD800 && ch <= 0xDFFF))
		return 0xFFFD;
	return ch;
}

/* Put a glyph in the glyph layer of an in-range cell, by priority z. */
static void put_glyph(struct canvas *c, int x, int y, uint32_t ch, int role, int attr,
		      unsigned char z)
{
	struct layer *l = &c->lay[(size_t)y * (size_t)c->w + (size_t)x];
	if (l->ch && z < l->ch_z)
		return;
	if (ch < 32 || ch == 127)
		ch = '?';
	if (c->mode == CANVAS_ASCII && ch >= 128)
		ch = (uint32_t)(unsigned char)canvas_ascii(ch);
	l->ch = ch;
	l->ch_fg = (unsigned char)role;
	l->ch_z = z;
	l->ch_attr = (unsigned char)(attr & 0x0F);
	c->dirty = 1;
}

/* Text is never below ROLE_TEXT, so labels stay readable over any plot. */
static unsigned char text_z(const struct canvas *c, int role)
{
	unsigned char z = c->prio[role], t = c->prio[ROLE_TEXT];
	return z > t ? z : t;
}

void canvas_put(struct canvas *c, int x, int y, uint32_t ch, int role, int attr)
{
	if (!c || x < 0 || y < 0 || x >= c->w || y >= c->h)
		return;
	role = role_ok(role);
	put_glyph(c, x, y, ch, role, attr, text_z(c, role));
}

int canvas_text_attr(struct canvas *c, int x, int y, const char *utf8, int role, int attr)
{
	if (!utf8)
		return 0;
	const unsigned char *s = (const unsigned char *)utf8;
	int inrow = c && y >= 0 && y < c->h;
	int n = 0;
	role = role_ok(role);
	unsigned char z = c ? text_z(c, role) : 0;
	while (*s) {
		int len;
		uint32_t ch = utf8_decode(s, &len);
		s += len;
		long cx = (long)x + n;
		if (inrow && cx >= 0 && cx < c->w)
			put_glyph(c, (int)cx, y, ch, role, attr, z);
		n++;
	}
	return n;
}

int canvas_text(struct canvas *c, int x, int y, const char *utf8, int role)
{
	return canvas_text_attr(c, x, y, utf8, role, 0);
}

int canvas_textf(struct canvas *c, int x, int y, int role, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int r = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (r < 0)
		return 0;
	return canvas_text(c, x, y, buf, role);
}

/* Clamp a cell rectangle to the canvas; 0 if empty. */
static int clamp_rect(const struct canvas *c, int *x, int *y, int *w, int *h)
{
	long x0 = *x, y0 = *y, x1 = (long)*x + *w, y1 = (long)*y + *h;
	if (x0 < 0)
		x0 = 0;
	if (y0 < 0)
		y0 = 0;
	if (x1 > c->w)
		x1 = c->w;
	if (y1 > c->h)
		y1 = c->h;
	if (x1 <= x0 || y1 <= y0)
		return 0;
	*x = (int)x0, *y = (int)y0, *w = (int)(x1 - x0), *h = (int)(y1 - y0);
	return 1;
}

void canvas_fill_bg(struct canvas *c, int x, int y, int w, int h, int role)
{
	if (!c || !clamp_rect(c, &x, &y, &w, &h))
		return;
	role = role_ok(role);
	for (int j = y; j < y + h; j++) {
		struct layer *l = &c->lay[(size_t)j * (size_t)c->w + (size_t)x];
		for (int i = 0; i < w; i++)
			l[i].bg = (unsigned char)role;
	}
	c->dirty = 1;
}

void canvas_erase(struct canvas *c, int x, int y, int w, int h)
{
	if (!c || !clamp_rect(c, &x, &y, &w, &h))
		return;
	for (int j = y; j < y + h; j++) {
		struct layer *l = &c->lay[(size_t)j * (size_t)c->w + (size_t)x];
		for (int i = 0; i < w; i++) {
			l[i] = (struct layer){0};
			l[i].bg = ROLE_BACKGROUND;
		}
	}
	c->dirty = 1;
}

/* ---- dots and lines ---- */

/* Set an in-clip dot. */
static void set_dot(struct canvas *c, int ix, int iy, int role)
{
	int cx = ix / c->dx, cy = iy / c->dy;
	int bx = ix - cx * c->dx, by = iy - cy * c->dy;
	struct layer *l = &c->lay[(size_t)cy * (size_t)c->w + (size_t)cx];
	unsigned char bit =
	    c->mode == CANVAS_ASCII ? (unsigned char)(1u << (by * 2 + bx)) : braille_bit[by][bx];
	unsigned char z = c->prio[role];
	l->dots |= bit;
	if (z >= l->dot_z) {
		l->dot_z = z;
		l->dot_fg = (unsigned char)role;
	}
	c->dirty = 1;
}

static int in_clip(const struct canvas *c, int ix, int iy)
{
	return ix >= c->clip_x0 && ix <= c->clip_x1 && iy >= c->clip_y0 && iy <= c->clip_y1;
}

/* Round an in-range double to a dot index. */
static int dot_index(double u)
{
	return (int)floor(u + 0.5);
}

/* The dot a real coordinate lands on, if it is inside the clip: 1 and *ix, *iy set. */
static int clip_dot(const struct canvas *c, double x, double y, int *ix, int *iy)
{
	if (!c || !isfinite(x) || !isfinite(y))
		return 0;
	/* compare before converting: no overflow for huge values */
	if (x < c->clip_x0 - 0.5 || x >= c->clip_x1 + 0.5 || y < c->clip_y0 - 0.5 ||
	    y >= c->clip_y1 + 0.5)
		return 0;
	*ix = dot_index(x);
	*iy = dot_index(y);
	return in_clip(c, *ix, *iy);
}

void canvas_dot(struct canvas *c, double x, double y, int role)
{
	int ix, iy;
	if (clip_dot(c, x, y, &ix, &iy))
		set_dot(c, ix, iy, role_ok(role));
}

void canvas_marker(struct canvas *c, double x, double y, uint32_t ch, int role)
{
	int ix, iy;
	if (clip_dot(c, x, y, &ix, &iy))
		put_glyph(c, ix / c->dx, iy / c->dy, ch, role_ok(role), 0, c->prio[role_ok(role)]);
}

enum { OUT_L = 1, OUT_R = 2, OUT_T = 4, OUT_B = 8 };

static int outcode(double x, double y, double xl, double xr, double yt, double yb)
{
	int o = 0;
	if (x < xl)
		o |= OUT_L;
	else if (x > xr)
		o |= OUT_R;
	if (y < yt)
		o |= OUT_T;
	else if (y > yb)
		o |= OUT_B;
	return o;
}

/* The other coordinate where the segment (a0,b0)-(a1,b1) crosses a = at; overflow-safe for
 * any finite input (differences are taken on halves). */
static double cross_at(double a0, double b0, double a1, double b1, double at)
{
	double t = (0.5 * at - 0.5 * a0) / (0.5 * a1 - 0.5 * a0);
	if (!(t >= 0))
		t = 0;
	if (t > 1)
		t = 1;
	if (fabs(b0) < 1e150 && fabs(b1) < 1e150)
		return b0 + t * (b1 - b0);
	return b0 * (1 - t) + b1 * t;
}

/* Cohen–Sutherland against the closed box; 0 if nothing is left. */
int canvas_clip_segment(double *x0, double *y0, double *x1, double *y1, double xl, double xr,
			double yt, double yb)
{
	if (!isfinite(*x0) || !isfinite(*y0) || !isfinite(*x1) || !isfinite(*y1))
		return 0;
	int o0 = outcode(*x0, *y0, xl, xr, yt, yb), o1 = outcode(*x1, *y1, xl, xr, yt, yb);
	for (int iter = 0; iter < 8; iter++) {
		if (!(o0 | o1))
			return 1;
		if (o0 & o1)
			return 0;
		int o = o0 ? o0 : o1;
		double x, y;
		if (o & OUT_L) {
			x = xl, y = cross_at(*x0, *y0, *x1, *y1, xl);
		} else if (o & OUT_R) {
			x = xr, y = cross_at(*x0, *y0, *x1, *y1, xr);
		} else if (o & OUT_T) {
			y = yt, x = cross_at(*y0, *x0, *y1, *x1, yt);
		} else {
			y = yb, x = cross_at(*y0, *x0, *y1, *x1, yb);
		}
		if (o == o0) {
			*x0 = x, *y0 = y;
			o0 = outcode(x, y, xl, xr, yt, yb);
		} else {
			*x1 = x, *y1 = y;
			o1 = outcode(x, y, xl, xr, yt, yb);
		}
	}
	return !(o0 | o1);
}

/* Dash patterns in dots along the major axis: on/off runs (canvas.h). */
static int pattern_on(enum canvas_style style, long k)
{
	switch (style) {
	case CANVAS_DASHED:
		return k % 6 < 4;
	case CANVAS_DOTTED:
		return k % 2 == 0;
	case CANVAS_DASHDOT: /* ████··█·· */
		return k % 9 < 4 || k % 9 == 6;
	case CANVAS_LONGDASH: /* ████████··· */
		return k % 11 < 8;
	case CANVAS_SPARSE: /* █··· */
		return k % 4 == 0;
	default:
		return 1;
	}
}

static long pattern_period(enum canvas_style style)
{
	switch (style) {
	case CANVAS_DASHED:
		return 6;
	case CANVAS_DOTTED:
		return 2;
	case CANVAS_DASHDOT:
		return 9;
	case CANVAS_LONGDASH:
		return 11;
	case CANVAS_SPARSE:
		return 4;
	default:
		return 1;
	}
}

void canvas_line(struct canvas *c, double x0, double y0, double x1, double y1, int role,
		 enum canvas_style style)
{
	if (!c || !isfinite(x0) || !isfinite(y0) || !isfinite(x1) || !isfinite(y1))
		return;
	if (c->clip_x1 < c->clip_x0 || c->clip_y1 < c->clip_y0)
		return;
	role = role_ok(role);
	double ox = x0, oy = y0;
	const double e = 1e-9;
	if (!canvas_clip_segment(&x0, &y0, &x1, &y1, c->clip_x0 - 0.5, c->clip_x1 + 0.5 - e,
				 c->clip_y0 - 0.5, c->clip_y1 + 0.5 - e)) {
		c->last_valid = 0;
		return;
	}
	int ix0 = dot_index(x0), iy0 = dot_index(y0), ix1 = dot_index(x1), iy1 = dot_index(y1);
	long period = pattern_period(style);
	long phase = 0;
	if (ox == x0 && oy == y0 && c->last_valid && c->last_style == (int)style &&
	    c->last_x == ix0 && c->last_y == iy0)
		phase = c->last_phase;
	else if (ox != x0 || oy != y0) { /* clipped start: keep the pattern where it was */
		double skipped = fmax(fabs(x0 - ox), fabs(y0 - oy));
		phase = isfinite(skipped) ? (long)fmod(skipped, (double)period) : 0;
	}
	/* Bresenham between the rounded, clipped end points */
	int ddx = abs(ix1 - ix0), ddy = -abs(iy1 - iy0);
	int sx = ix0 < ix1 ? 1 : -1, sy = iy0 < iy1 ? 1 : -1;
	int err = ddx + ddy, x = ix0, y = iy0;
	long k = phase;
	for (;;) {
		if (pattern_on(style, k % period) && in_clip(c, x, y))
			set_dot(c, x, y, role);
		if (x == ix1 && y == iy1)
			break;
		int e2 = 2 * err;
		if (e2 >= ddy) {
			err += ddy;
			x += sx;
		}
		if (e2 <= ddx) {
			err += ddx;
			y += sy;
		}
		k++;
	}
	c->last_valid = 1;
	c->last_x = ix1;
	c->last_y = iy1;
	c->last_style = (int)style;
	c->last_phase = k % period;
}

/* ---- compose and output ---- */

static void compose(struct canvas *c)
{
	if (!c->dirty)
		return;
	size_t n = (size_t)c->w * (size_t)c->h;
	int ascii = c->mode == CANVAS_ASCII;
	for (size_t i = 0; i < n; i++) {
		const struct layer *l = &c->lay[i];
		struct canvas_cell *o = &c->cell[i];
		o->bg = l->bg;
		if (l->ch && (!l->dots || l->ch_z >= l->dot_z)) {
			o->ch = l->ch;
			o->fg = l->ch_fg;
			o->attr = l->ch_attr;
		} else if (l->dots) {
			if (!ascii)
				o->ch = 0x2800u + l->dots;
			else if (c->ascii_glyph[l->dot_fg])
				o->ch = (unsigned char)c->ascii_glyph[l->dot_fg];
			else
				o->ch = (unsigned char)ascii_block[l->dots & 15];
			o->fg = l->dot_fg;
			o->attr = 0;
		} else if (c->fill_glyph[l->bg]) {
			o->ch = c->fill_glyph[l->bg];
			o->fg = l->bg;
			o->attr = 0;
		} else {
			o->ch = ' ';
			o->fg = ROLE_TEXT;
			o->attr = 0;
		}
	}
	c->dirty = 0;
}

const struct canvas_cell *canvas_row(struct canvas *c, int y)
{
	if (!c || y < 0 || y >= c->h || c->w == 0)
		return NULL;
	compose(c);
	return &c->cell[(size_t)y * (size_t)c->w];
}

const struct canvas_cell *canvas_cell(struct canvas *c, int x, int y)
{
	if (!c || x < 0 || x >= c->w)
		return NULL;
	const struct canvas_cell *r = canvas_row(c, y);
	return r ? r + x : NULL;
}

int canvas_cell_equal(const struct canvas_cell *a, const struct canvas_cell *b)
{
	return a->ch == b->ch && a->fg == b->fg && a->bg == b->bg && a->attr == b->attr;
}

/* Visit each output chunk of the text rendering. */
typedef int (*emit_fn)(void *ctx, const char *s, size_t n);

static int render(struct canvas *c, emit_fn emit, void *ctx)
{
	compose(c);
	for (int y = 0; y < c->h; y++) {
		const struct canvas_cell *row = &c->cell[(size_t)y * (size_t)c->w];
		int end = c->w;
		while (end > 0 && row[end - 1].ch == ' ')
			end--;
		char buf[4 * 64];
		size_t n = 0;
		for (int x = 0; x < end; x++) {
			if (n > sizeof buf - 4) {
				if (emit(ctx, buf, n) < 0)
					return -1;
				n = 0;
			}
			n += (size_t)canvas_utf8_encode(row[x].ch, buf + n);
		}
		buf[n++] = '\n';
		if (emit(ctx, buf, n) < 0)
			return -1;
	}
	return 0;
}

static int emit_file(void *ctx, const char *s, size_t n)
{
	return fwrite(s, 1, n, (FILE *)ctx) == n ? 0 : -1;
}

struct bufctx {
	char *buf;
	size_t size, len;
};

static int emit_buf(void *ctx, const char *s, size_t n)
{
	struct bufctx *b = ctx;
	if (b->size && b->len < b->size - 1) {
		size_t room = b->size - 1 - b->len;
		memcpy(b->buf + b->len, s, n < room ? n : room);
	}
	b->len += n;
	return 0;
}

int canvas_render_text(struct canvas *c, FILE *out)
{
	if (!c || !out)
		return -1;
	return render(c, emit_file, out);
}

size_t canvas_render_buf(struct canvas *c, char *buf, size_t size)
{
	struct bufctx b = {buf, size, 0};
	if (c)
		render(c, emit_buf, &b);
	if (size)
		buf[b.len < size ? b.len : size - 1] = '\0';
	return b.len;
}
