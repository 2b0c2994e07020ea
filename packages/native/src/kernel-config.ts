import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

/** A stock cpu kernel, called where a native kernel does not apply. */
export type Stock = (args: unknown) => TensorInfo;

/** A kernel config on the `native` backend. */
export function nativeKernel(kernelName: string, kernelFunc: unknown): KernelConfig {
  return { kernelName, backendName: 'native', kernelFunc: kernelFunc as KernelFunc };
}

/** The stock cpu kernel of that name, as the fallback of a native one. */
export function stockKernel(stock: Map<string, KernelConfig>, name: string): Stock {
  return stock.get(name)!.kernelFunc as unknown as Stock;
}
