/* userconf.c — the user configuration file (userconf.h): where it is, and turning its
 * `key = value` lines into defaults in struct opts. The parsing of lines, comments and
 * "file:line" messages is conf.c's; this file checks values and applies them. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "gdpath/cli.h"
#include "gdpath/conf.h"
#include "gdpath/model.h"
#include "gdpath/optim.h"
#include "gdpath/preset.h"
#include "gdpath/theme.h"
#include "gdpath/userconf.h"
#include "gdpath/util.h"

/* The keys, in the order of userconf.h and of the "unknown key" message. */
enum uc_key {
	UC_THEME,
	UC_FPS,
	UC_PRESET,
	UC_ASCII,
	UC_SEED,
	UC_MODEL,
	UC_OPTIMIZER,
	UC_ETA,
	UC_EXPORT_DIR,
	UC_COUNT
};

static const char *const key_names[UC_COUNT] = {
    [UC_THEME] = "theme", [UC_FPS] = "fps",	[UC_PRESET] = "preset",	      [UC_ASCII] = "ascii",
    [UC_SEED] = "seed",	  [UC_MODEL] = "model", [UC_OPTIMIZER] = "optimizer", [UC_ETA] = "eta",
    [UC_EXPORT_DIR] = "export_dir",
};

/* Checked values waiting to be applied once the whole file is read. */
struct pending {
	unsigned line[UC_COUNT]; /* line that set the key, 0 if none */
	char *theme;
	int fps;
	const struct preset *preset;
	bool ascii;
	unsigned long seed;
	const struct model_ops *model;
	int optimizer;
	bool eta_theory;
	double eta;
	char *export_dir;
};

/* The theme name or path set from a file, kept for the life of the process because
 * struct opts holds a plain pointer (on the command line it points into argv). */
static char *kept_theme, *kept_export_dir;

static int key_lookup(const char *key)
{
	for (int k = 0; k < UC_COUNT; k++)
		if (strcmp(key, key_names[k]) == 0)
			return k;
	return -1;
}

static int parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = {"yes", "true", "1"}, *const no[] = {"no", "false", "0"};
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* A theme name must be one theme_list() knows; a path (with '/' or ending in ".theme") is
 * taken as it is and checked when it is loaded. */
static int check_theme(const char *value, char **cause)
{
	size_t len = strlen(value);
	if (strchr(value, '/') != NULL || (len > 6 && strcmp(value + len - 6, ".theme") == 0))
		return 0;
	char **names = theme_list();
	bool found = false;
	size_t need = 1;
	for (size_t i = 0; names != NULL && names[i] != NULL; i++) {
		found |= strcmp(names[i], value) == 0;
		need += strlen(names[i]) + 2;
	}
	if (found || names == NULL) {
		theme_strv_free(names);
		return 0;
	}
	char *list = xcalloc(need, 1);
	for (size_t i = 0; list != NULL && names[i] != NULL; i++) {
		if (i > 0)
			strcat(list, ", ");
		strcat(list, names[i]);
	}
	*cause = xasprintf("theme: unknown theme '%s' (available: %s)", value, list ? list : "?");
	free(list);
	theme_strv_free(names);
	return -1;
}

