/* cast.c — asciicast v2 writer (cast.h). */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gdpath/canvas.h"
#include "gdpath/cast.h"
#include "gdpath/outfile.h"
#include "gdpath/role.h"
#include "gdpath/theme.h"
#include "gdpath/util.h"

struct cast {
	struct outfile of;
	int cols, rows;
	struct theme theme;
	bool have_theme;
	struct canvas_cell *shadow; /* what the player shows now */
	int sw, sh;
	bool valid;
	double last_t;
	bool failed;
	/* one event's text, JSON-escaped as it is built */
	char *buf;
	size_t len, cap;
};

static void grow(struct cast *c, size_t more)
{
	if (c->len + more + 1 <= c->cap)
		return;
	size_t nc = c->cap ? c->cap : 4096;
	while (nc < c->len + more + 1)
		nc *= 2;
	char *n = realloc(c->buf, nc);
	if (n == NULL) {
		c->failed = true;
		return;
	}
	c->buf = n;
	c->cap = nc;
}

/* Append bytes, escaped for a JSON string. */
static void add(struct cast *c, const char *s, size_t n)
{
	grow(c, 6 * n);
	if (c->failed)
		return;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\') {
			c->buf[c->len++] = '\\';
			c->buf[c->len++] = (char)ch;
		} else if (ch < 0x20 || ch == 0x7f) {
			c->len += (size_t)snprintf(c->buf + c->len, 7, "\\u%04x", ch);
		} else {
			c->buf[c->len++] = (char)ch;
		}
	}
	c->buf[c->len] = '\0';
}

