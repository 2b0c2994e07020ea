/* 64-byte alignment: the addon's scratch memory starts on a 64-byte boundary
 * (a cache line, one AVX-512 vector), as the GEMM's operands run fastest there,
 * and alignmentOf tells JavaScript where a typed array's data sits. */
#ifndef SEQLOOM_ALIGNMENT_H
#define SEQLOOM_ALIGNMENT_H

#include <stddef.h>

#include "contract.h" /* SEQLOOM_ALIGNMENT: the contract's BUFFER_ALIGNMENT */

/* count·width bytes (at least one) starting on a SEQLOOM_ALIGNMENT boundary, freed with free();
 * NULL when count·width overflows or memory runs out. */
void *alignment_alloc(size_t count, size_t width);

#endif
