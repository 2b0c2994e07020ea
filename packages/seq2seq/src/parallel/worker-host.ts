// The worker side of WorkerThread: answers numbered requests on the parent port.

import { parentPort, type Transferable } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { setBackend } from '../backend.js';
import { Seq2SeqModel } from '../seq2seq-model.js';
import type { WeightMessage } from './pool-messages.js';
import type { WorkerReply } from './worker-thread.js';

/** The model a pool's init message describes. */
export interface ModelMessage {
  backend: string;
  config: Seq2SeqModel['config'];
  weights: WeightMessage[];
}

/** Writes sent weights into the model's variables. */
export function assignWeights(model: Seq2SeqModel, weights: readonly WeightMessage[]): void {
  const variables = model.namedWeights();
  for (const { name, shape, values } of weights) {
    const variable = variables.get(name);
    if (variable === undefined) throw new Error(`the model has no weight "${name}"`);
    tf.tidy(() => variable.assign(tf.tensor(values, shape, 'float32')));
  }
}

/** Starts the backend and builds the model of an init message (its weights start from the sent values). */
export async function loadModel(message: ModelMessage): Promise<Seq2SeqModel> {
  await setBackend(message.backend as 'native' | 'wasm' | 'cpu' | 'tensorflow');
  const values = new Map(message.weights.map((w) => [w.name, w.values]));
  const model = Seq2SeqModel.create(message.config, { initialValues: values });
  const created = model.namedWeights();
  const missing = [...created.keys()].filter((name) => !values.has(name));
  if (missing.length > 0 || created.size !== values.size) {
    model.dispose();
    throw new Error(`the sent weights do not match the model (missing: ${missing.join(', ') || 'none'})`);
  }
  return model;
}

/**
 * Serves a worker: `init` handles the first message, `handle` every request
 * after it (its answer and the buffers to transfer with it).
 */
export function serve<Init, Request extends { id: number }, Reply>(
  init: (message: Init) => Promise<void>,
  handle: (request: Request) => Promise<{ value: Reply; transfer?: Transferable[] }>,
): void {
  const port = parentPort!;
  let ready = false;
  port.on('message', (message: Init | Request) => {
    const id = ready ? (message as Request).id : null;
    const work = ready
      ? handle(message as Request).then(({ value, transfer }) =>
          port.postMessage({ type: 'done', id: id!, value } satisfies WorkerReply<Reply>, transfer ?? []),
        )
      : init(message as Init).then(() => {
          ready = true;
          port.postMessage({ type: 'ready' } satisfies WorkerReply<Reply>);
        });
    work.catch((error: unknown) => port.postMessage({ type: 'error', id, message: (error as Error).message ?? String(error) } satisfies WorkerReply<Reply>));
  });
}
