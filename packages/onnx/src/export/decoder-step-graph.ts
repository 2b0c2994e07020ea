import { cellDefinition } from '@seqloom/seq2seq/model';
import { IO, nextName, stateNames } from '../seqloom-export-config.js';
import { type AttentionInputs, attentionStep } from './attention-step.js';
import { GraphBuilder } from './graph-builder.js';
import type { ModelWeights } from './model-weights.js';
import type { OnnxGraph } from './onnx-proto.js';
import { stepCell } from './step-cell.js';

/** The attention inputs as graph inputs (none without attention). */
function attentionInputs(b: GraphBuilder, weights: ModelWeights): AttentionInputs | null {
  const { attention, hiddenSize: h } = weights.config;
  if (attention === 'none') return null;
  const memory = b.input(IO.memory, 'float', ['rows', 'source_length', h], "the encoder's memory, one row per decoder row");
  const keys = attention === 'dot' ? memory : b.input(IO.memoryKeys, 'float', ['rows', 'source_length', h], "the encoder's memory_keys");
  const mask = b.input(IO.memoryMask, 'int64', ['rows', 'source_length'], "the encoder's attention_mask");
  return { memory, keys, mask };
}

/** logits [rows, V] = out·K + b (untied), or (out·P)·Eᵀ + b with the target embedding (tied; P when H ≠ E). */
function outputLogits(b: GraphBuilder, weights: ModelWeights, out: string, embedding: string): string {
  const { hiddenSize: h, embeddingSize: e, targetVocabSize: v, tieEmbeddings } = weights.config;
  const bias = b.weight('output.bias', weights.get('output/bias', [v]), [v]);
  if (!tieEmbeddings) return b.op1('Gemm', [out, b.weight('output.kernel', weights.get('output/kernel', [h, v]), [h, v]), bias]);
  const x = weights.has('output/tie_projection')
    ? b.op1('MatMul', [out, b.weight('output.tie_projection', weights.get('output/tie_projection', [h, e]), [h, e])])
    : out;
  return b.op1('Gemm', [x, embedding, bias], { transB: 1 }); // [rows, E] · [V, E]ᵀ
}

/**
 * One decoder step for every row, unrolled in plain ops: embed the previous
 * token, concatenate the fed-back attentional vector (input feeding), the
 * stacked cells, attention with the top h as query, the output projection.
 * Inputs: `input_ids` [rows], each `state.*` [rows, H], the encoder's
 * memory (and keys) and mask per row. Outputs: `logits` [rows, V], each
 * `next.*` [rows, H] (the next step's `state.*`), `attention` [rows, S].
 */
export function decoderStepGraph(weights: ModelWeights): OnnxGraph {
  const config = weights.config;
  const { layers, hiddenSize: h, embeddingSize: e, targetVocabSize: v } = config;
  const b = new GraphBuilder('seqloom_decoder_step');
  const ids = b.input(IO.previous, 'int64', ['rows'], 'the previous token of each row (bos at the first step)');
  const perLayer = cellDefinition(config.cell).states;
  const names = stateNames(perLayer, layers, config.inputFeeding);
  for (const name of names) b.input(name, 'float', ['rows', h]);
  const memory = attentionInputs(b, weights);
  const embedding = b.weight('decoder.embedding', weights.targetEmbedding(), [v, e]);
  let x = b.op1('Gather', [embedding, ids], { axis: 0 }); // [rows, E]
  if (config.inputFeeding) x = b.op1('Concat', [x, 'state.feed'], { axis: 1 }); // [rows, E + H]
  const next: string[] = [];
  for (let l = 0; l < layers; l++) {
    const state = names.slice(l * perLayer.length, (l + 1) * perLayer.length);
    const out = stepCell(b, `decoder.l${l}`, weights.cell(`decoder/l${l}`, l === 0 ? e + (config.inputFeeding ? h : 0) : h), x, state);
    next.push(...out);
    x = out[0]!; // [rows, H]
  }
  let output = x;
  let attention: string | null = null;
  if (memory !== null) {
    [output, attention] = attentionStep(b, weights, memory, x);
    if (config.inputFeeding) next.push(output);
  }
  b.output(outputLogits(b, weights, output, embedding), IO.logits, 'float', ['rows', v]);
  next.forEach((value, i) => b.output(value, nextName(names[i]!), 'float', ['rows', h]));
  if (attention !== null) b.output(attention, IO.attention, 'float', ['rows', 'source_length'], 'attention weights over the source');
  return b.build('seqloom decoder step: previous tokens and state → logits and the next state');
}