/* Check one value and keep it in the pending settings. */
static int check_value(struct pending *p, int key, const char *value, char **cause)
{
	long l;
	double v;
	switch (key) {
	case UC_THEME:
		if (check_theme(value, cause) != 0)
			return -1;
		p->theme = xstrdup(value);
		return 0;
	case UC_EXPORT_DIR:
		if (value[0] == '\0') {
			*cause = xstrdup("export_dir: an empty directory name");
			return -1;
		}
		p->export_dir = xstrdup(value);
		return 0;
	case UC_FPS:
		if (parse_long(value, &l) != 0 || l < 1 || l > 1000) {
			*cause = xasprintf("fps: '%s' is not a whole number from 1 to 1000", value);
			return -1;
		}
		p->fps = (int)l;
		return 0;
	case UC_PRESET:
		if ((p->preset = preset_lookup(value)) == NULL) {
			*cause = xasprintf(
			    "preset: unknown preset '%s' (try gdpath --list presets)", value);
			return -1;
		}
		return 0;
	case UC_ASCII:
		if (parse_bool(value, &p->ascii) != 0) {
			*cause =
			    xasprintf("ascii: '%s' is not yes, no, true, false, 1 or 0", value);
			return -1;
		}
		return 0;
	case UC_SEED:
		if (parse_long(value, &l) != 0 || l < 0 || l > 4294967295L) {
			*cause = xasprintf("seed: '%s' is not a whole number from 0 to 4294967295",
					   value);
			return -1;
		}
		p->seed = (unsigned long)l;
		return 0;
	case UC_MODEL:
		if ((p->model = model_lookup(value)) == NULL) {
			*cause = xasprintf("model: unknown model '%s' (try gdpath --list models)",
					   value);
			return -1;
		}
		return 0;
	case UC_OPTIMIZER:
		if ((p->optimizer = optim_lookup(value)) < 0) {
			*cause = xasprintf(
			    "optimizer: unknown optimizer '%s' (try gdpath --list optimizers)",
			    value);
			return -1;
		}
		return 0;
	case UC_ETA:
		if (strcmp(value, "theory") == 0) {
			p->eta_theory = true;
			return 0;
		}
		if (parse_double(value, &v) != 0 || !(v > 0) || v > 1e12) {
			*cause = xasprintf(
			    "eta: '%s' is not a positive finite step size (or 'theory')", value);
			return -1;
		}
		p->eta_theory = false;
		p->eta = v;
		return 0;
	}
	*cause = xasprintf("unhandled key '%s'", key_names[key]);
	return -1;
}

static int setting(const char *key, const char *value, const char *file, unsigned line, void *arg,
		   char **cause)
{
	struct pending *p = arg;
	int k = key_lookup(key);
	(void)file;
	if (k < 0) {
		*cause = xasprintf("unknown key '%s' (theme, fps, preset, ascii, seed, model, "
				   "optimizer, eta, export_dir)",
				   key);
		return -1;
	}
	if (p->line[k] != 0) {
		*cause = xasprintf("'%s' already set on line %u", key, p->line[k]);
		return -1;
	}
	if (check_value(p, k, value, cause) != 0)
		return -1;
	p->line[k] = line;
	return 0;
}

/* The preset first (as on the command line), then the file's other keys over it. */
static void apply(const struct pending *p, struct opts *o, unsigned flags)
{
	struct run_cfg *rc = &o->run;
	if (p->line[UC_PRESET] && !(flags & USERCONF_SKIP_PRESET)) {
		o->preset = p->preset->name;
		p->preset->apply(o);
	}
	if (p->line[UC_THEME]) {
		free(kept_theme);
		kept_theme = p->theme;
		o->theme = kept_theme;
	}
	if (p->line[UC_EXPORT_DIR]) {
		free(kept_export_dir);
		kept_export_dir = p->export_dir;
		o->export_dir = kept_export_dir;
	}
	if (p->line[UC_FPS])
		o->fps = p->fps;
	if (p->line[UC_ASCII])
		o->ascii = p->ascii;
	if (p->line[UC_SEED])
		rc->seed = p->seed;
	if (p->line[UC_MODEL])
		rc->ops = p->model;
	if (p->line[UC_OPTIMIZER])
		rc->ocfg.kind = p->optimizer;
	if (p->line[UC_ETA]) {
		rc->eta_theory = p->eta_theory;
		if (p->eta_theory)
			rc->eta_scale = 1;
		else
			rc->eta = p->eta;
	}
}

int userconf_apply_flags(struct opts *o, const char *path, unsigned flags, char **cause)
{
	struct pending p;
	memset(&p, 0, sizeof p);
	if (cause != NULL)
		*cause = NULL;
	/* A missing file (or a missing directory on the way) is the usual case. */
	/* stat, not open: opening a FIFO to find out would wait for a writer */
	struct stat sb;
	if (stat(path, &sb) != 0 && (errno == ENOENT || errno == ENOTDIR))
		return 0;
	int rv = conf_parse_file(path, setting, &p, cause);
	apply(&p, o, flags);
	return rv;
}

int userconf_apply(struct opts *o, const char *path, char **cause)
{
	return userconf_apply_flags(o, path, 0, cause);
}

char *userconf_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	char *path;
	if (xdg != NULL && xdg[0] == '/')
		path = xasprintf("%s/gdpath/config", xdg);
	else if (home != NULL && home[0] != '\0')
		path = xasprintf("%s/.config/gdpath/config", home);
	else
		return NULL;
	return path;
}
