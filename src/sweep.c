/* sweep.c — the table of sweeps. */
#include "config.h"

#include <string.h>

#include "gdpath/sweep.h"

static const struct sweep *const table[] = {&sweep_eta};

size_t sweep_count(void)
{
	return sizeof table / sizeof table[0];
}

const struct sweep *sweep_at(size_t i)
{
	return i < sweep_count() ? table[i] : NULL;
}

const struct sweep *sweep_lookup(const char *name)
{
	for (size_t i = 0; i < sweep_count(); i++)
		if (strcmp(table[i]->name, name) == 0)
			return table[i];
	return NULL;
}
