import { cellDefinition } from '@seqloom/seq2seq/model';
import { IO, stateNames } from '../seqloom-export-config.js';
import { GraphBuilder } from './graph-builder.js';
import type { ModelWeights } from './model-weights.js';
import type { OnnxGraph } from './onnx-proto.js';
import { sequenceLayer } from './sequence-layer.js';

/** Token ids → embedded, time-major [S, B, E], and each row's length (int32 [B]) from the mask. */
function embedInputs(b: GraphBuilder, embedding: string): { x: string; lengths: string } {
  const ids = b.input(IO.ids, 'int64', ['batch', 'length'], 'token ids, right-padded');
  const mask = b.input(IO.mask, 'int64', ['batch', 'length'], '1 at real tokens, 0 at padding (after them)');
  const counts = b.op1('ReduceSum', [mask, b.int64s([1])], { keepdims: 0 }); // [B]
  const lengths = b.op1('Cast', [counts], { to: 6 }); // int32 [B]
  const x = b.op1('Gather', [embedding, b.op1('Transpose', [ids], { perm: [1, 0] })], { axis: 0 }); // [S, B, E]
  return { x, lengths };
}

/** A [B, H] zero tensor, B taken from the ids. */
function zeros(b: GraphBuilder, hidden: number): string {
  const batch = b.op1('Gather', [b.op1('Shape', [IO.ids]), b.int64s([0])], { axis: 0 }); // [1]
  const shape = b.op1('Concat', [batch, b.int64s([hidden])], { axis: 0 }); // [2]
  return b.op1('ConstantOfShape', [shape]);
}

/**
 * The encoder (seq2seq): embedding, stacked (bidirectional) layers as ONNX
 * recurrent ops, and outputs the decoder starts from: every layer's final
 * state (the decoder's initial `state.*`, zeros for `state.feed`), the
 * memory [B, S, H] and, for general/Bahdanau attention, its projection
 * `memory_keys` [B, S, H].
 */
export function encoderGraph(weights: ModelWeights): OnnxGraph {
  const config = weights.config;
  const { layers, hiddenSize: h, embeddingSize: e, sourceVocabSize: v } = config;
  const b = new GraphBuilder('seqloom_encoder');
  const { x: embedded, lengths } = embedInputs(b, b.weight('encoder.embedding', weights.sourceEmbedding(), [v, e]));
  let x = embedded;
  const finals: string[] = [];
  for (let l = 0; l < layers; l++) {
    const input = l === 0 ? e : h;
    const cells = [weights.cell(`encoder/fwd/l${l}`, input), ...(config.bidirectional ? [weights.cell(`encoder/bwd/l${l}`, input)] : [])];
    const out = sequenceLayer(b, `encoder.l${l}`, cells, x, lengths);
    finals.push(...out.finals);
    x = out.y; // [S, B, H]
  }
  const names = stateNames(cellDefinition(config.cell).states, layers, config.inputFeeding);
  finals.forEach((value, i) => b.output(value, names[i]!, 'float', ['batch', h]));
  if (config.inputFeeding) b.output(zeros(b, h), 'state.feed', 'float', ['batch', h], 'the fed-back attentional vector starts at zeros');
  if (config.attention !== 'none') {
    const memory = b.op1('Transpose', [x], { perm: [1, 0, 2] }); // [B, S, H]
    b.output(memory, IO.memory, 'float', ['batch', 'length', h], 'top layer outputs, zeros past each row');
    if (config.attention !== 'dot') {
      const kernel = b.weight('attention.memory_kernel', weights.get('attention/memory_kernel', [h, h]), [h, h]);
      b.output(b.op1('MatMul', [memory, kernel]), IO.memoryKeys, 'float', ['batch', 'length', h], 'memory · W (general) or W1 (Bahdanau)');
    }
  }
  return b.build("seqloom encoder: token ids and mask → the decoder step's initial state and attention memory");
}

/**
 * The prime graph (lm): the decoder's layers over a prompt (bos, then all
 * prompt tokens but the last) from zero state; outputs each layer's final
 * state. Rows must have at least one token (an empty prompt starts from zeros).
 */
export function primeGraph(weights: ModelWeights): OnnxGraph {
  const config = weights.config;
  const { layers, hiddenSize: h, embeddingSize: e, targetVocabSize: v } = config;
  const b = new GraphBuilder('seqloom_prime');
  const { x: embedded, lengths } = embedInputs(b, b.weight('decoder.embedding', weights.targetEmbedding(), [v, e]));
  let x = embedded;
  const finals: string[] = [];
  for (let l = 0; l < layers; l++) {
    const out = sequenceLayer(b, `decoder.l${l}`, [weights.cell(`decoder/l${l}`, l === 0 ? e : h)], x, lengths);
    finals.push(...out.finals);
    x = out.y;
  }
  const names = stateNames(cellDefinition(config.cell).states, layers, false);
  finals.forEach((value, i) => b.output(value, names[i]!, 'float', ['batch', h]));
  return b.build("seqloom language-model prime: [bos, prompt[0..n-2]] → the decoder step's state");
}
