import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { TrainableModel } from '../model-contract.js';
import type { Optimizer } from '../optim/optimizer.js';
import { writeDirAtomic } from './atomic-dir.js';
import { CHECKPOINT_FORMAT_VERSION, type CheckpointConfig, type SequenceLengths } from './checkpoint-config.js';
import { CheckpointError } from './checkpoint-error.js';
import { DEFAULT_GENERATION } from './default-generation.js';
import { frozenWeightNames } from './frozen-weights.js';
import { checkGenerationOptions } from './generation-options.js';
import { writeTensorFile } from './tensor-file.js';
import { type CheckpointTokenizers, tokenizerFiles } from './tokenizer-files.js';
import type { TrainingState } from './training-state.js';

export { DEFAULT_GENERATION } from './default-generation.js';
export type { CheckpointTokenizers } from './tokenizer-files.js';

/** What {@link saveCheckpoint} writes. */
export interface CheckpointContents {
  model: TrainableModel;
  tokenizers?: CheckpointTokenizers;
  /** Default decoding options (generation.json). */
  generation?: Record<string, unknown>;
  /** Resolved training options (stored in config.json). */
  training?: Record<string, unknown>;
  /** Optimizer whose state is saved for resuming. */
  optimizer?: Optimizer;
  /** Training position (state.json). */
  state?: TrainingState;
  /** Longest training sequences (recorded in config.json; generation limits inputs by them). */
  lengths?: SequenceLengths;
  /** A language model's state carried between stream windows (carried-state.json + .bin), for resuming. */
  carriedState?: ReadonlyMap<string, tf.Tensor>;
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/**
 * What a would-be output folder holds: null when it is missing or empty, else
 * the "format" of its config.json (undefined when it has no readable one).
 * Writers refuse to replace a folder whose format is not theirs.
 */
export async function folderFormat(dir: string): Promise<string | null | undefined> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return null;
  }
  if (names.length === 0) return null;
  try {
    const format = (JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as { format?: unknown }).format;
    return typeof format === 'string' ? format : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Refuses to replace a folder that is not a seqloom checkpoint: `dir` may be
 * missing, empty, or hold a config.json with "format": "seqloom-checkpoint".
 */
export async function checkReplaceable(dir: string): Promise<void> {
  const format = await folderFormat(dir);
  if (format !== null && format !== 'seqloom-checkpoint') {
    throw new CheckpointError(
      dir,
      'is not empty and holds no seqloom checkpoint (config.json), so saving a checkpoint there would replace it; ' + 'choose a new or empty folder',
    );
  }
}

/**
 * Writes a checkpoint folder: config.json, weights.json + weights.bin,
 * optimizer.json + optimizer.bin, tokenizer.json and tokenizer_config.json
 * (and source-* ones), generation.json and state.json. The folder is written
 * beside `dir` and renamed into place, so `dir` always holds a complete
 * checkpoint. A non-empty `dir` that is not a checkpoint is never replaced.
 */
export async function saveCheckpoint(dir: string, contents: CheckpointContents): Promise<void> {
  checkGenerationOptions(contents.generation, contents.model.config.targetVocabSize, (message) => new CheckpointError(join(dir, 'generation.json'), message));
  const files = tokenizerFiles(contents.tokenizers ?? {});
  const frozen = frozenWeightNames(contents.model);
  const carried = contents.carriedState && contents.carriedState.size > 0 ? contents.carriedState : null;
  const config: CheckpointConfig = {
    format: 'seqloom-checkpoint',
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    model: contents.model.config,
    training: contents.training ?? {},
    ...(frozen.length > 0 ? { frozen } : {}),
    ...(contents.lengths ? { lengths: contents.lengths } : {}),
    files: {
      tokenizer: files.tokenizer?.name ?? null,
      sourceTokenizer: files.sourceTokenizer?.name ?? null,
      optimizer: contents.optimizer ? 'optimizer.json' : null,
      state: contents.state ? 'state.json' : null,
      tokenizerConfig: files.tokenizerConfig?.name ?? null,
      sourceTokenizerConfig: files.sourceTokenizerConfig?.name ?? null,
      ...(carried ? { carriedState: 'carried-state.json' } : {}),
    },
  };
  const optimizerState = contents.optimizer?.getState();
  try {
    await writeDirAtomic(
      dir,
      async (temp) => {
        await writeTensorFile(temp, 'weights', contents.model.namedWeights() as Map<string, tf.Tensor>, {
          format: 'seqloom-weights',
        });
        if (optimizerState && contents.optimizer) {
          await writeTensorFile(temp, 'optimizer', optimizerState.slots, {
            format: 'seqloom-optimizer',
            options: contents.optimizer.options,
            iterations: optimizerState.iterations,
          });
        }
        if (carried) await writeTensorFile(temp, 'carried-state', carried, { format: 'seqloom-carried-state' });
        for (const file of Object.values(files)) {
          if (file) await writeFile(join(temp, file.name), json(file.value));
        }
        await writeFile(join(temp, 'generation.json'), json(contents.generation ?? DEFAULT_GENERATION));
        if (contents.state) await writeFile(join(temp, 'state.json'), json(contents.state));
        // config.json last: a folder with it is complete.
        await writeFile(join(temp, 'config.json'), json(config));
      },
      checkReplaceable,
    );
  } finally {
    for (const slot of optimizerState?.slots.values() ?? []) slot.dispose();
  }
}

/**
 * Copies a complete checkpoint folder to `dir` with the same atomic replace
 * as {@link saveCheckpoint} (e.g. `last/` → `best/` after an improving
 * evaluation, without encoding the weights a second time).
 */
export async function copyCheckpoint(from: string, dir: string): Promise<void> {
  await writeDirAtomic(dir, (temp) => cp(from, temp, { recursive: true }), checkReplaceable);
}
