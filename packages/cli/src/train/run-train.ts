import { stat } from 'node:fs/promises';
import { builtinDatasets, isBuiltinDataset } from '@seqloom/datasets';
import {
  CheckpointError,
  NonFiniteLossError,
  prepareTrainingData,
  Seq2SeqModel,
  train,
  type CreateModelOptions,
  type ModelConfig,
  type TrainingData,
  type TrainOptions,
} from '@seqloom/seq2seq';
import {
  generationDefaults,
  optimizerOptionsFrom,
  ResumeOptionError,
  resumeWithSavedOptions,
  scheduleOptionsFrom,
  type FlatOptimizerOptions,
  type SavedRunOptions,
} from '@seqloom/seq2seq/training';
import { loadCheckpointTokenizers } from '@seqloom/seq2seq/pipeline';
import type { FolderLock, ResumePoint } from '@seqloom/seq2seq/checkpoint';
import type { Tokenizer } from '@seqloom/tokenizer';
import type { CommandContext } from '../cli-command.js';
import { abortable } from '../abortable.js';
import { startBackend } from '../options/backend-options.js';
import { CliError, EXIT, UsageError } from '../cli-error.js';
import { camelCase, type OptionValues } from '../option-spec.js';
import { MODEL_OPTIONS } from '../options/model-options.js';
import { TRAIN_OPTIONS } from '../options/train-command-options.js';
import { createProgressReporter } from '../progress/create-progress-reporter.js';
import type { ProgressPlan } from '../progress/progress-events.js';
import { checkOutFolderWritable, lockOutFolder } from '../out-folder.js';
import { checkWritable, resolvePath } from '../text-inputs.js';
import { modelConfigFromOptions } from './model-config-from-options.js';
import { embeddingSizeFor, loadPretrainedEmbedding } from './pretrained-embeddings.js';
import { progressCallbacks } from './training-progress.js';
import { checkFiniteProducts, checkMemoryBeforeData, checkTrainingMemory } from './training-resources.js';
import { printTrainSummary } from './train-summary.js';
import { checkScheduleFlags, scheduleHorizon } from './schedule-flags.js';

/** Options a resumed run may not change (they shape the model or its data). */
const FIXED_ON_RESUME = new Set([...MODEL_OPTIONS.map((o) => o.name), 'task', 'tokenizer', 'source-tokenizer', 'target-tokenizer', 'lowercase', 'window', 'carry-state']);

