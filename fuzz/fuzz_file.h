/* fuzz_file.h — for the fuzz targets of readers that take a path: the input becomes the
 * contents of an anonymous in-memory regular file (memfd), named by /proc/self/fd/N. */
#ifndef GDPATH_FUZZ_FILE_H
#define GDPATH_FUZZ_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int fuzz_fd = -1;
static char fuzz_path[64];

/* The path of a regular file holding exactly data[0..size). */
static const char *fuzz_file(const uint8_t *data, size_t size)
{
	if (fuzz_fd < 0) {
		fuzz_fd = memfd_create("gdpath-fuzz", 0);
		if (fuzz_fd < 0) {
			perror("memfd_create");
			abort();
		}
		snprintf(fuzz_path, sizeof fuzz_path, "/proc/self/fd/%d", fuzz_fd);
	}
	if (ftruncate(fuzz_fd, 0) != 0 || pwrite(fuzz_fd, data, size, 0) != (ssize_t)size) {
		perror("memfd write");
		abort();
	}
	return fuzz_path;
}

/* A reader's error message: there, short, and with no control character (escapes are
 * written out); anything else aborts, so the fuzzer reports it. */
static void fuzz_check_cause(const char *cause)
{
	if (cause == NULL || strlen(cause) > 600)
		abort();
	for (const char *c = cause; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			abort();
}

#endif
