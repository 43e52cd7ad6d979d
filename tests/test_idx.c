/* test_idx.c — the IDX reader: round trips (plain and gzip), every corruption case with
 * the file and byte offset in its message, and the image data set (one-hot targets, the
 * seed's sample, the test subset, the missing-directory message). Writes its own files. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "gdpath/data.h"
#include "gdpath/idx.h"
#include "gdpath/util.h"

static char dir[64];

static int make_dir(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/gdpath-idx-%ld", (long)getpid());
	mkdir(dir, 0700);
	return 0;
}

static int remove_dir(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *path_of(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static void write_raw(const char *path, const unsigned char *b, size_t len, bool gz)
{
	if (gz) {
		gzFile f = gzopen(path, "wb");
		assert_non_null(f);
		assert_int_equal(gzwrite(f, b, (unsigned)len), (int)len);
		assert_int_equal(gzclose(f), Z_OK);
	} else {
		FILE *f = fopen(path, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(b, 1, len, f), len);
		assert_int_equal(fclose(f), 0);
	}
}

/* Expect idx_read to fail with a message containing every needle. */
static void expect_error(const char *path, size_t ndims, const char *n1, const char *n2)
{
	struct idx t;
	char *cause = NULL;
	assert_int_equal(idx_read(path, ndims, &t, &cause), -1);
	assert_non_null(cause);
	if (!strstr(cause, path) || !strstr(cause, n1) || (n2 && !strstr(cause, n2)))
		print_error("message: %s\n", cause);
	assert_non_null(strstr(cause, path));
	assert_non_null(strstr(cause, n1));
	if (n2)
		assert_non_null(strstr(cause, n2));
	assert_null(strchr(cause, '\n'));
	assert_null(t.data);
	free(cause);
}

static void test_round_trip(void **state)
{
	(void)state;
	static const char *const names[] = {"a.idx", "a.idx.gz"};
	unsigned char img[2 * 3 * 4];
	for (size_t i = 0; i < sizeof img; i++)
		img[i] = (unsigned char)(i * 37 + 5);
	size_t dims[3] = {2, 3, 4};
	for (int g = 0; g < 2; g++) {
		char *p = path_of(names[g]), *cause = NULL;
		assert_int_equal(idx_write(p, 3, dims, img, &cause), 0);
		struct idx t;
		assert_int_equal(idx_read(p, 3, &t, &cause), 0);
		assert_int_equal(t.ndims, 3);
		assert_int_equal(t.dims[0], 2);
		assert_int_equal(t.dims[1], 3);
		assert_int_equal(t.dims[2], 4);
		assert_int_equal(t.count, sizeof img);
		assert_memory_equal(t.data, img, sizeof img);
		idx_release(&t);
		/* the gzip file really is compressed: its first bytes are gzip's magic */
		FILE *f = fopen(p, "rb");
		int c0 = fgetc(f), c1 = fgetc(f);
		fclose(f);
		if (g == 1) {
			assert_int_equal(c0, 0x1f);
			assert_int_equal(c1, 0x8b);
		} else {
			assert_int_equal(c0, 0);
		}
		free(p);
	}
}

static void test_corrupt(void **state)
{
	(void)state;
	char *p = path_of("bad.idx");
	/* bad magic */
	static const unsigned char magic[] = {0x00, 0x00, 0x0d, 0x03, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 7};
	write_raw(p, magic, sizeof magic, false);
	expect_error(p, 3, "byte 0", "bad magic");
	/* labels file where images are expected: wrong number of dimensions */
	static const unsigned char lab[] = {0, 0, 8, 1, 0, 0, 0, 2, 3, 4};
	write_raw(p, lab, sizeof lab, false);
	expect_error(p, 3, "byte 3", "1 dimensions, expected 3");
	/* zero dimension */
	static const unsigned char zero[] = {0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1};
	write_raw(p, zero, sizeof zero, false);
	expect_error(p, 3, "byte 8", "dimension 2 is 0");
	/* header announcing far more than the bound: refused before allocating */
	static const unsigned char huge[] = {0, 0, 8, 3, 0, 1, 0, 0, 0, 0, 0x10, 0, 0, 0, 0x10, 0};
	write_raw(p, huge, sizeof huge, false);
	expect_error(p, 3, "byte 12", "more than");
	/* truncated header and truncated data */
	write_raw(p, lab, 6, false);
	expect_error(p, 1, "byte 6", "truncated");
	static const unsigned char shortdata[] = {0, 0, 8, 1, 0, 0, 0, 5, 1, 2, 3};
	write_raw(p, shortdata, sizeof shortdata, false);
	expect_error(p, 1, "byte 11", "truncated");
	/* the same truncation inside a gzip stream */
	char *pg = path_of("bad.idx.gz");
	write_raw(pg, shortdata, sizeof shortdata, true);
	expect_error(pg, 1, "byte 11", "truncated");
	/* more data than the header says: wrong dimensions */
	static const unsigned char extra[] = {0, 0, 8, 1, 0, 0, 0, 2, 1, 2, 3};
	write_raw(p, extra, sizeof extra, false);
	expect_error(p, 1, "byte 10", "wrong dimensions");
	/* a damaged gzip stream: valid gzip of a valid file, then a byte in the deflate data
	 * flipped and the file cut short */
	unsigned char big[8 + 4000];
	memcpy(big, (unsigned char[]){0, 0, 8, 1, 0, 0, 0x0f, 0xa0}, 8);
	for (size_t i = 8; i < sizeof big; i++)
		big[i] = (unsigned char)((i * 7919) % 251);
	write_raw(pg, big, sizeof big, true);
	FILE *f = fopen(pg, "rb");
	unsigned char buf[8192];
	size_t len = fread(buf, 1, sizeof buf, f);
	fclose(f);
	assert_true(len > 40);
	buf[len / 2] ^= 0x55;
	write_raw(pg, buf, len - 10, false);
	expect_error(pg, 1, "byte ", "gzip");
	/* missing file */
	char *none = path_of("none.idx");
	expect_error(none, 1, "No such file", NULL);
	free(none);
	free(pg);
	free(p);
}

