import { join } from 'node:path';
import { makeBatch, planEpoch } from '../data/batching.js';
import type { TrainableModel } from '../model-contract.js';
import { copyCheckpoint, saveCheckpoint } from '../checkpoint/save-checkpoint.js';
import { longestLengths } from '../checkpoint/sequence-lengths.js';
import { evaluate, type EvaluationMetrics } from './evaluate.js';
import { resolveTrainSettings, type TrainOptions } from './train-options.js';
import { elapsedMs, prepareRun, type TrainRun } from './train-run.js';
import { trainStep } from './train-step.js';
import { Seq2SeqModel } from '../model/seq2seq-model.js';
import { TrainingPool } from '../parallel/training-pool.js';
import { TrainingError } from './training-error.js';
import type { EvaluationRecord } from './training-state.js';

/** Why training stopped. */
export type StopReason = 'epochs' | 'maxSteps' | 'maxMinutes' | 'earlyStopping' | 'aborted';

/** What {@link train} returns. */
export interface TrainSummary {
  /** The trained model (the one passed in, or the one created). */
  model: TrainableModel;
  stopReason: StopReason;
  steps: number;
  /** Epoch the run stopped in (0-based; equals `epochs` when all were completed). */
  epoch: number;
  tokensSeen: number;
  elapsedMs: number;
  /** Loss of the last training batch. */
  lastLoss: number | null;
  bestValidLoss: number | null;
  bestStep: number | null;
  /** Metrics of the last evaluation, if any. */
  finalMetrics: EvaluationMetrics | null;
  history: EvaluationRecord[];
  /** `<outDir>/last` and `<outDir>/best`, when written. */
  lastCheckpoint: string | null;
  bestCheckpoint: string | null;
}

function stopReasonBeforeStep(run: TrainRun): StopReason | null {
  const { settings, state, options } = run;
  if (options.signal?.aborted) return 'aborted';
  if (settings.maxSteps !== null && state.step >= settings.maxSteps) return 'maxSteps';
  if (settings.maxMinutes !== null && elapsedMs(run) >= settings.maxMinutes * 60_000) return 'maxMinutes';
  if (state.epoch >= settings.epochs) return 'epochs';
  return null;
}

async function writeCheckpoint(run: TrainRun): Promise<void> {
  const { outDir } = run.options;
  if (!outDir) return;
  run.state.elapsedMs = elapsedMs(run);
  const dir = join(outDir, 'last');
  await saveCheckpoint(dir, {
    model: run.model,
    optimizer: run.optimizer,
    state: run.state,
    training: { ...run.settings },
    tokenizers: run.options.tokenizers,
    generation: run.options.generation,
    lengths: longestLengths(run.options.train),
  });
  run.lastCheckpointStep = run.state.step;
  await run.options.onCheckpoint?.({ step: run.state.step, dir, kind: 'last' });
}

/**
 * Evaluates on the validation examples, updates the schedule, best model and
 * early-stopping counter, and writes `best/` (when improved) and `last/`.
 * Returns true when early stopping says to stop.
 */
async function evaluateAndCheckpoint(run: TrainRun): Promise<{ stop: boolean; metrics: EvaluationMetrics | null }> {
  const { options, settings, state } = run;
  let metrics: EvaluationMetrics | null = null;
  let stop = false;
  run.lastEvaluationStep = state.step;
  if (options.valid && options.valid.length > 0) {
    metrics = await evaluate(run.model, options.valid, settings.evalBatchSize);
    const learningRate = run.schedule.rateAt(state.step);
    const minDelta = settings.earlyStopping?.minDelta ?? 0;
    const isBest = state.bestValidLoss === null || metrics.loss < state.bestValidLoss - minDelta;
    if (isBest) {
      state.bestValidLoss = metrics.loss;
      state.bestStep = state.step;
      state.evaluationsWithoutImprovement = 0;
    } else {
      state.evaluationsWithoutImprovement += 1;
    }
    run.schedule.onEvaluation(metrics.loss);
    state.schedule = run.schedule.getState();
    const { loss: validLoss, perplexity, accuracy } = metrics;
    state.history.push({ step: state.step, epoch: state.epoch, validLoss, perplexity, accuracy, learningRate });
    await options.onEval?.({ ...metrics, step: state.step, epoch: state.epoch, learningRate, isBest, bestValidLoss: state.bestValidLoss! });
    stop = settings.earlyStopping !== null && state.evaluationsWithoutImprovement >= settings.earlyStopping.patience;
  }
  await writeCheckpoint(run);
  if (metrics !== null && state.bestStep === state.step && run.options.outDir) {
    // the checkpoint just written is the best one: copy it rather than encode it again
    const best = join(run.options.outDir, 'best');
    await copyCheckpoint(join(run.options.outDir, 'last'), best);
    await run.options.onCheckpoint?.({ step: state.step, dir: best, kind: 'best' });
  }
  return { stop, metrics };
}

