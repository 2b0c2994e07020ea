/* Aligned scratch memory (alignment.h) and alignmentOf(values): the byte
 * offset of a Float32Array's data past the last 64-byte boundary. */
#define _POSIX_C_SOURCE 200112L /* posix_memalign under -std=c11 */

#include "alignment.h"

#include "args.h"

#include <stdint.h>
#include <stdlib.h>

void *alignment_alloc(size_t count, size_t width) {
  size_t bytes;
  if (__builtin_mul_overflow(count, width, &bytes)) return NULL;
  /* a whole number of boundaries, so the buffer's end is a boundary too (and at least one) */
  const size_t tail = bytes % SEQLOOM_ALIGNMENT;
  if (bytes == 0) bytes = SEQLOOM_ALIGNMENT;
  else if (tail != 0 && __builtin_add_overflow(bytes, SEQLOOM_ALIGNMENT - tail, &bytes)) return NULL;
  void *p = NULL;
  return posix_memalign(&p, SEQLOOM_ALIGNMENT, bytes) == 0 ? p : NULL;
}

/* alignmentOf(values): (address of values[0]) mod 64, in bytes; 0 for an empty array. */
napi_value alignment_of(napi_env env, napi_callback_info info) {
  const char *fn = "alignmentOf";
  napi_value argv[1], out;
  f32_view values;
  if (!get_args(env, info, 1, argv, fn) || !arg_f32(env, argv[0], fn, "values", &values)) return NULL;
  const uint32_t offset = values.length == 0 ? 0 : (uint32_t)((uintptr_t)values.data % SEQLOOM_ALIGNMENT);
  napi_create_uint32(env, offset, &out);
  return out;
}
