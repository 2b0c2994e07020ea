// The measuring half of `pnpm bench quality g2p`: test and dev scores of trained
// checkpoints, the learning curve, and the run's speed, all through the public API.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { G2pScores } from '@seqloom/metrics';
import { type EvaluationData, evaluateTrainedModel, loadTrainedModel, type TextGenerationOptions } from '@seqloom/seq2seq';
import {
  type EvalMetricsRecord,
  METRICS_FILE,
  type MultiReferenceExample,
  readMetricsLog,
  readTrainingState,
  type TrainMetricsRecord,
} from '@seqloom/seq2seq/tooling';

/** G2P scores of one checkpoint with one decoder. */
export interface DecodedScores {
  decoder: string;
  words: number;
  wordErrorRate: number;
  phonemeErrorRate: number;
  /** n-best oracle word error rate (beam search). */
  oracleWordErrorRate: number | null;
  seconds: number;
}

/** One evaluation point of the run. */
export interface CurvePoint {
  step: number;
  minutes: number;
  validLoss: number;
  learningRate: number;
  /** On the dev subset, greedy decoding (null when the checkpoint was not kept). */
  devWordErrorRate: number | null;
  devPhonemeErrorRate: number | null;
}

/** How the run went: steps, tokens, time and speed. */
export interface RunSpeed {
  steps: number;
  tokens: number;
  minutes: number;
  /** Target tokens per second of training time (evaluations included). */
  tokensPerSecond: number;
  /** Median of the training records' tokens per second (steps only). */
  stepTokensPerSecond: number;
}

function scoresOf(decoder: string, g: G2pScores, seconds: number): DecodedScores {
  return {
    decoder,
    words: g.words,
    wordErrorRate: g.wordErrorRate,
    phonemeErrorRate: g.phonemeErrorRate,
    oracleWordErrorRate: g.oracle?.wordErrorRate ?? null,
    seconds,
  };
}

/** Scores the checkpoint in `dir` on `examples` with greedy decoding and, when `beam` > 1, beam search. */
export async function scoreCheckpoint(dir: string, examples: MultiReferenceExample[], beam: number): Promise<DecodedScores[]> {
  const trained = await loadTrainedModel(dir);
  try {
    const data: EvaluationData = { task: 'seq2seq', examples };
    const decoders: { name: string; options: TextGenerationOptions }[] = [{ name: 'greedy', options: { strategy: 'greedy' } }];
    if (beam > 1) decoders.push({ name: `beam-${beam}`, options: { strategy: 'beam', beamWidth: beam } });
    const results: DecodedScores[] = [];
    for (const d of decoders) {
      const started = performance.now();
      const report = await evaluateTrainedModel(trained, data, { decoding: d.options, g2p: true, batchSize: 64 });
      results.push(scoresOf(d.name, report.g2p!, (performance.now() - started) / 1000));
    }
    return results;
  } finally {
    trained.dispose();
  }
}

/** An evenly spread subset of `n` examples (dictionary order would give only words in a…). */
export function spreadSubset<T>(items: readonly T[], n: number): T[] {
  if (n >= items.length) return [...items];
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]!);
}

/** The kept evaluation checkpoints of a run (`<model>/evals/step-<n>`), by step. */
async function keptCheckpoints(modelDir: string): Promise<Map<number, string>> {
  const names = await readdir(join(modelDir, 'evals')).catch(() => [] as string[]);
  const kept = new Map<number, string>();
  for (const name of names) {
    const match = /^step-(\d+)$/.exec(name);
    if (match) kept.set(Number(match[1]), join(modelDir, 'evals', name));
  }
  return kept;
}

/** Validation loss from metrics.jsonl and dev WER/PER (greedy) of every kept evaluation checkpoint. */
export async function learningCurve(modelDir: string, dev: MultiReferenceExample[]): Promise<CurvePoint[]> {
  const evals = readMetricsLog(join(modelDir, METRICS_FILE)).filter((r): r is EvalMetricsRecord => r.kind === 'eval');
  const kept = await keptCheckpoints(modelDir);
  const points: CurvePoint[] = [];
  for (const e of evals) {
    const dir = kept.get(e.step);
    const [greedy] = dir ? await scoreCheckpoint(dir, dev, 1) : [undefined];
    points.push({
      step: e.step,
      minutes: e.elapsedSeconds / 60,
      validLoss: e.loss,
      learningRate: e.learningRate,
      devWordErrorRate: greedy?.wordErrorRate ?? null,
      devPhonemeErrorRate: greedy?.phonemeErrorRate ?? null,
    });
  }
  return points;
}

/** Steps, tokens and speed of the run, from its last checkpoint and metrics.jsonl. */
export async function runSpeed(modelDir: string): Promise<RunSpeed> {
  const state = await readTrainingState(join(modelDir, 'last'));
  const rates = readMetricsLog(join(modelDir, METRICS_FILE))
    .filter((r): r is TrainMetricsRecord => r.kind === 'train')
    .map((r) => r.tokensPerSecond)
    .sort((a, b) => a - b);
  return {
    steps: state.step,
    tokens: state.tokensSeen,
    minutes: state.elapsedMs / 60_000,
    tokensPerSecond: state.tokensSeen / (state.elapsedMs / 1000),
    stepTokensPerSecond: rates.length === 0 ? 0 : rates[Math.floor(rates.length / 2)]!,
  };
}
