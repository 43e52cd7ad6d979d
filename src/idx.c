/* idx.c — MNIST-format IDX files through zlib (gzip or plain, gzread handles both), with
 * bounded reads and one-line errors "FILE: byte N: what"; and the image classification
 * data set (train sample, one-hot targets, fixed test subset) built from a directory. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_randist.h>
#include <zlib.h>

#include "gdpath/data.h"
#include "gdpath/idx.h"
#include "gdpath/util.h"

/* Read exactly len bytes at offset *off; -1 with a message naming the offset otherwise. */
static int read_exact(gzFile f, const char *path, unsigned char *buf, size_t len, size_t *off,
		      const char *what, char **cause)
{
	size_t got = 0;
	while (got < len) {
		size_t want = len - got > (1u << 30) ? (1u << 30) : len - got;
		int k = gzread(f, buf + got, (unsigned)want);
		if (k < 0) {
			int zerr;
			const char *msg = gzerror(f, &zerr);
			*cause = xasprintf("%s: byte %zu: gzip error: %s", path, *off + got,
					   zerr == Z_ERRNO ? strerror(errno) : msg);
			return -1;
		}
		if (k == 0) {
			int zerr;
			const char *msg = gzerror(f, &zerr);
			if (zerr != Z_OK && zerr != Z_BUF_ERROR)
				*cause = xasprintf("%s: byte %zu: gzip error: %s", path, *off + got, msg);
			else if (zerr == Z_BUF_ERROR)
				*cause = xasprintf("%s: byte %zu: truncated gzip stream while reading %s",
						   path, *off + got, what);
			else
				*cause = xasprintf("%s: byte %zu: truncated: %s needs %zu more bytes",
						   path, *off + got, what, len - got);
			return -1;
		}
		got += (size_t)k;
	}
	*off += len;
	return 0;
}

int idx_read(const char *path, size_t ndims, struct idx *out, char **cause)
{
	memset(out, 0, sizeof *out);
	/* a regular file only: a FIFO or a device named like the data would block or never end */
	FILE *fp = fopen_regular(path, cause);
	if (fp == NULL)
		return -1;
	int fd = dup(fileno(fp));
	fclose(fp);
	gzFile f = fd < 0 ? NULL : gzdopen(fd, "rb");
	if (f == NULL) {
		if (fd >= 0)
			close(fd);
		*cause = xasprintf("%s: %s", path, errno ? strerror(errno) : "cannot open");
		return -1;
	}
	gzbuffer(f, 1 << 17);
	size_t off = 0;
	unsigned char hdr[4];
	if (read_exact(f, path, hdr, 4, &off, "the magic number", cause) != 0)
		goto fail;
	if (hdr[0] != 0 || hdr[1] != 0 || hdr[2] != 0x08) {
		*cause = xasprintf("%s: byte 0: bad magic %02x %02x %02x %02x (an IDX file of unsigned "
				   "bytes starts 00 00 08 and its number of dimensions)",
				   path, hdr[0], hdr[1], hdr[2], hdr[3]);
		goto fail;
	}
	if (hdr[3] != ndims) {
		*cause = xasprintf("%s: byte 3: %u dimensions, expected %zu (%s)", path, hdr[3], ndims,
				   ndims == 1 ? "labels" : "images");
		goto fail;
	}
	double total = 1;
	out->ndims = ndims;
	for (size_t i = 0; i < ndims; i++) {
		unsigned char b[4];
		size_t at = off;
		if (read_exact(f, path, b, 4, &off, "the dimensions", cause) != 0)
			goto fail;
		unsigned long v = (unsigned long)b[0] << 24 | (unsigned long)b[1] << 16 |
				  (unsigned long)b[2] << 8 | b[3];
		if (v == 0 || (i > 0 && v > 4096)) {
			*cause = xasprintf("%s: byte %zu: dimension %zu is %lu", path, at, i + 1, v);
			goto fail;
		}
		out->dims[i] = v;
		total *= (double)v;
		if (total > IDX_MAX_BYTES) {
			*cause = xasprintf("%s: byte %zu: dimensions announce %.0f bytes, more than the "
					   "%.0f this reader accepts", path, at, total, IDX_MAX_BYTES);
			goto fail;
		}
	}
	out->count = (size_t)total;
	out->data = malloc(out->count);
	if (out->data == NULL) {
		*cause = xasprintf("%s: out of memory for %zu bytes", path, out->count);
		goto fail;
	}
	if (read_exact(f, path, out->data, out->count, &off, "the data", cause) != 0)
		goto fail;
	unsigned char extra;
	int k = gzread(f, &extra, 1);
	if (k != 0) {
		if (k < 0) {
			int zerr;
			*cause = xasprintf("%s: byte %zu: gzip error: %s", path, off, gzerror(f, &zerr));
		} else {
			*cause = xasprintf("%s: byte %zu: data beyond the %zu bytes the header announces "
					   "(wrong dimensions?)", path, off, out->count);
		}
		goto fail;
	}
	gzclose(f);
	return 0;
fail:
	gzclose(f);
	idx_release(out);
	return -1;
}

