import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeRunFile } from '../checkpoint/run-file.js';
import { copyCheckpoint, saveCheckpoint } from '../checkpoint/save-checkpoint.js';
import { longestLengths } from '../checkpoint/sequence-lengths.js';
import type { EvaluationRecord } from '../checkpoint/training-state.js';
import { type BatchPlan, makeBatch } from '../data/batching.js';
import type { Batch, TrainableModel } from '../model-contract.js';
import { globalNormScale } from '../optim/clip-by-global-norm.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { Stepper, StepResult, StepSettings } from '../optim/stepper.js';
import { TrainingPool } from '../parallel/training-pool.js';
import { Seq2SeqModel } from '../seq2seq-model.js';
import { NonFiniteLossError, TrainingError } from '../training-error.js';
import { type AveragedResult, averageLastCheckpoints, keepEvaluationCheckpoint } from './average-last.js';
import { epochPlan } from './epoch-plan.js';
import { type EvaluationMetrics, evaluate } from './evaluate.js';
import { elapsedMs, prepareRun, type TrainRun } from './prepare-run.js';
import { resolveTrainSettings, type TrainOptions } from './train-options.js';

/** Resolves after pending timers and signal handlers had their turn (setImmediate where there is one, as in Node). */
function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

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
  /** With `averageLast`: the averaged checkpoint, the steps it averages and its validation loss (null when fewer than two evaluations were kept). */
  averaged: AveragedResult | null;
}

/**
 * One optimizer step on this thread: forward + masked NLL under
 * `tf.variableGrads` (the backward pass), clip by global norm, update.
 * Frozen weights are left out of the gradient, so they never change. Leaves
 * no new tensors behind.
 */
export async function trainStep(
  model: TrainableModel,
  trainable: ReadonlyMap<string, tf.Variable>,
  optimizer: Optimizer,
  batch: Batch,
  step: StepSettings,
): Promise<StepResult> {
  const varList = [...trainable.values()];
  const nameOf = new Map([...trainable].map(([name, variable]) => [variable.name, name]));
  const result = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => model.loss(batch, { ...step.loss, countCorrect: false }).loss, varList);
    const named = new Map<string, tf.Tensor>();
    for (const [variableName, grad] of Object.entries(grads)) named.set(nameOf.get(variableName)!, grad);
    const clipped = globalNormScale(named, step.clipNorm); // the optimizer folds the clip factor into its update
    optimizer.apply(named, step.learningRate, clipped.scale);
    return tf.stack([value, clipped.norm]);
  });
  const [loss, gradNorm] = await result.data();
  result.dispose();
  return { loss: loss!, gradNorm: gradNorm! };
}

/**
 * The stepper of a run, chosen once: {@link trainStep} here, or a
 * {@link TrainingPool} sharing each batch among `dataParallel` threads
 * (the model must be a Seq2SeqModel, which workers can rebuild).
 */
async function chooseStepper(run: TrainRun): Promise<Stepper> {
  const threads = run.options.dataParallel ?? 1;
  if (threads <= 1) {
    return { step: (batch, settings) => trainStep(run.model, run.trainable, run.optimizer, batch, settings), close: async () => {} };
  }
  if (!(run.model instanceof Seq2SeqModel)) {
    throw new TrainingError(
      `train option dataParallel ${threads} needs a Seq2SeqModel (worker threads rebuild the model from its config); use dataParallel: 1 for other models`,
    );
  }
  return (await TrainingPool.create(run.model, run.trainable, { threads })).stepper(run.trainable, run.optimizer);
}

function stopReasonBeforeStep(run: TrainRun): StopReason | null {
  const { settings, state, options } = run;
  if (options.signal?.aborted) return 'aborted';
  if (settings.maxSteps !== null && state.step >= settings.maxSteps) return 'maxSteps';
  if (settings.maxMinutes !== null && elapsedMs(run) >= settings.maxMinutes * 60_000) return 'maxMinutes';
  if (state.epoch >= settings.epochs) return 'epochs';
  return null;
}

