/* blas.c — the CBLAS library's thread count, matched to the size of the products. */
#include "config.h"

#include <stdio.h>

#include "gdpath/blas.h"

#ifdef HAVE_OPENBLAS
void openblas_set_num_threads(int);
int openblas_get_num_threads(void);
int openblas_get_num_procs(void);
char *openblas_get_corename(void);
#endif

static int pinned; /* > 0: the count a caller asked for */

static void set(int n)
{
#ifdef HAVE_OPENBLAS
	if (n != openblas_get_num_threads())
		openblas_set_num_threads(n);
#else
	(void)n;
#endif
}

void blas_set_threads(int n)
{
	pinned = n > 0 ? n : 0;
	set(n > 0 ? n : 1);
}

int blas_threads(void)
{
#ifdef HAVE_OPENBLAS
	return openblas_get_num_threads();
#else
	return 1;
#endif
}

int blas_cores(void)
{
#ifdef HAVE_OPENBLAS
	int n = openblas_get_num_procs();
	return n > 0 ? n : 1;
#else
	return 1;
#endif
}

void blas_fit(double flops)
{
	if (pinned)
		return;
	set(flops >= BLAS_PARALLEL_FLOPS ? blas_cores() : 1);
}

const char *blas_describe(char *buf, unsigned long len)
{
#ifdef HAVE_OPENBLAS
	snprintf(buf, len, "openblas-%s (%d thread%s)", openblas_get_corename(), blas_threads(),
		 blas_threads() == 1 ? "" : "s");
#else
	snprintf(buf, len, "gsl reference CBLAS (1 thread)");
#endif
	return buf;
}
