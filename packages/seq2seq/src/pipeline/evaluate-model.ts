import { resolve } from 'node:path';
import { type G2pScores, type GenerationScores, g2pScores, scoreGenerations } from '@seqloom/metrics';
import { DataError } from '../data/data-error.js';
import { type PairFormat, readPairs } from '../data/read-pairs.js';
import { readText } from '../data/read-text.js';
import { encodePairs, lmWindows } from '../data/sequence-example.js';
import { evaluate } from '../train/evaluate.js';
import type { DatasetCatalog, MultiReferenceExample, SplitName } from './dataset-catalog.js';
import { EnsembleError } from './ensemble-model.js';
import { fullBeam } from './full-beam.js';
import { scoreWithStepModel } from './step-model-scoring.js';
import { generateTexts, type TextGenerationOptions } from './text-generation.js';
import type { TrainedModel } from './trained-model.js';
import { dataKind, groupReferences } from './training-data.js';

/** Evaluation data: sources with references (seq2seq), or a text (lm). */
export type EvaluationData = { task: 'seq2seq'; examples: MultiReferenceExample[] } | { task: 'lm'; text: string };

/**
 * Reads evaluation data: a TSV/JSONL file (several lines with one source give
 * several references), a text file for lm, or a split of a dataset named in
 * `options.datasets` (default split `test`).
 */
export async function readEvaluationData(
  data: string,
  options: { task: 'seq2seq' | 'lm'; split?: SplitName; format?: PairFormat; skipBadLines?: boolean; cwd?: string; datasets?: DatasetCatalog },
): Promise<EvaluationData> {
  const cwd = options.cwd ?? process.cwd();
  if (options.datasets?.has(data)) {
    const ds = options.datasets.load(data);
    if (ds.task !== options.task) throw new DataError(`built-in dataset "${data}" is for ${ds.task} models, but this model is ${options.task}`);
    const split = options.split ?? 'test';
    return ds.task === 'lm' ? { task: 'lm', text: ds.splits[split] } : { task: 'seq2seq', examples: ds.splits[split] };
  }
  if (options.task === 'lm' || dataKind(data, options.datasets) === 'text') {
    if (options.task !== 'lm') throw new DataError('a plain text file evaluates an lm model; give TSV/JSONL pairs for seq2seq', { file: data });
    return { task: 'lm', text: await readText(resolve(cwd, data)) };
  }
  const read = await readPairs(resolve(cwd, data), { ...(options.format ? { format: options.format } : {}), skipBadLines: options.skipBadLines ?? false });
  if (read.pairs.length === 0) throw new DataError('no source/target pairs to evaluate', { file: data });
  return { task: 'seq2seq', examples: groupReferences(read.pairs) };
}

/** One evaluated example, for reports. */
export interface EvaluatedExample {
  source: string;
  references: string[];
  hypothesis: string;
  correct: boolean;
}

/** What {@link evaluateTrainedModel} measures. */
export interface EvaluationReport {
  task: 'seq2seq' | 'lm';
  /** Sources (seq2seq) or windows (lm) evaluated. */
  examples: number;
  /** Teacher-forced NLL per target token (nats), perplexity and token accuracy, over every reference. */
  loss: number;
  perplexity: number;
  tokenAccuracy: number;
  tokens: number;
  /** lm: whether the state was carried across the windows (see `evaluate`). */
  carryState?: boolean;
  /** Text metrics of the decoded outputs (seq2seq only). */
  scores?: GenerationScores;
  /**
   * Grapheme-to-phoneme word and phoneme error rates (with `g2p: true`), and
   * the n-best oracle word error rate when the decoder returns several hypotheses
   * (beam search returns its whole beam then).
   */
  g2p?: G2pScores;
  /** Every example with its hypothesis (seq2seq only). */
  outputs?: EvaluatedExample[];
  elapsedMs: number;
}

