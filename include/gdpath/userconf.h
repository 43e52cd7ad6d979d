/* userconf.h — the user configuration file: `key = value` lines (conf.h syntax) that set
 * defaults in struct opts before the command line is read, so options on the command line
 * win over it.
 *
 * Keys (each at most once a file):
 *	theme     = NAME|FILE           as --theme (a name must be an available theme)
 *	fps       = N                   1 to 1000, as --fps
 *	preset    = NAME                as --preset; applied before the file's other keys,
 *	                                whatever the line order, so they override it
 *	ascii     = yes|no|true|false|1|0   (case-insensitive) as --ascii
 *	seed      = S                   0 to 4294967295, as --seed
 *	model     = NAME                as --model
 *	optimizer = NAME                as --optimizer
 *	eta       = X|theory            as --eta
 */
#ifndef GDPATH_USERCONF_H
#define GDPATH_USERCONF_H

struct opts;

/* Flags for userconf_apply_flags(). */
#define USERCONF_SKIP_PRESET 0x1u /* ignore the file's preset (the command line has one) */

/* Read the configuration file at path and set what it names in *o; keys it does not name
 * are left alone. A file that does not exist is not an error: returns 0 and changes
 * nothing. Returns 0 when every line was good. Otherwise returns -1 and sets *cause (if
 * cause is not NULL) to a heap-allocated message the caller frees: one "FILE:LINE: message"
 * per bad line, "\n"-separated, or "FILE: strerror" when the file cannot be read. The good
 * lines of a file with errors are still applied, so a caller may warn and carry on.
 * Strings set in *o (the theme) are kept by this module for the life of the process. */
int userconf_apply(struct opts *o, const char *path, char **cause);
/* The same, with USERCONF_* flags. */
int userconf_apply_flags(struct opts *o, const char *path, unsigned flags, char **cause);

/* Where the file is: $XDG_CONFIG_HOME/gdpath/config when XDG_CONFIG_HOME is an absolute
 * path, else $HOME/.config/gdpath/config when HOME is set and not empty (the same rule as
 * the theme directories in theme.h). Heap-allocated, the caller frees; NULL if neither
 * variable gives a directory. */
char *userconf_path(void);

#endif
