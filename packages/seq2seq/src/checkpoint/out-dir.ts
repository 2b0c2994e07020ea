import { readdir, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { TrainingError } from '../training-error.js';
import { CheckpointError } from './checkpoint-error.js';
import { checkReplaceable } from './save-checkpoint.js';

/** The checkpoint folders a training run writes inside its output folder (`averaged` with `averageLast`). */
export const CHECKPOINT_KINDS = ['last', 'best', 'averaged'] as const;

/** The folder of kept evaluation checkpoints (`evals/step-<step>`, with `averageLast`). */
const EVALS = 'evals';

/** How a run may use its output folder. */
export interface OutDirUse {
  /** Replace checkpoints of another run found there. */
  overwrite: boolean;
  /** The checkpoint folder the run resumes from, if any (resuming into its own output folder is allowed). */
  resumeDir?: string;
}

/**
 * Every check of a training output folder, made before training starts, so
 * that a run never trains and then fails at its first save: `outDir` must be
 * a folder, or creatable; `last/` and `best/` must be absent, or be
 * checkpoints of the run being resumed, or (with `overwrite`) checkpoints to
 * replace. A folder of other files is never replaced.
 */
export async function prepareOutDir(outDir: string, use: OutDirUse): Promise<void> {
  const info = await stat(outDir).catch(() => null);
  if (info && !info.isDirectory()) {
    throw new CheckpointError(outDir, 'is a file, but training writes a folder of checkpoints there; choose another output folder');
  }
  const existing: string[] = [];
  for (const kind of CHECKPOINT_KINDS) {
    const dir = join(outDir, kind);
    const found = await stat(dir).catch(() => null);
    if (!found) continue;
    if (!found.isDirectory()) throw new CheckpointError(dir, `is a file where training writes its ${kind} checkpoint; move it or choose another output folder`);
    existing.push(dir);
  }
  const resuming = use.resumeDir !== undefined && !relative(resolve(outDir), resolve(use.resumeDir)).startsWith('..');
  if (existing.length > 0 && !use.overwrite && !resuming) {
    throw new TrainingError(
      `${existing[0]!} already holds a checkpoint of another run; resume it with resumeFrom: '${outDir}', ` +
        'choose another outDir, or set overwrite: true to replace it',
    );
  }
  for (const dir of existing) await checkReplaceable(dir);
  await prepareEvals(join(outDir, EVALS), resuming, use.overwrite);
  if (!info) await checkCreatable(outDir);
}

/**
 * `evals/` holds the kept evaluation checkpoints of a run: a resumed run goes
 * on with them; a fresh one refuses them, or with `overwrite` removes them
 * (only when every entry is a `step-<n>` checkpoint), so an average never
 * mixes two runs.
 */
async function prepareEvals(dir: string, resuming: boolean, overwrite: boolean): Promise<void> {
  const names = await readdir(dir).catch(() => null);
  if (names === null || names.length === 0 || resuming) return;
  if (!overwrite) {
    throw new TrainingError(
      `${dir} holds evaluation checkpoints of another run; resume that run, choose another outDir, or set overwrite: true to replace them`,
    );
  }
  for (const name of names) {
    if (!/^step-\d+$/.test(name)) {
      throw new CheckpointError(
        join(dir, name),
        'is not an evaluation checkpoint (step-<n>) of seqloom; move it before training with overwrite into this folder',
      );
    }
    await checkReplaceable(join(dir, name));
  }
  await rm(dir, { recursive: true, force: true });
}

/** A missing output folder can be created: its nearest existing ancestor is a folder. */
async function checkCreatable(outDir: string): Promise<void> {
  let parent = dirname(resolve(outDir));
  for (;;) {
    const info = await stat(parent).catch(() => null);
    if (info) {
      if (!info.isDirectory()) throw new CheckpointError(outDir, `cannot be created: ${parent} is a file; choose another output folder`);
      return;
    }
    const up = dirname(parent);
    if (up === parent) return;
    parent = up;
  }
}
