import { Identity, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';

interface IdentityArgs {
  inputs: { x: TensorInfo };
  backend: { incRef(dataId: object): void };
}

/**
 * An `Identity` kernel for the wasm backend that shares the input's data
 * (one more reference) instead of copying it, as the cpu backend does and as
 * the wasm backend's own `Reshape` does. Tensors are immutable, so a shared
 * buffer is never written. `tf.clone` and every tensor a custom gradient
 * saves for its backward pass run this kernel: the stock kernel copied each
 * saved activation. String tensors go to the stock kernel.
 */
export function makeSharedIdentityKernel(stock: KernelConfig): KernelConfig {
  const kernelFunc = (args: IdentityArgs): TensorInfo => {
    const { x } = args.inputs;
    if (x.dtype === 'string') return stock.kernelFunc(args as never) as TensorInfo;
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return { kernelName: Identity, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