/* A directory of tiny MNIST-format files: 6 training images 4x4, 3 test images. */
static void write_set(const char *d, unsigned char max_label)
{
	size_t di[3] = {6, 4, 4}, dl[1] = {6}, ti[3] = {3, 4, 4}, tl[1] = {3};
	unsigned char img[6 * 16], labels[6] = {0, 1, 2, 1, 0, 2}, timg[3 * 16],
			       tlab[3] = {2, 2, 0};
	labels[5] = max_label;
	for (size_t i = 0; i < 6; i++)
		for (size_t j = 0; j < 16; j++)
			img[i * 16 + j] = (unsigned char)(i * 40 + j);
	for (size_t i = 0; i < sizeof timg; i++)
		timg[i] = 255;
	char *cause = NULL;
	char *a = xasprintf("%s/train-images-idx3-ubyte.gz", d),
	     *b = xasprintf("%s/train-labels-idx1-ubyte", d),
	     *c = xasprintf("%s/t10k-images-idx3-ubyte", d),
	     *e = xasprintf("%s/t10k-labels-idx1-ubyte.gz", d);
	assert_int_equal(idx_write(a, 3, di, img, &cause), 0);
	assert_int_equal(idx_write(b, 1, dl, labels, &cause), 0);
	assert_int_equal(idx_write(c, 3, ti, timg, &cause), 0);
	assert_int_equal(idx_write(e, 1, tl, tlab, &cause), 0);
	free(a);
	free(b);
	free(c);
	free(e);
}

static void test_dataset(void **state)
{
	(void)state;
	write_set(dir, 2);
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	struct dataset *ds = NULL;
	char *cause = NULL;
	assert_int_equal(idx_load_dataset(dir, 0, 3, rng, &ds, &cause), 0);
	assert_int_equal(ds->n, 6);
	assert_int_equal(ds->nfeat, 16);
	assert_int_equal(ds->nout, 3);
	assert_int_equal(ds->ntest, 3);
	static const int want[6] = {0, 1, 2, 1, 0, 2};
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(ds->cls[i], want[i]);
		for (size_t c = 0; c < 3; c++)
			assert_true(ds->y[i * 3 + c] == (c == (size_t)want[i] ? 1.0 : 0.0));
		assert_true(ds->X[i * 16 + 1] == (double)(i * 40 + 1) / 255.0);
	}
	assert_true(ds->Xtest[5] == 1.0);
	assert_int_equal(ds->cls_test[2], 0);
	data_free(ds);

	/* n = 3 of 6: a sample drawn by the rng, the same for the same seed */
	gsl_rng_set(rng, 7);
	assert_int_equal(idx_load_dataset(dir, 3, 3, rng, &ds, &cause), 0);
	gsl_rng_set(rng, 7);
	struct dataset *ds2 = NULL;
	assert_int_equal(idx_load_dataset(dir, 3, 3, rng, &ds2, &cause), 0);
	assert_int_equal(ds->n, 3);
	assert_memory_equal(ds->X, ds2->X, 3 * 16 * sizeof(double));
	data_free(ds);
	data_free(ds2);

	/* too many asked for */
	assert_int_equal(idx_load_dataset(dir, 7, 3, rng, &ds, &cause), -1);
	assert_non_null(strstr(cause, "6 training images"));
	free(cause);

	/* a label out of range names the labels file and the label's byte */
	write_set(dir, 9);
	assert_int_equal(idx_load_dataset(dir, 0, 3, rng, &ds, &cause), -1);
	assert_non_null(strstr(cause, "train-labels-idx1-ubyte"));
	assert_non_null(strstr(cause, "byte 13"));
	assert_non_null(strstr(cause, "label 9 out of range 0..2"));
	free(cause);

	/* not a directory with the files */
	char *empty = path_of("empty");
	mkdir(empty, 0700);
	assert_int_equal(idx_load_dataset(empty, 0, 3, rng, &ds, &cause), -1);
	assert_non_null(strstr(cause, "train-images-idx3-ubyte"));
	free(cause);
	free(empty);
	gsl_rng_free(rng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_corrupt),
	    cmocka_unit_test(test_dataset),
	};
	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