void idx_release(struct idx *t)
{
	free(t->data);
	t->data = NULL;
	t->count = 0;
}

int idx_write(const char *path, size_t ndims, const size_t *dims, const unsigned char *data,
	      char **cause)
{
	size_t len = strlen(path);
	bool gz = len > 3 && strcmp(path + len - 3, ".gz") == 0;
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	gzFile f = gzopen(tmp, gz ? "wb6" : "wbT");
	if (f == NULL) {
		*cause = xasprintf("%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	unsigned char hdr[4] = {0, 0, 0x08, (unsigned char)ndims};
	size_t count = 1;
	int ok = gzwrite(f, hdr, 4) == 4;
	for (size_t i = 0; i < ndims; i++) {
		unsigned char b[4] = {(unsigned char)(dims[i] >> 24), (unsigned char)(dims[i] >> 16),
				      (unsigned char)(dims[i] >> 8), (unsigned char)dims[i]};
		ok = ok && gzwrite(f, b, 4) == 4;
		count *= dims[i];
	}
	if (count > 0)
		ok = ok && gzwrite(f, data, (unsigned)count) == (int)count;
	ok = gzclose(f) == Z_OK && ok;
	if (!ok || rename(tmp, path) != 0) {
		*cause = xasprintf("%s: cannot write", path);
		remove(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

static const char *const base_names[4] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
					  "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

int idx_find(const char *dir, int which, char *buf, size_t len)
{
	struct stat st;
	snprintf(buf, len, "%s/%s.gz", dir, base_names[which]);
	if (stat(buf, &st) == 0)
		return 0;
	snprintf(buf, len, "%s/%s", dir, base_names[which]);
	return stat(buf, &st) == 0 ? 0 : -1;
}

/* Labels below classes, or an error at the label's byte offset (8: after the header). */
static int check_labels(const char *path, const struct idx *l, size_t classes, char **cause)
{
	for (size_t i = 0; i < l->count; i++)
		if (l->data[i] >= classes) {
			*cause = xasprintf("%s: byte %zu: label %u out of range 0..%zu", path, 8 + i,
					   l->data[i], classes - 1);
			return -1;
		}
	return 0;
}

/* Images and their labels from the pair (which, which + 1). */
static int read_pair(const char *dir, int which, size_t classes, struct idx *img,
		     struct idx *lab, char **cause)
{
	char ip[PATH_MAX], lp[PATH_MAX];
	if (idx_find(dir, which, ip, sizeof ip) != 0 || idx_find(dir, which + 1, lp, sizeof lp) != 0) {
		*cause = xasprintf("%s: no %s(.gz) or %s(.gz) there (an MNIST-format directory)", dir,
				   base_names[which], base_names[which + 1]);
		return -1;
	}
	if (idx_read(ip, 3, img, cause) != 0)
		return -1;
	if (idx_read(lp, 1, lab, cause) != 0 || check_labels(lp, lab, classes, cause) != 0) {
		idx_release(img);
		idx_release(lab);
		return -1;
	}
	if (lab->dims[0] != img->dims[0]) {
		*cause = xasprintf("%s: byte 4: %zu labels for the %zu images of %s", lp, lab->dims[0],
				   img->dims[0], ip);
		idx_release(img);
		idx_release(lab);
		return -1;
	}
	return 0;
}

int idx_load_dataset(const char *dir, size_t n, size_t classes, gsl_rng *rng,
		     struct dataset **out, char **cause)
{
	struct stat st;
	if (dir == NULL) {
		dir = IDX_DEFAULT_DIR;
		if (stat(dir, &st) != 0) {
			*cause = xasprintf("%s: not found: the default image data are Fashion-MNIST from "
					   "the Debian package %s (apt-get install %s), or give --data DIR "
					   "with MNIST-format IDX files",
					   dir, IDX_PACKAGE, IDX_PACKAGE);
			return -1;
		}
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		*cause = xasprintf("%s: %s", dir,
				   stat(dir, &st) != 0 ? strerror(errno)
						       : "not a directory (--data takes the directory "
							 "holding the IDX files)");
		return -1;
	}
	struct idx ti, tl, vi, vl;
	if (read_pair(dir, 0, classes, &ti, &tl, cause) != 0)
		return -1;
	if (read_pair(dir, 2, classes, &vi, &vl, cause) != 0) {
		idx_release(&ti);
		idx_release(&tl);
		return -1;
	}
	int rc = -1;
	size_t total = ti.dims[0], side1 = ti.dims[1], side2 = ti.dims[2], f = side1 * side2;
	struct dataset *ds = NULL;
	size_t *pick = NULL, *all = NULL;
	if (vi.dims[1] != side1 || vi.dims[2] != side2) {
		char ip[PATH_MAX];
		idx_find(dir, 2, ip, sizeof ip);
		*cause = xasprintf("%s: byte 8: test images are %zux%zu, training images %zux%zu", ip,
				   vi.dims[1], vi.dims[2], side1, side2);
		goto done;
	}
	if (n == 0)
		n = total;
	if (n > total) {
		*cause = xasprintf("%s: %zu training images, --samples asks for %zu", dir, total, n);
		goto done;
	}
	ds = data_new(n, f);
	pick = xcalloc(n, sizeof *pick);
	all = xcalloc(total, sizeof *all);
	if (ds == NULL || pick == NULL || all == NULL || data_set_outputs(ds, classes) != 0)
		goto oom;
	ds->cls = xcalloc(n, sizeof(int));
	ds->ntest = vi.dims[0] < IDX_TEST_SUBSET ? vi.dims[0] : IDX_TEST_SUBSET;
	ds->Xtest = xcalloc(ds->ntest, f * sizeof(double));
	ds->cls_test = xcalloc(ds->ntest, sizeof(int));
	if (ds->cls == NULL || ds->Xtest == NULL || ds->cls_test == NULL)
		goto oom;
	for (size_t i = 0; i < total; i++)
		all[i] = i;
	/* n images without replacement, in file order (gsl_ran_choose keeps the order). */
	if (n == total)
		memcpy(pick, all, n * sizeof *pick);
	else
		gsl_ran_choose(rng, pick, n, all, total, sizeof *all);
	for (size_t i = 0; i < n; i++) {
		const unsigned char *px = ti.data + pick[i] * f;
		for (size_t j = 0; j < f; j++)
			ds->X[i * f + j] = px[j] / 255.0;
		ds->cls[i] = tl.data[pick[i]];
		ds->y[i * classes + (size_t)ds->cls[i]] = 1.0;
	}
	for (size_t i = 0; i < ds->ntest; i++) {
		for (size_t j = 0; j < f; j++)
			ds->Xtest[i * f + j] = vi.data[i * f + j] / 255.0;
		ds->cls_test[i] = vl.data[i];
	}
	*out = ds;
	ds = NULL;
	rc = 0;
	goto done;
oom:
	*cause = xasprintf("%s: out of memory for %zu images", dir, n);
done:
	data_free(ds);
	free(pick);
	free(all);
	idx_release(&ti);
	idx_release(&tl);
	idx_release(&vi);
	idx_release(&vl);
	return rc;
}