static void adds(struct cast *c, const char *s)
{
	add(c, s, strlen(s));
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

struct cast *cast_open(const char *path, int cols, int rows, const char *title, char **cause)
{
	struct cast *c = calloc(1, sizeof *c);
	if (c == NULL) {
		*cause = xstrdup("out of memory");
		return NULL;
	}
	if (outfile_open(&c->of, path, cause) != 0) {
		free(c);
		return NULL;
	}
	c->cols = cols;
	c->rows = rows;
	const char *term = getenv("TERM");
	fprintf(c->of.f, "{\"version\": 2, \"width\": %d, \"height\": %d, \"timestamp\": %lld, ", cols,
		rows, (long long)time(NULL));
	fputs("\"env\": {\"TERM\": ", c->of.f);
	json_string(c->of.f, term && *term ? term : "xterm-256color");
	fputs(", \"SHELL\": \"/bin/sh\"}, \"title\": ", c->of.f);
	json_string(c->of.f, title ? title : "gdpath");
	fputs("}\n", c->of.f);
	return c;
}

void cast_set_theme(struct cast *c, const struct theme *t)
{
	c->theme = *t;
	c->have_theme = true;
	c->valid = false;
}

/* SGR parameters for a colour: fg (base 30) or bg (base 40). */
static int sgr_colour(char *out, size_t len, int colour, bool fg)
{
	if (colour == COLOUR_DEFAULT)
		return snprintf(out, len, ";%d", fg ? 39 : 49);
	if (COLOUR_IS_RGB(colour))
		return snprintf(out, len, ";%d;2;%d;%d;%d", fg ? 38 : 48, (colour >> 16) & 255,
				(colour >> 8) & 255, colour & 255);
	if (colour < 8)
		return snprintf(out, len, ";%d", (fg ? 30 : 40) + colour);
	if (colour < 16)
		return snprintf(out, len, ";%d", (fg ? 90 : 100) + colour - 8);
	return snprintf(out, len, ";%d;5;%d", fg ? 38 : 48, colour);
}

/* The SGR sequence of a cell, as screen.c would colour it. */
static void sgr_of(const struct cast *c, const struct canvas_cell *cl, char *out, size_t len)
{
	int o = snprintf(out, len, "\033[0");
	if (c->have_theme) {
		int f = cl->fg < ROLE_COUNT ? cl->fg : ROLE_TEXT;
		int b = cl->bg < ROLE_COUNT ? cl->bg : ROLE_BACKGROUND;
		const struct theme_style *sf = &c->theme.style[f], *sb = &c->theme.style[b];
		int fg = sf->fg;
		int bg = b == ROLE_BACKGROUND || (sf->bg != COLOUR_DEFAULT && f != b) ? sf->bg : sb->bg;
		unsigned at = sf->attrs | (b != ROLE_BACKGROUND ? sb->attrs : 0);
		if (at & ATTR_BOLD)
			o += snprintf(out + o, len - (size_t)o, ";1");
		if (at & ATTR_DIM)
			o += snprintf(out + o, len - (size_t)o, ";2");
		if (at & ATTR_UNDERLINE)
			o += snprintf(out + o, len - (size_t)o, ";4");
		if (at & ATTR_REVERSE)
			o += snprintf(out + o, len - (size_t)o, ";7");
		o += sgr_colour(out + o, len - (size_t)o, fg, true);
		o += sgr_colour(out + o, len - (size_t)o, bg, false);
	}
	if (cl->attr & CANVAS_BOLD)
		o += snprintf(out + o, len - (size_t)o, ";1");
	if (cl->attr & CANVAS_DIM)
		o += snprintf(out + o, len - (size_t)o, ";2");
	if (cl->attr & CANVAS_UNDERLINE)
		o += snprintf(out + o, len - (size_t)o, ";4");
	if (cl->attr & CANVAS_REVERSE)
		o += snprintf(out + o, len - (size_t)o, ";7");
	snprintf(out + o, len - (size_t)o, "m");
}

static void emit(struct cast *c, double t)
{
	if (c->len == 0 || c->failed)
		return;
	if (t < c->last_t)
		t = c->last_t;
	c->last_t = t;
	fprintf(c->of.f, "[%.6f, \"o\", \"%s\"]\n", t, c->buf);
	c->len = 0;
}

void cast_frame(struct cast *c, double t, struct canvas *cv)
{
	int w = canvas_width(cv), h = canvas_height(cv);
	if (w > c->cols)
		w = c->cols;
	if (h > c->rows)
		h = c->rows;
	if (w != c->sw || h != c->sh || c->shadow == NULL) {
		free(c->shadow);
		c->shadow = calloc((size_t)(w > 0 ? w : 1) * (size_t)(h > 0 ? h : 1), sizeof *c->shadow);
		if (c->shadow == NULL) {
			c->failed = true;
			return;
		}
		c->sw = w;
		c->sh = h;
		c->valid = false;
	}
	if (!c->valid)
		adds(c, "\033[0m\033[2J\033[H");
	char last_sgr[128] = "", sgr[128], seq[32];
	int cx = -1, cy = -1;
	for (int y = 0; y < h; y++) {
		const struct canvas_cell *row = canvas_row(cv, y);
		if (row == NULL)
			break;
		struct canvas_cell *sh = c->shadow + (size_t)y * (size_t)w;
		for (int x = 0; x < w; x++) {
			if (c->valid && canvas_cell_equal(&sh[x], &row[x]))
				continue;
			sh[x] = row[x];
			if (cx != x || cy != y) {
				snprintf(seq, sizeof seq, "\033[%d;%dH", y + 1, x + 1);
				adds(c, seq);
			}
			sgr_of(c, &row[x], sgr, sizeof sgr);
			if (strcmp(sgr, last_sgr) != 0) {
				adds(c, sgr);
				memcpy(last_sgr, sgr, sizeof sgr);
			}
			char u[8];
			uint32_t ch = row[x].ch >= 0x20 ? row[x].ch : ' ';
			int n = canvas_utf8_encode(ch, u);
			add(c, u, (size_t)n);
			/* the bottom-right cell leaves the cursor where it is on some terminals */
			cx = x + 1;
			cy = y;
		}
	}
	if (c->len > 0)
		adds(c, "\033[0m");
	c->valid = true;
	emit(c, t);
}

void cast_marker(struct cast *c, double t, const char *caption)
{
	if (t < c->last_t)
		t = c->last_t;
	c->last_t = t;
	fprintf(c->of.f, "[%.6f, \"m\", ", t);
	json_string(c->of.f, caption ? caption : "");
	fputs("]\n", c->of.f);
}

int cast_close(struct cast *c, char **cause)
{
	int rc;
	if (c->failed) {
		*cause = xstrdup("out of memory while writing the cast");
		outfile_abort(&c->of);
		rc = -1;
	} else {
		rc = outfile_commit(&c->of, cause);
	}
	free(c->shadow);
	free(c->buf);
	free(c);
	return rc;
}

void cast_abort(struct cast *c)
{
	if (c == NULL)
		return;
	outfile_abort(&c->of);
	free(c->shadow);
	free(c->buf);
	free(c);
}
