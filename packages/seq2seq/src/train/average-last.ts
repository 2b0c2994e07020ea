import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { averageCheckpoints } from '../checkpoint/average-checkpoints.js';
import { loadWeightsInto } from '../checkpoint/load-checkpoint.js';
import { saveCheckpoint } from '../checkpoint/save-checkpoint.js';
import { longestLengths } from '../checkpoint/sequence-lengths.js';
import { evaluate } from './evaluate.js';
import type { TrainRun } from './prepare-run.js';

/** Where `averageLast` keeps the evaluation checkpoints: `<outDir>/evals/step-<step>`. */
export const EVALS_DIR = 'evals';
/** Where the average of the last evaluation checkpoints is written: `<outDir>/averaged`. */
export const AVERAGED_DIR = 'averaged';

/** The average written at the end of training (`averageLast`). */
export interface AveragedResult {
  dir: string;
  /** Steps of the checkpoints averaged. */
  steps: number[];
  /** Validation loss of the averaged weights (null without validation data). */
  validLoss: number | null;
}

const stepOf = (name: string): number | null => {
  const match = /^step-(\d+)$/.exec(name);
  return match ? Number(match[1]) : null;
};

/** Kept evaluation checkpoints, oldest first, as `{ step, dir }`; ones past `upTo` (a lost future after a resume) are left out. */
async function keptCheckpoints(outDir: string, upTo: number): Promise<{ step: number; dir: string }[]> {
  const names = await readdir(join(outDir, EVALS_DIR)).catch(() => [] as string[]);
  return names
    .map((name) => ({ step: stepOf(name), dir: join(outDir, EVALS_DIR, name) }))
    .filter((c): c is { step: number; dir: string } => c.step !== null && c.step <= upTo)
    .sort((a, b) => a.step - b.step);
}

/**
 * Keeps the checkpoint of this evaluation (weights and state, no optimizer)
 * under `<outDir>/evals/` and removes all but the last `averageLast` (or
 * `keepEvaluations`, the larger) ones.
 */
export async function keepEvaluationCheckpoint(run: TrainRun): Promise<void> {
  const { outDir } = run.options;
  const keep = Math.max(run.options.averageLast ?? 0, run.options.keepEvaluations ?? 0);
  if (!outDir || keep === 0) return;
  const step = run.state.step;
  await saveCheckpoint(join(outDir, EVALS_DIR, `step-${step}`), {
    model: run.model,
    state: run.state,
    training: { ...run.settings },
    tokenizers: run.options.tokenizers,
    generation: run.options.generation,
    lengths: longestLengths(run.options.train),
  });
  const names = await readdir(join(outDir, EVALS_DIR));
  const stale = names.filter((name) => {
    const s = stepOf(name);
    return s !== null && s > step;
  });
  const kept = await keptCheckpoints(outDir, step);
  for (const old of [...kept.slice(0, Math.max(0, kept.length - keep)).map((c) => c.dir), ...stale.map((n) => join(outDir, EVALS_DIR, n))]) {
    await rm(old, { recursive: true, force: true });
  }
}

/** Validation loss of the weights in `dir`, evaluated on the run's model; its own weights are put back after. */
async function validLossOf(run: TrainRun, dir: string): Promise<number | null> {
  const valid = run.options.valid;
  if (!valid || valid.length === 0) return null;
  const weights = run.model.namedWeights();
  const saved = new Map([...weights].map(([name, variable]) => [name, tf.clone(variable)]));
  try {
    await loadWeightsInto(run.model, dir);
    return (await evaluate(run.model, valid, run.settings.evalBatchSize)).loss;
  } finally {
    for (const [name, variable] of weights) variable.assign(saved.get(name)!);
    for (const tensor of saved.values()) tensor.dispose();
  }
}

/**
 * Averages the kept evaluation checkpoints (the last `averageLast`) into
 * `<outDir>/averaged` and measures its validation loss. Needs two or more
 * kept checkpoints; with fewer it returns null.
 */
export async function averageLastCheckpoints(run: TrainRun): Promise<AveragedResult | null> {
  const { outDir, averageLast } = run.options;
  if (!outDir || !averageLast) return null;
  const kept = (await keptCheckpoints(outDir, run.state.step)).slice(-averageLast);
  if (kept.length < 2) return null;
  const dir = join(outDir, AVERAGED_DIR);
  await averageCheckpoints(
    kept.map((c) => c.dir),
    dir,
    { overwrite: true },
  );
  const validLoss = await validLossOf(run, dir);
  await run.options.onCheckpoint?.({ step: run.state.step, dir, kind: 'averaged' });
  return { dir, steps: kept.map((c) => c.step), validLoss };
}
