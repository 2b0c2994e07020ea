// A decoding worker: holds one copy of the model on its own TensorFlow.js
// backend and runs generate() on the share of sources it is sent.
import { generate, type GenerateOptions, type StepModel } from '@seqloom/decode';
import * as tf from '@tensorflow/tfjs';
import { parentPort } from 'node:worker_threads';
import type { StepState } from '../adapter/step-model-adapter.js';
import { setBackend } from '../backend.js';
import { Seq2SeqModel } from '../model/seq2seq-model.js';
import type { FromWorker, ToWorker } from './pool-messages.js';

const port = parentPort!;
let stepModel: StepModel<StepState> | undefined;

function send(message: FromWorker): void {
  port.postMessage(message);
}

async function init(message: Extract<ToWorker, { type: 'init' }>): Promise<void> {
  await setBackend(message.backend as 'wasm' | 'cpu' | 'tensorflow');
  const model = Seq2SeqModel.create(message.config);
  const weights = model.namedWeights();
  for (const { name, shape, values } of message.weights) {
    const variable = weights.get(name);
    if (variable === undefined) throw new Error(`the model has no weight "${name}"`);
    tf.tidy(() => variable.assign(tf.tensor(values, shape, 'float32')));
  }
  stepModel = model.asStepModel();
}

/** The pool's abort flag (set from the calling thread) as a stopping criterion checked every step. */
function withAbortFlag(options: GenerateOptions, flag: Int32Array): GenerateOptions {
  const aborted = () => (Atomics.load(flag, 0) === 1 ? 'aborted' as const : null);
  return { ...options, stoppingCriteria: [...(options.stoppingCriteria ?? []), aborted] };
}

port.on('message', (message: ToWorker) => {
  const id = message.type === 'generate' ? message.id : null;
  const work = message.type === 'init'
    ? init(message).then((): FromWorker => ({ type: 'ready' }))
    : generate(stepModel!, message.sources, withAbortFlag(message.options, message.abort)).then((results): FromWorker => ({ type: 'result', id: message.id, results }));
  work.then(send, (error: unknown) => send({ type: 'error', id, message: (error as Error).message ?? String(error) }));
});