/** Options of {@link evaluateTrainedModel}. */
export interface EvaluationOptions {
  decoding?: TextGenerationOptions;
  /** Examples per batch, for the teacher-forced pass and for decoding. Default 32. */
  batchSize?: number;
  /** Tokens per window (lm). Default 128. */
  window?: number;
  /**
   * Also score as grapheme-to-phoneme output (targets are space-separated
   * phonemes): G2P word error rate, phoneme error rate and, with beam search
   * (decoded with its whole beam returned unless `numReturn` is given) or any
   * n-best, the oracle word error rate. Default false.
   */
  g2p?: boolean;
  /** lm: carry the state across windows read as `batchSize` streams [as the model was trained: its config's training.carryState]. */
  carryState?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Evaluates a trained model (or an ensemble of them, whose loss is that of
 * the members' mean distribution): teacher-forced loss/perplexity/accuracy, then
 * (seq2seq) decodes every source with `decoding` and scores the outputs with
 * exact match, token/character/word error rate, BLEU and chrF, a hypothesis
 * counting as correct if it matches any of its references.
 */
export async function evaluateTrainedModel(trained: TrainedModel, data: EvaluationData, options: EvaluationOptions = {}): Promise<EvaluationReport> {
  const started = performance.now();
  const batchSize = options.batchSize ?? 32;
  const target = trained.targetTokenizer;
  const ensemble = (trained.members?.length ?? 0) > 1;
  if (data.task === 'lm') {
    if (ensemble) {
      throw new EnsembleError(
        'evaluating an ensemble of language models is not supported (their windows start from a state the decoding contract has no way to set); evaluate each model, or generate with the ensemble',
      );
    }
    const windows = lmWindows(data.text, { encode: (t) => target.encode(t), windowSize: options.window ?? 128, bosId: target.bosId, eosId: target.eosId });
    const carryState = options.carryState ?? trained.config.training.carryState === true;
    const m = await evaluate(trained.model, windows, batchSize, { carryState });
    return {
      task: 'lm',
      examples: windows.length,
      carryState,
      loss: m.loss,
      perplexity: m.perplexity,
      tokenAccuracy: m.accuracy,
      tokens: m.tokens,
      elapsedMs: performance.now() - started,
    };
  }
  const pairs = data.examples.flatMap((e) => e.targets.map((t) => ({ source: e.source, target: t })));
  const { examples } = encodePairs(pairs, {
    encodeSource: (t) => trained.sourceTokenizer.encode(t),
    encodeTarget: (t) => target.encode(t),
    bosId: target.bosId,
    eosId: target.eosId,
  });
  // an ensemble is scored through its step model (the mean of the members' probabilities)
  // (so is a model that is only a StepModel, such as an ONNX export)
  const m =
    ensemble || trained.model === undefined
      ? await scoreWithStepModel(trained.stepModel, examples, batchSize)
      : await evaluate(trained.model, examples, batchSize);
  const hypotheses: string[] = [];
  const hypothesisTokens: number[][] = [];
  const nBest: string[][] = [];
  const decoding = options.g2p ? fullBeam(trained, options.decoding) : options.decoding;
  for (let start = 0; start < data.examples.length; start += batchSize) {
    const batch = data.examples.slice(start, start + batchSize);
    const generated = await generateTexts(
      trained,
      batch.map((e) => e.source),
      decoding,
    );
    for (const g of generated) {
      hypotheses.push(g.text);
      hypothesisTokens.push(g.ids);
      nBest.push(g.nBest.map((h) => h.text));
    }
    options.onProgress?.(Math.min(start + batchSize, data.examples.length), data.examples.length);
  }
  const references = data.examples.map((e) => e.targets);
  const scores = scoreGenerations(
    { hypotheses, references, hypothesisTokens, referenceTokens: references.map((refs) => refs.map((r) => target.encode(r))) },
    { bleu: { effectiveOrder: true } },
  );
  const g2p = options.g2p ? g2pScores(hypotheses, references, nBest.some((l) => l.length > 1) ? { nBest } : {}) : undefined;
  const outputs = data.examples.map((e, i) => ({ source: e.source, references: e.targets, hypothesis: hypotheses[i], correct: scores.exactMatch.correct[i] }));
  return {
    task: 'seq2seq',
    examples: data.examples.length,
    loss: m.loss,
    perplexity: m.perplexity,
    tokenAccuracy: m.accuracy,
    tokens: m.tokens,
    scores,
    ...(g2p ? { g2p } : {}),
    outputs,
    elapsedMs: performance.now() - started,
  };
}
