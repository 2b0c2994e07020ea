import { stat } from 'node:fs/promises';
import { isBuiltinDataset } from '@seqloom/datasets';
import { CheckpointError } from '@seqloom/seq2seq';
import { type FolderLock, ResumeOptionError, type ResumePoint, resumeWithSavedOptions, type SavedRunOptions } from '@seqloom/seq2seq/tooling';
import type { CommandContext } from '../cli-command.js';
import { CliError, UsageError } from '../cli-error.js';
import { camelCase, type OptionValues } from '../option-spec.js';
import { MODEL_OPTIONS } from '../options/model-options.js';
import { TRAIN_OPTIONS } from '../options/train-command-options.js';
import { TRAIN_FLAGS } from '../options/training-options.js';
import { checkOutFolderWritable, lockOutFolder } from '../out-folder.js';
import { checkWritable, resolvePath } from '../text-inputs.js';
import { flagValue } from './flag-values.js';

// run.json keeps the command line's own names (kebab-case flags): the library
// stores and merges them as given, and only this file reads them.

/**
 * Flags a resumed run may not change: those that shape the model or its
 * data, and the training flags whose `TRAIN_OPTION_TABLE` row is fixed on
 * resume (seed, batch size, optimizer, schedule, carried state).
 */
export const FIXED_ON_RESUME: ReadonlySet<string> = new Set([
  ...MODEL_OPTIONS.map((o) => o.name),
  ...['task', 'tokenizer', 'source-tokenizer', 'target-tokenizer', 'lowercase', 'window'],
  ...TRAIN_FLAGS.filter((f) => f.row.fixedOnResume).map((f) => f.spec.name),
]);

/** The options of a run, where it writes, the checkpoint it resumes (if any) and the lock it holds on the folder. */
export interface RunOptions {
  o: OptionValues;
  out: string;
  point?: ResumePoint;
  lock: FolderLock;
}

/** The options of this run, where it writes and the lock it holds there; on --resume, options not given now come from the run's run.json. */
export async function runOptions(ctx: CommandContext): Promise<RunOptions> {
  const o = { ...ctx.options };
  const resume = flagValue.text(o, 'resume');
  if (resume === undefined) return freshRun(ctx, o);
  const path = resolvePath(ctx.io, resume);
  const { runRoot } = await import('@seqloom/seq2seq/tooling');
  await checkOutFolderWritable(runRoot(path), '--resume');
  const lock = await lockOutFolder(ctx, runRoot(path), `seqloom train --resume ${path}`);
  try {
    return { ...(await resumeOptions(ctx, o, path)), lock };
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function freshRun(ctx: CommandContext, o: OptionValues): Promise<RunOptions> {
  const out = resolvePath(ctx.io, flagValue.text(o, 'out') ?? 'model');
  await checkOutFolderWritable(out);
  // before anything else looks at the folder: a run writing there now is the first thing to report
  const lock = await lockOutFolder(ctx, out, `seqloom train --out ${out}`);
  try {
    await checkWritable(out, flagValue.switch(o, 'overwrite') ?? false);
    const info = await stat(out).catch(() => null);
    if (info && !info.isDirectory()) throw new CliError(`--out ${out} is a file; training writes a folder of checkpoints there, so choose another path`);
    return { o, out, lock };
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function resumeOptions(ctx: CommandContext, o: OptionValues, path: string): Promise<Omit<RunOptions, 'lock'>> {
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

/** The options to keep in run.json, by flag name: every train option, data paths made absolute. */
export function optionsToSave(ctx: CommandContext, o: OptionValues): Record<string, unknown> {
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
