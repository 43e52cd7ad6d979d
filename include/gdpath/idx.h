/* idx.h — MNIST-format IDX files (unsigned-byte tensors), gzip-compressed or plain, read
 * through zlib, and the image data sets built from them (SPEC §3 "Data sources").
 *
 * Reads are bounded: the header's dimensions are checked against IDX_MAX_BYTES before
 * anything is allocated, and a file must hold exactly the bytes its header announces.
 * Every error is one line naming the file and the byte offset (in the uncompressed
 * stream) where it was found. No curses. */
#ifndef GDPATH_IDX_H
#define GDPATH_IDX_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

struct dataset;

#define IDX_MAX_BYTES (512.0 * 1024 * 1024) /* refuse larger tensors */
#define IDX_DEFAULT_DIR "/usr/share/datasets/fashion-mnist"
#define IDX_PACKAGE "dataset-fashion-mnist"
#define IDX_TEST_SUBSET 1000 /* test images used for the test error (a fixed subset) */

struct idx {
	size_t ndims;
	size_t dims[3];
	size_t count;        /* product of dims */
	unsigned char *data; /* count bytes, owned */
};

/* Read an IDX file of unsigned bytes with `ndims` dimensions (1: labels, 3: images).
 * -1 and *cause ("FILE: byte N: what") on failure. */
int idx_read(const char *path, size_t ndims, struct idx *out, char **cause);
void idx_release(struct idx *t);

/* Write an IDX file of unsigned bytes (plain, or gzip when the name ends in ".gz"),
 * replaced atomically. For tests and tools. */
int idx_write(const char *path, size_t ndims, const size_t *dims, const unsigned char *data,
	      char **cause);

/* The training and test file names of an MNIST-style directory, in buf (gz or plain,
 * whichever exists; "train-images-idx3-ubyte" etc.). which: 0 train images, 1 train
 * labels, 2 test images, 3 test labels. -1 if neither exists. */
int idx_find(const char *dir, int which, char *buf, size_t len);

/* An image data set for classification: n training images drawn without replacement
 * from the training file by rng (all of them in file order when n = 0), pixels scaled to
 * [0, 1], targets one-hot over `classes` outputs (y has n·classes entries, ds->nout =
 * classes), and the first IDX_TEST_SUBSET test images as the test set. dir NULL: the
 * default directory; a missing default directory names the Debian package. Labels must
 * be below `classes`. -1 and *cause on failure. */
int idx_load_dataset(const char *dir, size_t n, size_t classes, gsl_rng *rng,
		     struct dataset **out, char **cause);

#endif