/** A training pool for `threads` above 1 (the model must be a Seq2SeqModel, which workers can rebuild). */
async function startPool(run: TrainRun, threads: number): Promise<TrainingPool | null> {
  if (threads <= 1) return null;
  if (!(run.model instanceof Seq2SeqModel)) {
    throw new TrainingError(`train option dataParallel ${threads} needs a Seq2SeqModel (worker threads rebuild the model from its config); use dataParallel: 1 for other models`);
  }
  return TrainingPool.create(run.model, run.trainable, { threads });
}

/** Runs the next batch of the current epoch and moves the data position on. */
async function runNextStep(run: TrainRun, plan: number[][], pool: TrainingPool | null): Promise<{ loss: number; epochEnded: boolean }> {
  const { model, state, settings } = run;
  const batch = makeBatch(run.options.train, plan[state.batchInEpoch], model.config);
  const learningRate = run.schedule.rateAt(state.step);
  const started = performance.now();
  const stepSettings = {
    learningRate,
    clipNorm: settings.clipNorm,
    loss: { training: true, labelSmoothing: settings.labelSmoothing, scheduledSampling: settings.scheduledSampling, seed: run.rng.nextUint32() },
  };
  const { loss, gradNorm } = pool
    ? await pool.trainStep(run.trainable, run.optimizer, batch, stepSettings)
    : await trainStep(model, run.trainable, run.optimizer, batch, stepSettings);
  if (!Number.isFinite(loss)) {
    throw new TrainingError(`the loss became ${loss} at step ${state.step + 1}; lower the learning rate or set clipNorm`);
  }
  const seconds = Math.max(1e-9, (performance.now() - started) / 1000);
  state.step += 1;
  state.batchInEpoch += 1;
  state.tokensSeen += batch.tokens;
  state.rng = run.rng.getState();
  const event = {
    step: state.step, epoch: state.epoch, batchInEpoch: state.batchInEpoch, batchesPerEpoch: plan.length,
    totalSteps: Math.min(settings.maxSteps ?? Infinity, settings.epochs * plan.length),
    loss, gradNorm, learningRate, tokens: batch.tokens, tokensPerSecond: batch.tokens / seconds, elapsedMs: elapsedMs(run),
  };
  const epochEnded = state.batchInEpoch >= plan.length;
  if (epochEnded) {
    state.epoch += 1;
    state.batchInEpoch = 0;
  }
  await run.options.onStep?.(event);
  return { loss, epochEnded };
}

/**
 * Trains a model: batch → forward → masked NLL → clip by global norm →
 * optimizer step → evaluate / checkpoint, until the epochs, `maxSteps`,
 * `maxMinutes`, early stopping or the abort signal say stop. Checkpoints are
 * written to `<outDir>/last` (each evaluation and at the end) and
 * `<outDir>/best`. With `resumeFrom` it continues exactly where that
 * checkpoint stopped: same batches, seeds, optimizer and schedule state.
 */
export async function train(options: TrainOptions): Promise<TrainSummary> {
  const settings = resolveTrainSettings(options);
  const run = await prepareRun(options, settings);
  let stopReason: StopReason | null = null;
  let lastLoss: number | null = null;
  let finalMetrics: EvaluationMetrics | null = null;
  let plan = { epoch: -1, batches: [] as number[][] };
  let pool: TrainingPool | null = null;
  try {
    pool = await startPool(run, options.dataParallel ?? 1);
    while ((stopReason = stopReasonBeforeStep(run)) === null) {
      if (plan.epoch !== run.state.epoch) {
        plan = { epoch: run.state.epoch, batches: planEpoch(options.train, run.state.epoch, settings) };
      }
      const { loss, epochEnded } = await runNextStep(run, plan.batches, pool);
      lastLoss = loss;
      const due = settings.evalEvery !== null ? run.state.step % settings.evalEvery === 0 : epochEnded;
      if (!due) continue;
      const result = await evaluateAndCheckpoint(run);
      finalMetrics = result.metrics ?? finalMetrics;
      if (result.stop) {
        stopReason = 'earlyStopping';
        break;
      }
    }
    if (stopReason !== 'aborted' && stopReason !== 'earlyStopping' && run.lastEvaluationStep !== run.state.step && run.state.step > 0) {
      finalMetrics = (await evaluateAndCheckpoint(run)).metrics ?? finalMetrics;
    } else if (run.lastCheckpointStep !== run.state.step) {
      await writeCheckpoint(run);
    }
  } finally {
    await pool?.close();
    run.optimizer.dispose();
  }
  const { state } = run;
  const outDir = options.outDir;
  return {
    model: run.model,
    stopReason,
    steps: state.step,
    epoch: state.epoch,
    tokensSeen: state.tokensSeen,
    elapsedMs: elapsedMs(run),
    lastLoss,
    bestValidLoss: state.bestValidLoss,
    bestStep: state.bestStep,
    finalMetrics,
    history: state.history,
    lastCheckpoint: outDir && run.lastCheckpointStep !== null ? join(outDir, 'last') : null,
    bestCheckpoint: outDir && state.bestStep !== null ? join(outDir, 'best') : null,
  };
}
