/* bench_dgemm.c — one cblas_dgemm (C = A·B, row-major, double) timed at a few sizes. The
 * same source is linked twice: against the BLAS configure chose (OpenBLAS by default, run on
 * one thread as gdpath does) and, with -DBENCH_REF, against GSL's reference CBLAS; run.sh
 * puts the two side by side.
 *
 * Usage: bench_dgemm [MxNxK...]   (default 500x500x500 and 20x20x100)
 * Prints one line per size: the library (OpenBLAS with the kernel it chose), the size, the
 * median seconds per call and GFLOP/s. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <gsl/gsl_cblas.h>

#if defined(HAVE_OPENBLAS) && !defined(BENCH_REF)
#define BENCH_OPENBLAS 1
void openblas_set_num_threads(int);
char *openblas_get_corename(void);
#endif

enum { MAX_SAMPLES = 101 };

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static const char *lib_name(void)
{
#ifdef BENCH_OPENBLAS
	static char name[64];
	snprintf(name, sizeof name, "openblas-%s", openblas_get_corename());
	return name;
#elif defined(BENCH_REF)
	return "gslcblas";
#else
	return "configured";
#endif
}

/* Median seconds per call of an m×n×k product: calls are batched so that one sample takes
 * about 20 ms, and samples are taken for about min_s seconds (at least 3). */
static int bench(int m, int n, int k, double min_s)
{
	double *A = malloc((size_t)m * k * sizeof *A);
	double *B = malloc((size_t)k * n * sizeof *B);
	double *C = malloc((size_t)m * n * sizeof *C);
	if (A == NULL || B == NULL || C == NULL) {
		fputs("bench_dgemm: out of memory\n", stderr);
		return -1;
	}
	for (size_t i = 0; i < (size_t)m * k; i++)
		A[i] = (double)(i % 17) / 17.0 - 0.5;
	for (size_t i = 0; i < (size_t)k * n; i++)
		B[i] = (double)(i % 13) / 13.0 - 0.5;

	/* Warm up (page faults, thread start, caches) and size the batch. */
	long batch = 1;
	for (;;) {
		double t0 = now_s();
		for (long i = 0; i < batch; i++)
			cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0, A, k,
				    B, n, 0.0, C, n);
		double dt = now_s() - t0;
		if (dt >= 0.02 || batch >= (1L << 24))
			break;
		batch *= dt > 0.002 ? 2 : 10;
	}

	double s[MAX_SAMPLES];
	int ns = 0;
	double start = now_s();
	while (ns < MAX_SAMPLES && (ns < 3 || now_s() - start < min_s)) {
		double t0 = now_s();
		for (long i = 0; i < batch; i++)
			cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0, A, k,
				    B, n, 0.0, C, n);
		s[ns++] = (now_s() - t0) / batch;
	}
	qsort(s, (size_t)ns, sizeof s[0], cmp_double);
	double med = s[ns / 2];
	double check = C[0] + C[(size_t)m * n - 1];
	printf("dgemm lib=%s size=%dx%dx%d median_s=%.6e gflops=%.3f samples=%d check=%.6g\n",
	       lib_name(), m, n, k, med, 2.0 * m * n * k / med * 1e-9, ns, check);
	free(A);
	free(B);
	free(C);
	return 0;
}

int main(int argc, char **argv)
{
#ifdef BENCH_OPENBLAS
	openblas_set_num_threads(1);
#endif
	const double min_s = 1.0;
	if (argc < 2)
		return bench(500, 500, 500, min_s) != 0 || bench(20, 20, 100, min_s) != 0;
	for (int i = 1; i < argc; i++) {
		int m, n, k;
		if (sscanf(argv[i], "%dx%dx%d", &m, &n, &k) != 3 || m < 1 || n < 1 || k < 1) {
			fprintf(stderr, "bench_dgemm: bad size '%s'\n", argv[i]);
			return 2;
		}
		if (bench(m, n, k, min_s) != 0)
			return 1;
	}
	return 0;
}