/**
 * Whether to evaluate after this step: every `evalEvery` steps, at each
 * multiple of `evalEveryMinutes` of training time (one evaluation however many
 * multiples passed), or, when neither is set, at the end of every epoch.
 */
function evaluationDue(run: TrainRun, epochEnded: boolean): boolean {
  const { evalEvery, evalEveryMinutes } = run.settings;
  if (evalEvery === null && evalEveryMinutes === null) return epochEnded;
  if (evalEvery !== null && run.state.step % evalEvery === 0) return true;
  if (evalEveryMinutes === null) return false;
  const period = evalEveryMinutes * 60_000;
  // a resumed run counts from the training time of its checkpoint
  const since = run.lastEvaluationElapsedMs ?? run.priorElapsedMs;
  return Math.floor(elapsedMs(run) / period) > Math.floor(since / period);
}

/** Runs the next batch of the current epoch and moves the data position on. */
async function runNextStep(run: TrainRun, plan: BatchPlan, stepper: Stepper): Promise<{ loss: number; epochEnded: boolean }> {
  const { state, settings } = run;
  const batch = makeBatch(run.options.train, plan.at(state.batchInEpoch)!, run.model.config);
  const learningRate = run.schedule.rateAt(state.step, elapsedMs(run));
  const started = performance.now();
  if (state.batchInEpoch === 0) run.carried?.reset(); // each epoch's streams start at the start of the text
  const carried = run.carried?.lossOptions(batch.batchSize);
  const { loss, gradNorm } = await stepper.step(batch, {
    learningRate,
    clipNorm: settings.clipNorm,
    loss: { training: true, labelSmoothing: settings.labelSmoothing, scheduledSampling: settings.scheduledSampling, seed: run.rng.nextUint32(), ...carried },
  });
  if (!Number.isFinite(loss)) throw new NonFiniteLossError(loss, state.step + 1);
  run.carried?.commit();
  const seconds = Math.max(1e-9, (performance.now() - started) / 1000);
  state.step += 1;
  state.batchInEpoch += 1;
  state.tokensSeen += batch.tokens;
  state.rng = run.rng.getState();
  const event = {
    step: state.step,
    epoch: state.epoch,
    batchInEpoch: state.batchInEpoch,
    batchesPerEpoch: plan.length,
    totalSteps: Math.min(settings.maxSteps ?? Infinity, settings.epochs * plan.length),
    loss,
    gradNorm,
    learningRate,
    tokens: batch.tokens,
    tokensPerSecond: batch.tokens / seconds,
    elapsedMs: elapsedMs(run),
  };
  const epochEnded = state.batchInEpoch >= plan.length;
  if (epochEnded) {
    state.epoch += 1;
    state.batchInEpoch = 0;
  }
  run.metrics?.addStep({ ...event, seconds });
  await run.options.onStep?.(event);
  return { loss, epochEnded };
}

/** Writes `<outDir>/last` (and run.json beside the first one, when `runOptions` are given). */
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
    // mid-epoch only: an epoch starts from zeros, so a resume at its start needs no state
    ...(run.carried?.held && run.state.batchInEpoch > 0 ? { carriedState: run.carried.named() } : {}),
  });
  run.tensorboard?.flush(); // the event file holds what the checkpoint holds
  if (!run.runFileWritten && run.options.runOptions) await writeRunFile(outDir, run.options.runOptions);
  run.runFileWritten = true;
  run.lastCheckpointStep = run.state.step;
  await run.options.onCheckpoint?.({ step: run.state.step, dir, kind: 'last' });
}

/**
 * Evaluates on the validation examples, updates the schedule, best model and
 * early-stopping counter, and writes `last/` and (when improved) `best/`.
 */
