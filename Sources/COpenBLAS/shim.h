// The BLAS/LAPACK surface the toolkit uses, and nothing more.
// Debian's libopenblas exports both the CBLAS functions and the Fortran LAPACK
// symbols, so libopenblas-dev alone suffices; LAPACK is declared by hand below
// (column-major Fortran calling convention, every argument by pointer).
#ifndef NCF_COPENBLAS_SHIM_H
#define NCF_COPENBLAS_SHIM_H
#include <cblas.h>

void ssyevd_(const char *jobz, const char *uplo, const int *n, float *a, const int *lda,
             float *w, float *work, const int *lwork, int *iwork, const int *liwork, int *info);
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
             double *w, double *work, const int *lwork, int *iwork, const int *liwork, int *info);

// OpenBLAS thread control (not part of CBLAS proper).
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
#endif
