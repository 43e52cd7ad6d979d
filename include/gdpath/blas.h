/* blas.h — how many threads the CBLAS library (OpenBLAS) may use. Numerics only.
 *
 * Small products run fastest on one thread (starting threads costs more than the product),
 * large ones on every core. By default gdpath matches the count to the size of the model's
 * products (blas_fit); a caller that runs many models at once on its own threads pins the
 * count with blas_set_threads(1) first. OpenBLAS splits a product over its output, so a
 * result does not depend on the thread count (tests/test_alloc.c checks a run both ways).
 * With GSL's reference CBLAS there is one thread and these do nothing. */
#ifndef GDPATH_BLAS_H
#define GDPATH_BLAS_H

/* Products of at least this many flops (2mnk) run on all cores when the count is automatic. */
#define BLAS_PARALLEL_FLOPS 4e7

/* n ≥ 1: use n threads from now on, whatever blas_fit is told. n = 0: automatic again
 * (one thread until blas_fit says otherwise). */
void blas_set_threads(int n);
/* Threads the library uses now (1 without OpenBLAS). */
int blas_threads(void);
/* Cores the library may use (1 without OpenBLAS). */
int blas_cores(void);
/* Automatic mode: one thread for products below BLAS_PARALLEL_FLOPS, all cores above.
 * Does nothing while the count is pinned. */
void blas_fit(double flops_per_product);
/* "openblas-Haswell (2 threads)" or "gsl" into buf, for the benchmark's header. */
const char *blas_describe(char *buf, unsigned long len);

#endif
