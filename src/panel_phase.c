/* panel_phase.c — the live phase diagram: success rate per (k, d) cell as glyphs whose
 * density grows with the rate (· ░ ▒ ▓ █, in ASCII . : + # @) and whose colour follows a
 * colour-blind-safe sequential scale (roles heat1..heat5, viridis by default); cells not
 * finished yet are blank, the cell whose trial is shown is marked, and the n = kd curve
 * separates the cells with fewer parameters than samples from the others. k grows upward,
 * d to the right, as in [OS19b] Fig. 2. A grid larger than the panel is shown in bins
 * (each the mean rate of its finished cells). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gdpath/act.h"
#include "gdpath/app.h"
#include "gdpath/canvas.h"
#include "gdpath/model.h"
#include "gdpath/panel_phase.h"
#include "gdpath/phase_live.h"
#include "gdpath/role.h"

static const uint32_t glyph_utf8[5] = {0x00B7, 0x2591, 0x2592, 0x2593, 0x2588}; /* · ░ ▒ ▓ █ */
static const uint32_t glyph_ascii[5] = {'.', ':', '+', '#', '@'};

/* Level 0..4 of a rate: 0, below 1/3, below 2/3, below 1, 1. */
static int level(double rate)
{
	if (!(rate > 0))
		return 0;
	if (rate >= 1)
		return 4;
	return rate < 1.0 / 3 ? 1 : rate < 2.0 / 3 ? 2 : 3;
}

int panel_phase_rows(const struct app *a)
{
	return a->phase ? (int)a->phase->pr->cfg.nk + 5 : 0;
}

/* The grid index range [*lo, *hi) shown by display slot i of m slots over n values. */
static void bin(size_t i, size_t m, size_t n, size_t *lo, size_t *hi)
{
	*lo = i * n / m;
	*hi = (i + 1) * n / m;
}