async function evaluateAndCheckpoint(run: TrainRun): Promise<{ stop: boolean; metrics: EvaluationMetrics | null }> {
  const { options, settings, state } = run;
  let metrics: EvaluationMetrics | null = null;
  let stop = false;
  run.lastEvaluationStep = state.step;
  run.lastEvaluationElapsedMs = elapsedMs(run);
  if (options.valid && options.valid.length > 0) {
    metrics = await evaluate(run.model, options.valid, settings.evalBatchSize, { carryState: settings.carryState === true });
    const learningRate = run.schedule.rateAt(state.step, elapsedMs(run));
    const minDelta = settings.earlyStopping?.minDelta ?? 0;
    const isBest = state.bestValidLoss === null || metrics.loss < state.bestValidLoss - minDelta;
    state.bestValidLoss = isBest ? metrics.loss : state.bestValidLoss;
    state.bestStep = isBest ? state.step : state.bestStep;
    state.evaluationsWithoutImprovement = isBest ? 0 : state.evaluationsWithoutImprovement + 1;
    run.schedule.onEvaluation(metrics.loss);
    state.schedule = run.schedule.getState();
    const { loss: validLoss, perplexity, accuracy } = metrics;
    state.history.push({ step: state.step, epoch: state.epoch, validLoss, perplexity, accuracy, learningRate });
    run.metrics?.addEvaluation({ ...metrics, step: state.step, epoch: state.epoch, elapsedSeconds: elapsedMs(run) / 1000, learningRate, isBest });
    await run.tensorboard?.addExamples(state.step);
    await options.onEval?.({ ...metrics, step: state.step, epoch: state.epoch, learningRate, isBest, bestValidLoss: state.bestValidLoss! });
    stop = settings.earlyStopping !== null && state.evaluationsWithoutImprovement >= settings.earlyStopping.patience;
  }
  await writeCheckpoint(run);
  await keepEvaluationCheckpoint(run);
  if (metrics !== null && state.bestStep === state.step && options.outDir) {
    // the checkpoint just written is the best one: copy it rather than encode it again
    const best = join(options.outDir, 'best');
    await copyCheckpoint(join(options.outDir, 'last'), best);
    await options.onCheckpoint?.({ step: state.step, dir: best, kind: 'best' });
  }
  return { stop, metrics };
}

/**
 * Trains a model until the epochs, `maxSteps`, `maxMinutes`, early stopping
 * or the abort signal say stop. Each step, top to bottom: the next batch →
 * forward → masked NLL → backward → clip by global norm → optimizer step (on
 * the stepper chosen before the loop) → evaluate / checkpoint when due.
 * Checkpoints go to `<outDir>/last` (each evaluation, on abort and at the
 * end) and `<outDir>/best`. An abort takes effect after the current step.
 * With `resumeFrom` it continues exactly where that checkpoint stopped: same
 * batches, seeds, optimizer and schedule state.
 */
export async function train(options: TrainOptions): Promise<TrainSummary> {
  const settings = resolveTrainSettings(options);
  const run = await prepareRun(options, settings);
  let stopReason: StopReason | null = null;
  let lastLoss: number | null = null;
  let finalMetrics: EvaluationMetrics | null = null;
  let plan: { epoch: number; batches: BatchPlan } = { epoch: -1, batches: [] };
  let stepper: Stepper | null = null;
  let averaged: AveragedResult | null = null;
  try {
    stepper = await chooseStepper(run);
    for (;;) {
      // let signal handlers and timers run between steps, so an abort is seen after the current step
      await nextMacrotask();
      if ((stopReason = stopReasonBeforeStep(run)) !== null) break;
      if (plan.epoch !== run.state.epoch) plan = { epoch: run.state.epoch, batches: epochPlan(options.train, run.state.epoch, settings) };
      const { loss, epochEnded } = await runNextStep(run, plan.batches, stepper);
      lastLoss = loss;
      if (!evaluationDue(run, epochEnded)) continue;
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
    if (stopReason !== 'aborted') averaged = await averageLastCheckpoints(run);
  } finally {
    await stepper?.close();
    run.tensorboard?.flush();
    run.optimizer.dispose();
    run.carried?.dispose();
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
    averaged,
  };
}
