/* test_band.c — [OS19] Fig. 2's band: the first-passage interpolation (a misfit that goes
 * back up does not count twice; grid values never reached are NAN), the mean and sd over
 * trials against hand values (GSL statistics, n − 1), and the CSV read back exactly. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "gdpath/band.h"

static void test_first_passage(void **state)
{
	(void)state;
	/* misfit 1 → 0.5 → 0.7 (back up: ignored) → 0.2; distance 0 → 1 → 5 → 2 */
	const double nres[] = {1.0, 0.5, 0.7, 0.2}, nd[] = {0.0, 1.0, 5.0, 2.0};
	double out[BAND_GRID];
	assert_int_equal(band_interpolate(nres, nd, 4, out), 0);
	assert_true(fabs(band_grid(19) - 1.0) < 1e-15);
	assert_true(out[19] == 0.0);                      /* misfit 1.00: the start */
	assert_true(fabs(out[9] - 1.0) < 1e-12);          /* 0.50: a measured point */
	assert_true(fabs(out[13] - 0.6) < 1e-12);         /* 0.70: on the 1 → 0.5 segment */
	assert_true(fabs(out[5] - 5.0 / 3) < 1e-12); /* 0.30: a third of the way 0.2 → 0.5 */
	assert_true(fabs(out[3] - 2.0) < 1e-12);          /* 0.20 */
	for (size_t g = 0; g < 3; g++)
		assert_true(isnan(out[g]));               /* 0.05 … 0.15: never reached */
	/* one point only (no step measured): just the start */
	assert_int_equal(band_interpolate(nres, nd, 1, out), 0);
	assert_true(out[19] == 0.0 && isnan(out[18]));
}

static void test_reduce_and_read(void **state)
{
	(void)state;
	static const char *const names[] = {"A", "B"};
	struct band b;
	assert_int_equal(band_from_trials(&b, 2, names, 3), 0);
	const double a[3] = {1.0, 2.0, 4.0};
	for (size_t t = 0; t < 3; t++) {
		band_add(&b, t, 0, 10, a[t]);
		band_add(&b, t, 1, 10, 10 * a[t]);
	}
	band_add(&b, 0, 0, 2, 7.0); /* one trial only: a mean, no sd */
	band_add(&b, 0, 1, 2, 7.0);
	band_reduce(&b);
	double mean = 7.0 / 3, sd = sqrt(((1 - mean) * (1 - mean) + (2 - mean) * (2 - mean) +
					  (4 - mean) * (4 - mean)) / 2);
	assert_int_equal(b.count[10], 3);
	assert_true(fabs(b.mean[0][10] - mean) < 1e-14 && fabs(b.sd[0][10] - sd) < 1e-14);
	assert_true(fabs(b.mean[1][10] - 10 * mean) < 1e-13);
	assert_int_equal(b.count[2], 1);
	assert_true(b.mean[0][2] == 7.0 && isnan(b.sd[0][2]));
	assert_int_equal(b.count[0], 0);
	assert_true(isnan(b.mean[0][0]));
	char path[64];
	snprintf(path, sizeof path, "/tmp/gdpath-band-%ld.csv", (long)getpid());
	FILE *f = fopen(path, "w");
	band_write(f, &b);
	fclose(f);
	struct band c;
	char *cause = NULL;
	assert_int_equal(band_read(path, &c, &cause), 0);
	assert_int_equal(c.nlayers, 2);
	assert_string_equal(c.names[1], "B");
	assert_int_equal(band_layer(&c, "B"), 1);
	assert_int_equal(band_layer(&c, "C"), -1);
	assert_true(c.mean[0][10] == b.mean[0][10] && c.sd[1][10] == b.sd[1][10]);
	assert_true(isnan(c.sd[0][2]) && c.count[2] == 1);
	band_release(&c);
	band_release(&b);
	/* a row cut short names the line */
	f = fopen(path, "w");
	fputs("nresidual,trials,mean.A,sd.A\n0.05,1,2\n", f);
	fclose(f);
	assert_int_equal(band_read(path, &c, &cause), -1);
	assert_non_null(strstr(cause, ":2: 3 fields, the header has 4"));
	free(cause);
	remove(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_first_passage),
	    cmocka_unit_test(test_reduce_and_read),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
