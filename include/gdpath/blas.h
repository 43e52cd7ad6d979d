/* blas.h — what gdpath asks of the CBLAS library beyond the products themselves. */
#ifndef GDPATH_BLAS_H
#define GDPATH_BLAS_H

/* One BLAS thread: small products gain nothing from more, results stay bit-identical,
 * and a pool of --jobs threads never oversubscribes the cores. A no-op with GSL's CBLAS. */
void blas_threads_single(void);

#endif
