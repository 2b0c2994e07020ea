// A decoding worker: one copy of the model on its own TensorFlow.js backend,
// running generate() on the share of sources it is sent.
import { type GenerateOptions, generate, type StepModel } from '@seqloom/decode';
import type { StepState } from '../adapter/step-model-adapter.js';
import type { DecodeReply, DecodeRequest } from './pool-messages.js';
import { loadModel, type ModelMessage, serve } from './worker-host.js';

let stepModel: StepModel<StepState> | undefined;

/** The pool's abort flag (set from the calling thread) as a stopping criterion checked every step. */
function withAbortFlag(options: GenerateOptions, flag: Int32Array): GenerateOptions {
  const aborted = () => (Atomics.load(flag, 0) === 1 ? ('aborted' as const) : null);
  return { ...options, stoppingCriteria: [...(options.stoppingCriteria ?? []), aborted] };
}

serve<ModelMessage, DecodeRequest & { id: number }, DecodeReply>(
  async (message) => {
    stepModel = (await loadModel(message)).asStepModel();
  },
  async (request) => ({ value: await generate(stepModel!, request.sources, withAbortFlag(request.options, request.abort)) }),
);