void panel_phase(struct canvas *c, const struct app *a, int x, int y, int w, int h)
{
	const struct phase_live *pl = a->phase;
	if (pl == NULL || w < 12 || h < 5)
		return;
	struct phase_run *pr = pl->pr;
	const struct phase_cfg *cf = &pr->cfg;
	const uint32_t *gl = a->ascii ? glyph_ascii : glyph_utf8;
	size_t nk = cf->nk, nd = cf->nd;
	canvas_erase(c, x, y, w, h);

	/* Which cells are done, and the current one: over the shard's cells. */
	size_t done = 0;
	for (size_t i = 0; i < pr->ncells; i++)
		done += phase_run_cell_done(pr, i);
	char title[160];
	snprintf(title, sizeof title, "%s rate: %zu/%zu cells, n=%zu%s",
		 cf->ops == &model_rf_ops ? "fit (v only)" : "success", done, pr->ncells, cf->n,
		 pr->shard.n > 1 ? " (shard)" : "");
	canvas_text(c, x, y, title, ROLE_TITLE);

	/* Geometry: gutter for k labels, cells 2 wide (glyph + separator) when they fit. */
	char lab[32];
	snprintf(lab, sizeof lab, "%zu", pr->ks[nk - 1]);
	int gut = (int)strlen(lab) + 1;
	if (gut < 3)
		gut = 3;
	int legend_rows = w - gut >= 44 ? 1 : 2;
	int rows = h - 1 - 2 - legend_rows; /* title, axis + d label, legend */
	if (rows < 1)
		return;
	int avail = w - gut;
	int cw = (int)nd * 2 <= avail ? 2 : 1;
	size_t mcols = (size_t)avail / (size_t)cw < nd ? (size_t)avail / (size_t)cw : nd;
	size_t mrows = (size_t)rows < nk ? (size_t)rows : nk;
	if (mcols < 1)
		return;
	int top = y + 1;
	/* which display slot holds the current cell */
	size_t cj = pr->cell[pl->cur], cur_k = cj / nd, cur_d = cj % nd;

	for (size_t r = 0; r < mrows; r++) {
		/* k grows upward: display row r (from the top) is slot mrows-1-r */
		size_t klo, khi;
		bin(mrows - 1 - r, mrows, nk, &klo, &khi);
		int yy = top + (int)r;
		/* k label on every row that fits one (each row when not binned) */
		if (mrows == nk || r % 2 == 0 || r + 1 == mrows) {
			snprintf(lab, sizeof lab, "%*zu", gut - 1, pr->ks[klo]);
			canvas_text(c, x, yy, lab, ROLE_AXIS);
		}
		double kmid = 0.5 * ((double)pr->ks[klo] + (double)pr->ks[khi - 1]);
		for (size_t q = 0; q < mcols; q++) {
			size_t dlo, dhi;
			bin(q, mcols, nd, &dlo, &dhi);
			double sum = 0;
			size_t nd_done = 0;
			bool mine = false, cur = !pl->finished && cur_k >= klo && cur_k < khi &&
						 cur_d >= dlo && cur_d < dhi;
			for (size_t ki = klo; ki < khi; ki++)
				for (size_t di = dlo; di < dhi; di++) {
					size_t j = ki * nd + di;
					if (!shard_owns(&pr->shard, j))
						continue;
					mine = true;
					size_t i = j / pr->shard.n; /* its place in the shard's list */
					if (!phase_run_cell_done(pr, i))
						continue;
					struct phase_cell cell;
					phase_run_cell(pr, i, &cell);
					sum += cell.rate;
					nd_done++;
				}
			int xx = x + gut + (int)q * cw;
			if (cur)
				canvas_put(c, xx, yy, a->ascii ? '*' : 0x25C6, ROLE_CURRENT,
					   CANVAS_BOLD); /* ◆ */
			else if (nd_done > 0) {
				int lv = level(sum / (double)nd_done);
				canvas_put(c, xx, yy, gl[lv], ROLE_HEAT1 + lv, 0);
			} else if (!mine)
				canvas_put(c, xx, yy, ' ', ROLE_TEXT, 0);
			/* the n = kd curve: between the last column with k·d < n and the next */
			double dhi_v = (double)pr->ds[dhi - 1];
			bool before = kmid * dhi_v < (double)cf->n;
			bool next_after = q + 1 < mcols &&
					  kmid * (double)pr->ds[(q + 1) * nd / mcols] >= (double)cf->n;
			if (q == 0 && !before && kmid * (double)pr->ds[0] >= (double)cf->n && cw == 2)
				canvas_put(c, xx - 1, yy, a->ascii ? '|' : 0x2502, ROLE_MARK, 0);
			if (before && next_after) {
				if (cw == 2)
					canvas_put(c, xx + 1, yy, a->ascii ? '|' : 0x2502, ROLE_MARK, 0);
				else
					canvas_put(c, xx, yy, canvas_cell(c, xx, yy)->ch, canvas_cell(c, xx, yy)->fg,
						   CANVAS_UNDERLINE);
			}
		}
	}
	/* d axis: a few labels under their columns */
	int ay = top + (int)mrows;
	int lastx = -100;
	for (size_t q = 0; q < mcols; q++) {
		size_t dlo, dhi;
		bin(q, mcols, nd, &dlo, &dhi);
		snprintf(lab, sizeof lab, "%zu", pr->ds[dlo]);
		int xx = x + gut + (int)q * cw;
		if (xx >= lastx + (int)strlen(lab) + 1 && xx + (int)strlen(lab) <= x + w) {
			canvas_text(c, xx, ay, lab, ROLE_AXIS);
			lastx = xx;
		}
	}
	canvas_text(c, x, ay, "k", ROLE_AXIS);
	canvas_text(c, x + gut + (int)mcols * cw / 2, ay + 1, "d", ROLE_AXIS);
	if (mrows < nk || mcols < nd)
		canvas_text(c, x + gut + (int)mcols * cw / 2 + 2, ay + 1,
			    a->ascii ? "(binned: mean rates)" : "(binned: mean rates)", ROLE_AXIS);
	/* legend */
	int ly = ay + 2;
	int lx = x;
	static const char *const names[5] = {"0", "<1/3", "<2/3", "<1", "1"};
	for (int lv = 0; lv < 5; lv++) {
		canvas_put(c, lx, ly, gl[lv], ROLE_HEAT1 + lv, 0);
		lx += 1 + canvas_text(c, lx + 1, ly, names[lv], ROLE_TEXT) + 1;
	}
	if (legend_rows == 2) {
		ly++;
		lx = x;
	}
	if (cw == 2)
		canvas_put(c, lx, ly, a->ascii ? '|' : 0x2502, ROLE_MARK, 0);
	else
		canvas_put(c, lx, ly, '_', ROLE_MARK, CANVAS_UNDERLINE);
	lx += 3 + canvas_text(c, lx + 2, ly, cw == 2 ? "n = kd" : "first kd >= n", ROLE_TEXT);
	canvas_put(c, lx, ly, a->ascii ? '*' : 0x25C6, ROLE_CURRENT, CANVAS_BOLD);
	canvas_text(c, lx + 2, ly, "shown", ROLE_TEXT);
}
