/* Optimizer updates and gradient norms in one pass over each buffer. */
#include "args.h"
#include "parallel.h"

#include <math.h>

/* adam(w, m, v, g, wOut, mOut, vOut, scale, beta1, beta2, epsilon, stepSize): with g' = scale·g,
 * m' = β1·m + (1−β1)·g', v' = β2·v + (1−β2)·g'², w' = w − stepSize·m' / (√v' + ε). The outputs may
 * alias their inputs. Every buffer holds w's element count. */
napi_value optim_adam(napi_env env, napi_callback_info info) {
  const char *fn = "adam";
  static const char *names[] = {"w", "m", "v", "g", "wOut", "mOut", "vOut"};
  napi_value argv[12];
  f32_view views[7];
  float scale, beta1, beta2, epsilon, step;
  if (!get_args(env, info, 12, argv, fn)) return NULL;
  for (int i = 0; i < 7; i++) {
    if (!arg_f32(env, argv[i], fn, names[i], &views[i])) return NULL;
  }
  for (int i = 1; i < 7; i++) {
    if (!need_len(env, &views[i], views[0].length, fn, names[i])) return NULL;
  }
  if (!arg_float(env, argv[7], fn, "scale", &scale) || !arg_float(env, argv[8], fn, "beta1", &beta1) ||
      !arg_float(env, argv[9], fn, "beta2", &beta2) || !arg_float(env, argv[10], fn, "epsilon", &epsilon) ||
      !arg_float(env, argv[11], fn, "stepSize", &step)) {
    return NULL;
  }
  const float keep1 = 1.0f - beta1, keep2 = 1.0f - beta2;
  const float *w = views[0].data, *m = views[1].data, *v = views[2].data, *g = views[3].data;
  float *wo = views[4].data, *mo = views[5].data, *vo = views[6].data;
  const int64_t n = (int64_t)views[0].length;
  const int threads = pointwise_threads(n);
  seqloom_signal_mask saved;
  parallel_enter(threads, &saved);
  SEQLOOM_PARALLEL_FOR(threads)
  for (int64_t i = 0; i < n; i++) {
    const float gi = g[i] * scale;
    const float mi = m[i] * beta1 + gi * keep1;
    const float vi = v[i] * beta2 + (gi * gi) * keep2;
    mo[i] = mi;
    vo[i] = vi;
    wo[i] = w[i] - (mi / (sqrtf(vi) + epsilon)) * step;
  }
  parallel_leave(threads, &saved);
  return NULL;
}

/* sumSquares(x): Σ x², accumulated in double. */
napi_value optim_sum_squares(napi_env env, napi_callback_info info) {
  const char *fn = "sumSquares";
  napi_value argv[1];
  f32_view xv;
  if (!get_args(env, info, 1, argv, fn) || !arg_f32(env, argv[0], fn, "x", &xv)) return NULL;
  /* four float lanes of partial sums in double keep the loop vectorisable */
  double acc[4] = {0, 0, 0, 0};
  const float *x = xv.data;
  size_t i = 0;
  for (; i + 4 <= xv.length; i += 4) {
    for (int j = 0; j < 4; j++) acc[j] += (double)x[i + j] * (double)x[i + j];
  }
  for (; i < xv.length; i++) acc[0] += (double)x[i] * (double)x[i];
  napi_value result;
  napi_create_double(env, acc[0] + acc[1] + acc[2] + acc[3], &result);
  return result;
}
