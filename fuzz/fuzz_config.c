/* fuzz_config.c — libFuzzer target: the user configuration file (userconf.c over conf.c). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz_file.h"
#include "gdpath/cli.h"
#include "gdpath/userconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct opts o;
	char *cause = NULL;
	char *argv[] = {"gdpath", "--batch", NULL};
	setenv("XDG_CONFIG_HOME", "/nonexistent-gdpath-fuzz", 1);
	if (cli_parse(2, argv, &o, &cause) != 0)
		abort();
	if (userconf_apply(&o, fuzz_file(data, size), &cause) != 0) {
		if (cause == NULL)
			abort();
		/* one line per error, each naming the file */
		if (strstr(cause, "/proc/self/fd/") != cause)
			abort();
	}
	free(cause);
	return 0;
}
