import { NonFiniteLossError, type TrainingData, train } from '@seqloom/seq2seq';
import type { ResumePoint } from '@seqloom/seq2seq/tooling';
import { TRAINING_DEFAULTS as D } from '@seqloom/seq2seq/tooling/defaults';
import { abortable } from '../abortable.js';
import type { CommandContext } from '../cli-command.js';
import { CliError, EXIT, UsageError } from '../cli-error.js';
import type { OptionValues } from '../option-spec.js';
import { startBackend } from '../options/backend-options.js';
import { createProgressReporter } from '../progress/create-progress-reporter.js';
import type { ProgressPlan } from '../progress/progress-events.js';
import { resolvePath } from '../text-inputs.js';
import { flagValue } from './flag-values.js';
import { buildModelFactory, smallestModelConfig } from './model-factory.js';
import { readTrainingData } from './read-training-data.js';
import { optionsToSave, runOptions } from './run-options.js';
import type { ScheduleFlagValues } from './schedule-flags.js';
import { checkTrainFlags, trainFlagValues, trainSettings } from './train-settings.js';
import { printTrainSummary } from './train-summary.js';
import { progressCallbacks } from './training-progress.js';
import { checkFiniteProducts, checkMemoryBeforeData, checkTrainingMemory } from './training-resources.js';

/** What the progress display needs to show percentages and an ETA. */
function progressPlan({ run }: ScheduleFlagValues, data: TrainingData, startStep: number): ProgressPlan {
  const epochs = run.epochs ?? D.epochs;
  const epochSteps = Math.ceil(data.train.length / (run.batchSize ?? D.batchSize)) * epochs;
  return {
    totalSteps: run.maxSteps !== undefined ? Math.min(run.maxSteps, epochSteps) : epochSteps,
    epochs,
    ...(run.maxMinutes !== undefined ? { maxMinutes: run.maxMinutes } : {}),
    startStep,
  };
}

/** A training failure in the command line's words (flags, the kept checkpoint), or the error itself. */
function trainingFailure(error: unknown, out: string): unknown {
  if (error instanceof NonFiniteLossError) {
    return new CliError(
      `${NonFiniteLossError.explain(error.loss, error.step, { learningRate: '--lr', clipNorm: '--clip-norm' })}; the last checkpoint in ${out} is kept`,
    );
  }
  // a full disk outside a checkpoint (metrics.jsonl, event files) names no file by itself
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new CliError(
      `--out ${out}: the disk is full (${code}) while training wrote there; the last complete checkpoint in ${out} is kept; free some space and continue with --resume ${out}`,
    );
  }
  return error;
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
  // parse: the flags as library options, refused before anything is read or allocated
  if (!flagValue.text(o, 'data'))
    throw new UsageError('--data is required: a TSV/JSONL file, a text file (--task lm) or a built-in dataset (cmudict, cmudict:g2p-seq2seq, moby-dick)');
  const values = trainFlagValues(o);
  checkTrainFlags(values, ctx.given);
  checkFiniteProducts(o);
  if (!point) await checkMemoryBeforeData(o, flagValue.text(o, 'backend'), smallestModelConfig);
  const parallel = values.run.dataParallel ?? D.dataParallel;
  const backend = await startBackend(o);
  ctx.out.info(`backend: ${backend}${parallel > 1 ? `, training on ${parallel} threads` : ''}`);
  // a named pipe with no writer would hold the read forever: a signal gives it up
  const data = await abortable(readTrainingData(ctx, o, point), ctx.signal);
  const factory = await buildModelFactory(ctx, o, data);
  await checkTrainingMemory(point ? point.config.model : factory.modelConfig, o, backend.split(' ')[0]);
  // call
  const reporter = createProgressReporter(ctx.io, { quiet: ctx.out.quiet, logJson: ctx.out.logJson });
  reporter.start(progressPlan(values, data, point?.state.step ?? 0));
  const tensorboard = flagValue.text(o, 'tensorboard');
  try {
    const summary = await train({
      ...trainSettings(values, o, data),
      train: data.train,
      createModel: factory.createModel,
      ...(point ? { resumeFrom: point } : { modelConfig: factory.modelConfig }),
      outDir: out,
      ...(tensorboard ? { tensorboard: resolvePath(ctx.io, tensorboard) } : {}),
      ...(flagValue.switch(o, 'overwrite') && !point ? { overwrite: true } : {}),
      runOptions: optionsToSave(ctx, o),
      signal: ctx.signal,
      ...progressCallbacks(reporter),
    });
    reporter.finish();
    summary.model.dispose();
    // print
    printTrainSummary(ctx, summary, out);
    return summary.stopReason === 'aborted' ? EXIT.interrupted : EXIT.ok;
  } catch (error) {
    throw trainingFailure(error, out);
  } finally {
    reporter.finish();
  }
}
