/* fuzz_init.c — libFuzzer target: the θ0 reader (--init), for a few parameter counts. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_file.h"
#include "gdpath/data.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the first byte picks p, the rest is the file */
	size_t p = size ? 1 + data[0] % 16 : 1;
	double v[16];
	char *cause = NULL;
	const char *path = fuzz_file(size ? data + 1 : data, size ? size - 1 : 0);
	if (data_read_vector(path, v, p, &cause) == 0) {
		for (size_t i = 0; i < p; i++)
			if (!isfinite(v[i]))
				abort();
	} else {
		fuzz_check_cause(cause);
	}
	free(cause);
	return 0;
}
