import * as tf from '@tensorflow/tfjs';

/** A 2-D product `x·w`; decoder steps take one so training can swap in {@link transposeSharingProduct}. */
export type Product = (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/** The plain `tf.matMul`. */
export const plainProduct: Product = (x, w) => tf.matMul(x, w);

/**
 * A product for weights used at every time step of one forward pass: its
 * input gradient `dy·wᵀ` transposes each weight ONCE per backward pass (the
 * first time it is needed) instead of once per step, and the weight gradient
 * `xᵀ·dy` transposes only the small per-step input. The wasm backend runs
 * matMuls with a transposed operand slowly, and the stock gradient of matMul
 * uses exactly those. Create one per forward pass.
 */
export function transposeSharingProduct(): Product {
  const transposes = new Map<tf.Tensor, tf.Tensor2D>();
  return (x, w) => {
    const op = tf.customGrad((...args: unknown[]) => {
      const [a, b] = args as [tf.Tensor2D, tf.Tensor2D];
      // A variable outlives the backward pass; any other weight is saved (copied) for it.
      const isVariable = w instanceof tf.Variable;
      (args[2] as tf.GradSaveFunc)(isVariable ? [a] : [a, b]);
      const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const input = saved[0] as tf.Tensor2D;
        const weight = (isVariable ? w : saved[1]) as tf.Tensor2D;
        let weightT = transposes.get(w);
        if (weightT === undefined || weightT.isDisposed) {
          weightT = tf.transpose(weight); // disposed with the rest of the backward pass
          transposes.set(w, weightT);
        }
        const d = dy as tf.Tensor2D;
        return [tf.matMul(d, weightT), tf.matMul(tf.transpose(input), d)];
      };
      return { value: tf.matMul(a, b), gradFunc };
    });
    return op(x, w) as tf.Tensor2D;
  };
}
