/* blas.c — threading of the CBLAS library (OpenBLAS when configure found it). */
#include "config.h"

#include "gdpath/blas.h"

#ifdef HAVE_OPENBLAS
void openblas_set_num_threads(int); /* cblas.h of OpenBLAS; not in GSL's gsl_cblas.h */
#endif

void blas_threads_single(void)
{
#ifdef HAVE_OPENBLAS
	openblas_set_num_threads(1);
#endif
}
