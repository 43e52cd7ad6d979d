/* layout.c — whole items by priority in a box (layout.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gdpath/canvas.h"
#include "gdpath/layout.h"

void llist_init(struct llist *l)
{
	l->n = 0;
	l->group = 0;
}

void llist_break(struct llist *l)
{
	l->group++;
}

struct litem *llist_add(struct llist *l, int prio, int role, const char *fmt, ...)
{
	if (l->n >= LAYOUT_MAX_ITEMS)
		return NULL;
	struct litem *it = &l->it[l->n++];
	va_list ap;
	va_start(ap, fmt);
	int need = vsnprintf(it->text, sizeof it->text, fmt, ap);
	va_end(ap);
	if (need < 0 || (size_t)need >= sizeof it->text)
		it->text[0] = '\0'; /* too long: dropped (layout_fit skips it), never cut */
	it->brief[0] = '\0';
	it->prio = prio;
	it->role = role;
	it->group = l->group;
	return it;
}

void llist_brief(struct litem *it, const char *fmt, ...)
{
	if (it == NULL)
		return;
	va_list ap;
	va_start(ap, fmt);
	int need = vsnprintf(it->brief, sizeof it->brief, fmt, ap);
	va_end(ap);
	if (need < 0 || (size_t)need >= sizeof it->brief)
		it->brief[0] = '\0';
}

int layout_cells(const char *s)
{
	int n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		n += (*p & 0xC0) != 0x80;
	return n;
}

/* Flow the items marked in use (width wd[i] > 0) into the box; 1 if all fit. */
static int flow(const struct litem *it, const int *wd, int n, int w, int h, int sep,
		struct lplace *out, int *rows)
{
	int row = 0, col = 0, group = 0;
	bool any = false;
	for (int i = 0; i < n; i++) {
		if (wd[i] <= 0)
			continue;
		if (wd[i] > w)
			return 0;
		if (any && it[i].group != group) {
			row++;
			col = 0;
		} else if (any && col + sep + wd[i] > w) {
			row++;
			col = 0;
		} else if (any) {
			col += sep;
		}
		if (row >= h)
			return 0;
		if (out) {
			out[i].x = col;
			out[i].y = row;
		}
		col += wd[i];
		group = it[i].group;
		any = true;
	}
	*rows = any ? row + 1 : 0;
	return 1;
}

int layout_fit(const struct litem *it, int n, int w, int h, int sep, struct lplace *out)
{
	int wd[LAYOUT_MAX_ITEMS] = {0}, order[LAYOUT_MAX_ITEMS], rows = 0;
	if (n > LAYOUT_MAX_ITEMS)
		n = LAYOUT_MAX_ITEMS;
	for (int i = 0; i < n; i++) {
		out[i].shown = out[i].brief = false;
		out[i].x = out[i].y = 0;
		order[i] = i;
	}
	/* stable sort by priority (insertion sort: n is small) */
	for (int i = 1; i < n; i++) {
		int k = order[i], j = i;
		while (j > 0 && it[order[j - 1]].prio > it[k].prio) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = k;
	}
	if (w <= 0 || h <= 0)
		return 0;
	for (int o = 0; o < n; o++) {
		int i = order[o], r;
		if (it[i].text[0] == '\0')
			continue;
		wd[i] = layout_cells(it[i].text);
		if (flow(it, wd, n, w, h, sep, NULL, &r)) {
			out[i].shown = true;
			continue;
		}
		if (it[i].brief[0]) {
			wd[i] = layout_cells(it[i].brief);
			if (flow(it, wd, n, w, h, sep, NULL, &r)) {
				out[i].shown = out[i].brief = true;
				continue;
			}
		}
		wd[i] = 0;
	}
	flow(it, wd, n, w, h, sep, out, &rows);
	return rows;
}

int layout_draw(struct canvas *c, int x, int y, int w, int h, const struct llist *l,
		const char *sep_text, int sep_role)
{
	struct lplace pl[LAYOUT_MAX_ITEMS];
	int sep = layout_cells(sep_text);
	int rows = layout_fit(l->it, l->n, w, h, sep, pl);
	int prev_y = -1, prev_end = 0;
	for (int i = 0; i < l->n; i++) {
		if (!pl[i].shown)
			continue;
		const char *s = pl[i].brief ? l->it[i].brief : l->it[i].text;
		if (pl[i].y == prev_y && pl[i].x == prev_end + sep)
			canvas_text(c, x + prev_end, y + pl[i].y, sep_text, sep_role);
		canvas_text(c, x + pl[i].x, y + pl[i].y, s, l->it[i].role);
		prev_y = pl[i].y;
		prev_end = pl[i].x + layout_cells(s);
	}
	return rows;
}
