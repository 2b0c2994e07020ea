// A training worker: one copy of the model on its own TensorFlow.js backend,
// computing the loss and gradients of the batch shard it is sent.
import * as tf from '@tensorflow/tfjs';
import type { Seq2SeqModel } from '../seq2seq-model.js';
import type { GradientReply, GradientRequest } from './pool-messages.js';
import { assignWeights, loadModel, type ModelMessage, serve } from './worker-host.js';
import { ownCopy } from './worker-thread.js';

let model: Seq2SeqModel | undefined;

let trainable: [string, tf.Variable][] = [];

serve<ModelMessage & { trainable: string[] }, GradientRequest & { id: number }, GradientReply>(
  async (message) => {
    model = await loadModel(message);
    const weights = model.namedWeights();
    trainable = message.trainable.map((name) => [name, weights.get(name)!]);
  },
  async (request) => {
    if (request.weights !== null) assignWeights(model!, request.weights);
    const { value, grads } = tf.variableGrads(
      () => model!.loss(request.batch, request.loss).loss,
      trainable.map(([, v]) => v),
    );
    const reply: GradientReply = {
      loss: (await value.data())[0]!,
      grads: trainable.map(([name, variable]) => ({ name, shape: [...variable.shape], values: ownCopy(grads[variable.name]!) })),
    };
    tf.dispose([value, ...Object.values(grads)]);
    return { value: reply, transfer: reply.grads.map((g) => g.values.buffer as ArrayBuffer) };
  },
);
