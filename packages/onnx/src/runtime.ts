import type { InferenceSession, Tensor } from 'onnxruntime-common';

/**
 * The part of an onnxruntime package this package uses: onnxruntime-node in
 * Node, onnxruntime-web in a page. Both implement the onnxruntime-common API.
 */
export interface OnnxRuntime {
  readonly Tensor: typeof Tensor;
  readonly InferenceSession: {
    create(model: string | Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession>;
  };
}

export type { InferenceSession, Tensor };

/** Element types of the tensors the decoder passes around. */
export type FloatType = 'float32' | 'float16';

/** A tensor's data as a typed array (float32, float16 stored as 16-bit words, int64). */
export type TensorData = Float32Array | Uint16Array | BigInt64Array;
