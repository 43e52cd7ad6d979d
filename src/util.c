/* util.c — checked allocation, error strings, locale-proof number parsing, norms. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_cblas.h>

#include "gdpath/util.h"

void *xcalloc(size_t n, size_t size)
{
	if (n == 0 || size == 0)
		return calloc(1, 1);
	if (n > SIZE_MAX / size)
		return NULL;
	return calloc(n, size);
}

void *xmallocarray(size_t n, size_t size)
{
	if (n == 0 || size == 0)
		return malloc(1);
	if (n > SIZE_MAX / size)
		return NULL;
	return malloc(n * size);
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		abort();
	char *s = malloc((size_t)len + 1);
	if (s == NULL)
		abort();
	va_start(ap, fmt);
	vsnprintf(s, (size_t)len + 1, fmt, ap);
	va_end(ap);
	return s;
}

char *xstrdup(const char *s)
{
	return xasprintf("%s", s);
}

/* The program keeps LC_NUMERIC at "C" (main.c), so strtod reads '.' whatever the user's
 * locale; we still reject anything that is not entirely a finite number. */
int parse_double(const char *s, double *out)
{
	if (s == NULL || *s == '\0' || strpbrk(s, "xX") != NULL) /* no hex floats */
		return -1;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	while (*end == ' ' || *end == '\t')
		end++;
	if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

int parse_long(const char *s, long *out)
{
	if (s == NULL || *s == '\0')
		return -1;
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || errno == ERANGE)
		return -1;
	*out = v;
	return 0;
}

int parse_size(const char *s, size_t *out)
{
	long v;
	if (parse_long(s, &v) != 0 || v < 0)
		return -1;
	*out = (size_t)v;
	return 0;
}

double vec_norm(const double *x, size_t n)
{
	return n ? cblas_dnrm2((int)n, x, 1) : 0.0;
}

double vec_dist(const double *x, const double *y, size_t n)
{
	double s = 0;
	for (size_t i = 0; i < n; i++) {
		double d = x[i] - y[i];
		s += d * d;
	}
	return sqrt(s);
}

double mem_physical(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
	if (pages <= 0 || psz <= 0)
		return 0;
	return (double)pages * (double)psz;
}

const char *fmt_bytes(double b, char *buf, size_t len)
{
	const char *unit[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
	int u = 0;
	while (b >= 1024 && u < 6) {
		b /= 1024;
		u++;
	}
	if (b >= 1e6)
		snprintf(buf, len, "%.3g %s", b, unit[u]);
	else
		snprintf(buf, len, u ? "%.1f %s" : "%.0f %s", b, unit[u]);
	return buf;
}
