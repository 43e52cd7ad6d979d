/* fuzz_theme.c — libFuzzer target: a theme file (conf.c's line parser, theme.c's styles). */
#include "config.h"

#include <stdlib.h>

#include "fuzz_file.h"
#include "gdpath/theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct theme t;
	char *cause = NULL;
	if (theme_load_file(fuzz_file(data, size), &t, &cause) != 0 && cause == NULL)
		abort(); /* a failure always says why */
	free(cause);
	return 0;
}