/** The options of this run, where it writes and the lock it holds there; on --resume, options not given now come from the run's run.json. */
async function runOptions(ctx: CommandContext): Promise<{ o: OptionValues; out: string; point?: ResumePoint; lock: FolderLock }> {
  const o = { ...ctx.options };
  if (!o.resume) {
    const out = resolvePath(ctx.io, (o.out as string | undefined) ?? 'model');
    await checkOutFolderWritable(out);
    // before anything else looks at the folder: a run writing there now is the first thing to report
    const lock = await lockOutFolder(ctx, out, `seqloom train --out ${out}`);
    try {
      await checkWritable(out, o.overwrite as boolean);
      const info = await stat(out).catch(() => null);
      if (info && !info.isDirectory()) throw new CliError(`--out ${out} is a file; training writes a folder of checkpoints there, so choose another path`);
      return { o, out, lock };
    } catch (error) {
      lock.release();
      throw error;
    }
  }
  const path = resolvePath(ctx.io, o.resume as string);
  const { runRoot } = await import('@seqloom/seq2seq/checkpoint');
  await checkOutFolderWritable(runRoot(path), '--resume');
  const lock = await lockOutFolder(ctx, runRoot(path), `seqloom train --resume ${path}`);
  try {
    return { ...(await resumeOptions(ctx, o, path)), lock };
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function resumeOptions(ctx: CommandContext, o: OptionValues, path: string): Promise<{ o: OptionValues; out: string; point: ResumePoint }> {
  const given = Object.fromEntries(TRAIN_OPTIONS.filter((spec) => ctx.given.has(spec.name)).map((spec) => [spec.name, o[camelCase(spec.name)]]));
  let saved: SavedRunOptions;
  try {
    saved = await resumeWithSavedOptions(path, given, FIXED_ON_RESUME);
  } catch (error) {
    if (error instanceof ResumeOptionError) {
      throw new UsageError(`--${error.option} cannot change when resuming (the run used ${JSON.stringify(error.saved)}); start a new run with --out instead`);
    }
    if (error instanceof CheckpointError && error.file === path) throw new CliError(`--resume ${error.message}`);
    throw error;
  }
  for (const spec of TRAIN_OPTIONS) if (spec.name in saved.options) o[camelCase(spec.name)] = saved.options[spec.name];
  o.out = saved.outDir;
  return { o, out: saved.outDir, point: saved.point };
}

/** The model the options make with the smallest vocabulary and no encoder: a lower bound of its size, known before the data is read. */
function smallestModelConfig(o: OptionValues): ModelConfig {
  const tiny = { vocabSize: 8, padId: 0, bosId: 1, eosId: 2 } as Tokenizer;
  return modelConfigFromOptions({ ...o, attention: undefined, inputFeeding: undefined }, 'lm', tiny, tiny, o.embedding as number);
}

/** The optimizer and schedule flags as the library's flat options (unset ones take the optimizer's defaults). */
function flatOptimizer(o: OptionValues, batchesPerEpoch: number): FlatOptimizerOptions {
  return {
    optimizer: o.optimizer as FlatOptimizerOptions['optimizer'],
    learningRate: o.lr as number | undefined,
    momentum: o.momentum as number,
    nesterov: o.nesterov as boolean,
    beta1: o.beta1 as number,
    beta2: o.beta2 as number,
    rho: o.rho as number,
    schedule: o.lrSchedule as FlatOptimizerOptions['schedule'],
    decay: o.lrDecay as number,
    stepSize: o.lrStepSize as number,
    patience: o.lrPatience as number,
    minLearningRate: o.minLr as number,
    ...(o.warmupSteps !== undefined ? { warmupSteps: o.warmupSteps as number } : {}),
    ...scheduleHorizon(o, batchesPerEpoch),
  };
}

async function buildModelFactory(ctx: CommandContext, o: OptionValues, data: TrainingData) {
  const createOptions: CreateModelOptions = {
    seed: o.seed as number,
    ...(typeof o.embeddingInit === 'number' ? { embeddingInit: o.embeddingInit } : {}),
    ...(typeof o.forgetBias === 'number' ? { forgetBias: o.forgetBias } : {}),
  };
  const dims: number[] = [];
  const trainable = !(o.freezeEmbeddings as boolean);
  if (o.sourceEmbeddings && data.task === 'seq2seq') {
    const loaded = await loadPretrainedEmbedding(resolvePath(ctx.io, o.sourceEmbeddings as string), data.sourceTokenizer, { trainable, seed: o.seed as number, side: 'source', out: ctx.out });
    createOptions.sourceEmbedding = loaded.embedding;
    dims.push(loaded.dim);
  }
  if (o.targetEmbeddings) {
    const loaded = await loadPretrainedEmbedding(resolvePath(ctx.io, o.targetEmbeddings as string), data.targetTokenizer, { trainable, seed: o.seed as number, side: 'target', out: ctx.out });
    createOptions.targetEmbedding = loaded.embedding;
    dims.push(loaded.dim);
  }
  const embeddingSize = embeddingSizeFor(dims, ctx.given.has('embedding') ? (o.embedding as number) : undefined, o.embedding as number);
  const modelConfig = modelConfigFromOptions(o, data.task, data.sourceTokenizer, data.targetTokenizer, embeddingSize);
  return { modelConfig, createModel: (config: ModelConfig) => Seq2SeqModel.create(config, createOptions) };
}

async function readData(ctx: CommandContext, o: OptionValues, point: ResumePoint | undefined): Promise<TrainingData> {
  let tokenizers: { source?: Tokenizer; target: Tokenizer } | undefined;
  if (point) {
    const previous = await loadCheckpointTokenizers(point);
    tokenizers = { source: previous.sourceTokenizer, target: previous.targetTokenizer };
  }
  const data = await prepareTrainingData({
    data: o.data as string,
    datasets: builtinDatasets,
    cwd: ctx.io.cwd,
    ...(o.valid ? { valid: o.valid as string } : {}),
    validFraction: o.validFraction as number,
    ...(o.task ? { task: o.task as 'seq2seq' | 'lm' } : {}),
    ...(o.format ? { format: o.format as 'tsv' | 'jsonl' | 'text' } : {}),
    ...(o.tokenizer ? { tokenizer: o.tokenizer as string } : {}),
    ...(o.sourceTokenizer ? { sourceTokenizer: o.sourceTokenizer as string } : {}),
    ...(o.targetTokenizer ? { targetTokenizer: o.targetTokenizer as string } : {}),
    ...(tokenizers ? { tokenizers } : {}),
    lowercase: o.lowercase as boolean,
    ...(o.maxSourceLength ? { maxSourceLength: o.maxSourceLength as number } : {}),
    ...(o.maxTargetLength ? { maxTargetLength: o.maxTargetLength as number } : {}),
    window: o.window as number,
    skipBadLines: o.skipBadLines as boolean,
    seed: o.seed as number,
  });
  const s = data.stats;
  ctx.out.info(
    `data: ${s.trainExamples} training and ${s.validExamples} validation examples (${data.task}); ` +
      `vocabulary ${data.sourceTokenizer === data.targetTokenizer ? data.targetTokenizer.vocabSize : `${data.sourceTokenizer.vocabSize} → ${data.targetTokenizer.vocabSize}`}`,
  );
  if (s.validExamples === 0) ctx.out.warn('no validation data (too few examples to hold some out); give --valid or more data for validation loss and early stopping');
  if (s.skippedLines > 0) ctx.out.warn(`skipped ${s.skippedLines} malformed line(s), e.g. ${s.skippedExamples[0]}`);
  if (s.droppedTooLong > 0) {
    const limits = s.lengthLimits ? ` (--max-source-length ${s.lengthLimits.source}, --max-target-length ${s.lengthLimits.target} tokens)` : '';
    ctx.out.warn(`dropped ${s.droppedTooLong} pair(s) longer than the length limits${limits}, e.g. ${s.droppedExample ?? 'one'}`);
  }
  return data;
}

/** The options to keep in run.json: every train option, data paths made absolute. */
async function optionsToSave(ctx: CommandContext, o: OptionValues): Promise<Record<string, unknown>> {
  const saved: Record<string, unknown> = {};
  for (const spec of TRAIN_OPTIONS) if (o[camelCase(spec.name)] !== undefined) saved[spec.name] = o[camelCase(spec.name)];
  delete saved.resume;
  delete saved.overwrite;
  // Absolute paths, so `--resume` works from any directory.
  for (const name of ['data', 'valid', 'source-embeddings', 'target-embeddings', 'tensorboard']) {
    const value = saved[name];
    const dataset = name !== 'tensorboard' && typeof value === 'string' && isBuiltinDataset(value);
    if (typeof value === 'string' && !dataset) saved[name] = resolvePath(ctx.io, value);
  }
  return saved;
}

/** `seqloom train` options as options of the library's `train()` (callbacks and signal aside). */
function trainSettings(o: OptionValues, data: TrainingData): Partial<TrainOptions> {
  const hasValid = data.valid.length > 0;
  const flat = flatOptimizer(o, Math.ceil(data.train.length / (o.batchSize as number)));
  return {
    train: data.train,
    ...(hasValid ? { valid: data.valid } : {}),
    seed: o.seed as number,
    batchSize: o.batchSize as number,
    ...(o.evalBatchSize ? { evalBatchSize: o.evalBatchSize as number } : {}),
    epochs: o.epochs as number,
    ...(o.maxSteps ? { maxSteps: o.maxSteps as number } : {}),
    ...(o.maxMinutes ? { maxMinutes: o.maxMinutes as number } : {}),
    optimizer: optimizerOptionsFrom(flat),
    schedule: scheduleOptionsFrom(flat),
    clipNorm: o.clipNorm as number,
    labelSmoothing: o.labelSmoothing as number,
    scheduledSampling: o.scheduledSampling as number,
    ...(typeof o.carryState === 'boolean' ? { carryState: o.carryState } : {}),
    ...(o.evalEvery ? { evalEvery: o.evalEvery as number } : {}),
    ...(o.evalEveryMinutes ? { evalEveryMinutes: o.evalEveryMinutes as number } : {}),
    ...(o.averageLast ? { averageLast: o.averageLast as number } : {}),
    ...(o.keepEvals ? { keepEvaluations: o.keepEvals as number } : {}),
    ...(o.logEvery ? { logEvery: o.logEvery as number } : {}),
    ...((o.dataParallel as number | undefined) ?? 1) > 1 ? { dataParallel: o.dataParallel as number } : {},
    ...((o.patience as number) > 0 && hasValid ? { earlyStopping: { patience: o.patience as number } } : {}),
    tokenizers: { target: data.targetTokenizer, ...(data.sourceTokenizer !== data.targetTokenizer ? { source: data.sourceTokenizer } : {}) },
    generation: generationDefaults(data.task, data.train),
  };
}

/** What the progress display needs to show percentages and an ETA. */
function progressPlan(o: OptionValues, data: TrainingData, startStep: number): ProgressPlan {
  const epochSteps = Math.ceil(data.train.length / (o.batchSize as number)) * (o.epochs as number);
  return {
    totalSteps: o.maxSteps ? Math.min(o.maxSteps as number, epochSteps) : epochSteps,
    epochs: o.epochs as number,
    ...(o.maxMinutes ? { maxMinutes: o.maxMinutes as number } : {}),
    startStep,
  };
}

/**
 * Runs `seqloom train` (loaded on demand: it pulls in TensorFlow.js), holding
 * the lock of its output folder from before the data is read until it ends.
 */
export async function runTrain(ctx: CommandContext): Promise<number> {
  const { o, out, point, lock } = await runOptions(ctx);
  try {
    return await trainInto(ctx, o, out, point);
  } finally {
    lock.release();
  }
}

async function trainInto(ctx: CommandContext, o: OptionValues, out: string, point: ResumePoint | undefined): Promise<number> {
  if (!o.data) throw new UsageError('--data is required: a TSV/JSONL file, a text file (--task lm) or a built-in dataset (cmudict, cmudict:g2p-seq2seq, moby-dick)');
  checkScheduleFlags(o, ctx.given);
  checkFiniteProducts(o);
  if (!point) await checkMemoryBeforeData(o, o.backend as string | undefined, smallestModelConfig);
  const parallel = (o.dataParallel as number | undefined) ?? 1;
  const backend = await startBackend(o);
  ctx.out.info(`backend: ${backend}${parallel > 1 ? `, training on ${parallel} threads` : ''}`);
  // a named pipe with no writer would hold the read forever: a signal gives it up
  const data = await abortable(readData(ctx, o, point), ctx.signal);
  const factory = await buildModelFactory(ctx, o, data);
  await checkTrainingMemory(point ? point.config.model : factory.modelConfig, o, backend.split(' ')[0]);
  const reporter = createProgressReporter(ctx.io, { quiet: ctx.out.quiet, logJson: ctx.out.logJson });
  reporter.start(progressPlan(o, data, point?.state.step ?? 0));
  try {
    const summary = await train({
      ...trainSettings(o, data),
      train: data.train,
      createModel: factory.createModel,
      ...(point ? { resumeFrom: point } : { modelConfig: factory.modelConfig }),
      outDir: out,
      ...(o.tensorboard ? { tensorboard: resolvePath(ctx.io, o.tensorboard as string) } : {}),
      ...(o.overwrite && !point ? { overwrite: true } : {}),
      runOptions: await optionsToSave(ctx, o),
      signal: ctx.signal,
      ...progressCallbacks(reporter),
    });
    reporter.finish();
    summary.model.dispose();
    printTrainSummary(ctx, summary, out);
    return summary.stopReason === 'aborted' ? EXIT.interrupted : EXIT.ok;
  } catch (error) {
    if (error instanceof NonFiniteLossError) {
      throw new CliError(`${NonFiniteLossError.explain(error.loss, error.step, { learningRate: '--lr', clipNorm: '--clip-norm' })}; the last checkpoint in ${out} is kept`);
    }
    // a full disk outside a checkpoint (metrics.jsonl, event files) names no file by itself
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      throw new CliError(`--out ${out}: the disk is full (${code}) while training wrote there; the last complete checkpoint in ${out} is kept; free some space and continue with --resume ${out}`);
    }
    throw error;
  } finally {
    reporter.finish();
  }
}
