/* role.h — semantic colour roles. Drawing code asks for a role, never a colour; a theme
 * (theme.h) maps each role to colours and attributes. */
#ifndef GDPATH_ROLE_H
#define GDPATH_ROLE_H

enum role {
	ROLE_BACKGROUND,
	ROLE_TEXT,
	ROLE_TITLE,
	ROLE_AXIS,
	ROLE_GRID,
	ROLE_TRAJECTORY,
	ROLE_CURRENT,
	ROLE_GREEN_LINE, /* upper bound (2.12): misfit = r0 − α̂·distance */
	ROLE_ZETA_LINE,  /* the guarantee for the current η: r0 − ζ̂·distance */
	ROLE_RED_LINE,   /* lower bound (2.15): misfit = r0 − β̂·distance */
	ROLE_REGION,     /* the green region between them (cell background) */
	ROLE_ENVELOPE,   /* rate envelope on the loss plot */
	ROLE_MARK,       /* zero-misfit marks, η-change marks, thresholds */
	ROLE_STATUS,
	ROLE_WARNING,
	ROLE_HELP,
	ROLE_GHOST1,
	ROLE_GHOST8 = ROLE_GHOST1 + 7,
	ROLE_LAYER1,
	ROLE_LAYER8 = ROLE_LAYER1 + 7,
	ROLE_HEAT1, /* phase-diagram levels, lowest to highest success rate: a sequential */
	ROLE_HEAT5 = ROLE_HEAT1 + 4, /* scale safe for colour-blind viewers (viridis) */
	ROLE_COUNT
};

/* Theme-file name of a role ("green_line", "ghost3", ...), and back (-1 if unknown). */
const char *role_name(int role);
int role_lookup(const char *name);

#endif
