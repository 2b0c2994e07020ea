import { generate as decode } from '@seqloom/decode';
import { nativeUnavailableReason } from '@seqloom/native';
import { describeBackend, Seq2SeqModel, setBackend } from '@seqloom/seq2seq';
import { activeKernelSet, type SeqKernels } from '@seqloom/seq2seq/kernels';
import { DecodingPool, TrainingPool, threadedWasmThreads } from '@seqloom/seq2seq/parallel';
import { createOptimizer, trainStep } from '@seqloom/seq2seq/tooling';
import * as tf from '@tensorflow/tfjs';
import { type BenchData, BOS, EOS, PAD, toBatch } from './bench-data.js';
import type { BenchShape } from './bench-options.js';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Starts seqloom's backend the way the library does (seqloom kernels
 * included): `backend` native (the default when @seqloom/native is built),
 * wasm or cpu. `threads`: native's BLAS threads, or the wasm backend's own
 * thread pool (`setBackend('wasm', { threads })`); `pool` the threads of a
 * TrainingPool / DecodingPool (worker threads with model copies).
 */
export async function startBackend(
  threads: number | undefined,
  pool?: number,
  job: 'training' | 'decoding' = 'training',
  backend?: 'native' | 'wasm' | 'cpu',
): Promise<string> {
  const choice = backend ?? (nativeUnavailableReason() === undefined ? 'native' : 'wasm');
  await setBackend(choice, { threads: threads ?? 1 });
  const build =
    choice !== 'wasm'
      ? describeBackend()
      : threads === undefined
        ? 'wasm (single-threaded SIMD build)'
        : `wasm (threaded build, ${threadedWasmThreads()} threads)`;
  return pool !== undefined && pool > 1 ? `${build}, ${job} on ${pool} threads (${job === 'training' ? 'TrainingPool' : 'DecodingPool'})` : build;
}

/** The active kernel set without its fused decoder step: decoding then runs tfjs ops per step. */
export function tensorStepKernels(): SeqKernels {
  const { fusedDecoder: _, ...kernels } = activeKernelSet();
  return kernels;
}

/** An LSTM encoder-decoder of the anchor's shape: no attention, no dropout, final encoder state → decoder. */
export function createBenchModel(shape: BenchShape, kernels?: SeqKernels): Seq2SeqModel {
  return Seq2SeqModel.create(
    {
      task: 'seq2seq',
      cell: 'lstm',
      layers: shape.layers,
      hiddenSize: shape.hidden,
      embeddingSize: shape.emb,
      attention: 'none',
      bidirectional: false,
      inputFeeding: false,
      dropout: 0,
      embeddingDropout: 0,
      sourceVocabSize: shape.vocab,
      targetVocabSize: shape.vocab,
      padId: PAD,
      bosId: BOS,
      eosId: EOS,
      sourcePadId: PAD,
    },
    kernels === undefined ? { seed: shape.seed } : { seed: shape.seed, kernels },
  );
}

/** Training figures of one side. */
export interface TrainFigures {
  trainTokPerSec: number;
  msPerStep: number;
  firstLoss: number;
  lastLoss: number;
  /** Live tensors after the measured steps minus before them. */
  tensorDrift: number;
}

/** Adam (lr 1e-3), clip-norm 1.0, masked NLL, teacher forcing, through the library's trainStep. */
export async function measureTraining(shape: BenchShape, data: BenchData, threads = 1): Promise<TrainFigures> {
  const model = createBenchModel(shape);
  const trainable = model.trainableWeights();
  const pool = threads > 1 ? await TrainingPool.create(model, trainable, { threads }) : undefined;
  const optimizer = createOptimizer({ type: 'adam', learningRate: 1e-3 }, trainable);
  const batches = data.batches.map(toBatch);
  const rates: number[] = [];
  const times: number[] = [];
  const losses: number[] = [];
  let before = 0;
  for (let i = 0; i < shape.warmup + shape.steps; i++) {
    if (i === shape.warmup) before = tf.memory().numTensors;
    const batch = batches[i % batches.length]!;
    const start = performance.now();
    const settings = { learningRate: 1e-3, clipNorm: 1, loss: { training: true, seed: i } };
    const result = await (pool ? pool.trainStep(trainable, optimizer, batch, settings) : trainStep(model, trainable, optimizer, batch, settings));
    const ms = performance.now() - start;
    losses.push(result.loss);
    if (i >= shape.warmup) {
      times.push(ms);
      rates.push(batch.tokens / (ms / 1000));
    }
  }
  const tensorDrift = tf.memory().numTensors - before;
  await pool?.close();
  optimizer.dispose();
  model.dispose();
  return { trainTokPerSec: median(rates), msPerStep: median(times), firstLoss: losses[0]!, lastLoss: losses.at(-1)!, tensorDrift };
}

/** Decoding figures of one side. */
export interface DecodeFigures {
  greedySentPerSec: number;
  beamSentPerSec: number;
  tensorDrift: number;
}

/**
 * Greedy and beam search through `@seqloom/decode`'s generate() on the
 * model's StepModel; the stop token is held back until targetLen tokens
 * (minNewTokens = maxNewTokens), so every sentence runs targetLen steps on
 * both sides.
 */
export async function measureDecoding(shape: BenchShape, data: BenchData, threads = 1, tensorStep = false): Promise<DecodeFigures> {
  const model = createBenchModel(shape, tensorStep ? tensorStepKernels() : undefined);
  const stepModel = model.asStepModel();
  const pool = threads > 1 ? await DecodingPool.create(model, { threads }) : undefined;
  const generate = (sources: number[][], options: Parameters<typeof decode>[2]) =>
    pool ? pool.generate(sources, options) : decode(stepModel, sources, options);
  const base = { maxNewTokens: shape.targetLen, minNewTokens: shape.targetLen };
  const rate = async (options: Parameters<typeof decode>[2]): Promise<number> => {
    for (let r = 0; r < shape.decodeWarmup; r++) await generate(data.decodeSources, options);
    const times: number[] = [];
    for (let r = 0; r < shape.decodeRepeats; r++) {
      const start = performance.now();
      const results = await generate(data.decodeSources, options);
      times.push(performance.now() - start);
      if (results.length !== data.decodeSources.length) throw new Error(`generate returned ${results.length} results for ${data.decodeSources.length} sources`);
    }
    return data.decodeSources.length / (median(times) / 1000);
  };
  const before = tf.memory().numTensors;
  const greedySentPerSec = await rate({ ...base, strategy: 'greedy' });
  const beamSentPerSec = await rate({ ...base, strategy: 'beam', beamWidth: shape.beam });
  const tensorDrift = tf.memory().numTensors - before;
  await pool?.close();
  model.dispose();
  return { greedySentPerSec, beamSentPerSec, tensorDrift };
}

/** Peak resident set of this process so far, MiB. */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}
