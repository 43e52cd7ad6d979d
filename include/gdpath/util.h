/* util.h — small shared helpers: checked allocation, error strings, strict number
 * parsing that ignores the user's locale, and vector norms through CBLAS. */
#ifndef GDPATH_UTIL_H
#define GDPATH_UTIL_H

#include <stddef.h>

/* malloc/calloc returning NULL on overflow of n*size too. */
void *xcalloc(size_t n, size_t size);
void *xmallocarray(size_t n, size_t size);
/* A heap-allocated printf-formatted string (never NULL: aborts on OOM). */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xstrdup(const char *s);

/* Parse the whole of s as a finite double / non-negative integer. 0 on success, -1 if s is
 * not entirely a number (or out of range). Decimal point is '.' whatever the locale. */
int parse_double(const char *s, double *out);
int parse_size(const char *s, size_t *out);
int parse_long(const char *s, long *out);

/* Euclidean norm and distance (CBLAS dnrm2). */
double vec_norm(const double *x, size_t n);
double vec_dist(const double *x, const double *y, size_t n);

/* Physical memory in bytes (0 if unknown). */
double mem_physical(void);
/* "12.3 GiB" style, into buf. */
const char *fmt_bytes(double bytes, char *buf, size_t len);

#endif
