/* preset.h — the papers' figures one option away (SPEC §5). */
#ifndef GDPATH_PRESET_H
#define GDPATH_PRESET_H

#include <stddef.h>

struct opts;

struct preset {
	const char *name;
	const char *summary;
	void (*apply)(struct opts *o);
};

const struct preset *preset_lookup(const char *name);
size_t preset_count(void);
const struct preset *preset_at(size_t i);

#endif
