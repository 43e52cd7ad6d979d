/* fuzz_data.c — libFuzzer target: the --data CSV reader. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_file.h"
#include "gdpath/data.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dataset *ds = NULL;
	char *cause = NULL;
	if (data_read_csv(fuzz_file(data, size), &ds, &cause) == 0) {
		/* what was read is finite numbers, at least one row, at least one feature */
		if (ds->n == 0 || ds->nfeat == 0)
			abort();
		for (size_t i = 0; i < ds->n * ds->nfeat; i++)
			if (!isfinite(ds->X[i]))
				abort();
		for (size_t i = 0; i < ds->n; i++)
			if (!isfinite(ds->y[i]))
				abort();
		data_free(ds);
	} else {
		fuzz_check_cause(cause);
	}
	free(cause);
	return 0;
}
