import * as tf from '@tensorflow/tfjs';

/**
 * `tf.tidy` for structured results: keeps every tensor reachable from the
 * returned object (nested objects, arrays, nulls) and disposes the rest.
 */
export function typedTidy<T>(fn: () => T): T {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as T;
}
