import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FusedDecoderWeights } from '@seqloom/core';
import { nativeUnavailableReason } from '@seqloom/native';
import { loadNativeAddon } from '@seqloom/native/internal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, type ModelConfig, Seq2SeqModel, saveCheckpoint, setBackend } from '../src/index.js';
import { activeKernelSet, type SeqKernels } from '../src/kernels/index.js';

const unavailable = nativeUnavailableReason();
if (unavailable !== undefined) console.log(`aligned fused weights tests skipped: ${unavailable}`);

/** The native backend copies float32 arrays of this many elements on into 64-byte-aligned buffers. */
const ALIGNED_FROM = 16_384;

// the layer's kernel and recurrent [64, 256], the embedding [300, 64] and the output kernel [64, 300] reach ALIGNED_FROM
const config: Partial<ModelConfig> = { sourceVocabSize: 30, targetVocabSize: 300, embeddingSize: 64, hiddenSize: 64, cell: 'lstm', attention: 'general' };

/** The native kernel set whose fused decoder engine records the weights each model handle is built over. */
function recordingKernels(seen: FusedDecoderWeights[]): SeqKernels {
  const kernels = activeKernelSet();
  const engine = kernels.fusedDecoder!;
  return {
    ...kernels,
    fusedDecoder: {
      ...engine,
      createModel: (spec, weights) => {
        seen.push(weights);
        return engine.createModel(spec, weights);
      },
    },
  };
}

/** Every array of the weights the engine was given, with its name. */
function arrays(weights: FusedDecoderWeights): [string, Float32Array][] {
  const named: [string, Float32Array | undefined][] = [
    ['embedding', weights.embedding],
    ...weights.layers.flatMap((layer, l): [string, Float32Array | undefined][] => [
      [`layer ${l} kernel`, layer.kernel],
      [`layer ${l} recurrent`, layer.recurrent],
      [`layer ${l} bias`, layer.bias],
    ]),
    ['memoryKernel', weights.memoryKernel],
    ['combine', weights.combine],
    ['outputKernel', weights.outputKernel],
    ['outputBias', weights.outputBias],
  ];
  return named.filter((entry): entry is [string, Float32Array] => entry[1] !== undefined);
}

/** Decodes one step (building the engine's handle), then the byte offsets of the large weights it read. */
async function largeWeightOffsets(model: Seq2SeqModel, seen: FusedDecoderWeights[]): Promise<Record<string, number>> {
  const stepModel = model.asStepModel();
  const state = await stepModel.start([[3, 4, 5]]);
  const { state: next } = await stepModel.step(state, Int32Array.of(stepModel.bosId));
  stepModel.dispose(next);
  expect(seen).toHaveLength(1);
  const addon = loadNativeAddon();
  const large = arrays(seen[0]!).filter(([, values]) => values.length >= ALIGNED_FROM);
  return Object.fromEntries(large.map(([name, values]) => [name, addon.alignmentOf(values)]));
}

describe.skipIf(unavailable !== undefined)('the fused decoder step reads 64-byte-aligned weights on the native backend', () => {
  let root: string;
  beforeAll(async () => {
    await setBackend('native');
    root = await mkdtemp(join(tmpdir(), 'seqloom-aligned-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('of a freshly created model and of one loaded from a checkpoint', async () => {
    const created: FusedDecoderWeights[] = [];
    const model = Seq2SeqModel.create(config, { seed: 3, kernels: recordingKernels(created) });
    const aligned = { embedding: 0, 'layer 0 kernel': 0, 'layer 0 recurrent': 0, outputKernel: 0 };
    expect(await largeWeightOffsets(model, created)).toEqual(aligned);

    const dir = join(root, 'checkpoint');
    await saveCheckpoint(dir, { model });
    model.dispose();
    const loaded: FusedDecoderWeights[] = [];
    const { model: again } = await loadCheckpoint(dir, { createModel: (c) => Seq2SeqModel.create(c, { seed: 4, kernels: recordingKernels(loaded) }) });
    expect(await largeWeightOffsets(again, loaded)).toEqual(aligned);
    again.dispose();
  });
});
