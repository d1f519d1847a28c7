// OpenBLAS's CBLAS interface plus its runtime controls (thread count, kernel name).
#include <cblas.h>
