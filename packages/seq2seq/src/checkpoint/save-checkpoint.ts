import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { TrainableModel } from '../model-contract.js';
import type { Optimizer } from '../train/optimizer.js';
import type { TrainingState } from '../train/training-state.js';
import { writeDirAtomic } from './atomic-dir.js';
import { CHECKPOINT_FORMAT_VERSION, type CheckpointConfig } from './checkpoint-config.js';
import { writeTensorFile } from './tensor-file.js';

/** Tokenizers saved with a model; opaque JSON objects (anything with `toJSON()` works). */
export interface CheckpointTokenizers {
  /** The target (or, for `lm`, only) tokenizer → tokenizer.json. */
  target?: unknown;
  /** The source tokenizer → source-tokenizer.json, when it differs from the target one. */
  source?: unknown;
}

/** Decoding defaults written to generation.json when none are given. */
export const DEFAULT_GENERATION: Readonly<Record<string, unknown>> = Object.freeze({
  strategy: 'greedy',
  maxNewTokens: 128,
});

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
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Writes a checkpoint folder: config.json, weights.json + weights.bin,
 * optimizer.json + optimizer.bin, tokenizer.json (and source-tokenizer.json),
 * generation.json and state.json. The folder is written beside `dir` and
 * renamed into place, so `dir` always holds a complete checkpoint.
 */
export async function saveCheckpoint(dir: string, contents: CheckpointContents): Promise<void> {
  const { target, source } = contents.tokenizers ?? {};
  const separateSource = source !== undefined && source !== target;
  const config: CheckpointConfig = {
    format: 'seqloom-checkpoint',
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    model: contents.model.config,
    training: contents.training ?? {},
    files: {
      tokenizer: target !== undefined ? 'tokenizer.json' : null,
      sourceTokenizer: separateSource ? 'source-tokenizer.json' : null,
      optimizer: contents.optimizer ? 'optimizer.json' : null,
      state: contents.state ? 'state.json' : null,
    },
  };
  const optimizerState = contents.optimizer?.getState();
  try {
    await writeDirAtomic(dir, async (temp) => {
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
      if (target !== undefined) await writeFile(join(temp, 'tokenizer.json'), json(target));
      if (separateSource) await writeFile(join(temp, 'source-tokenizer.json'), json(source));
      await writeFile(join(temp, 'generation.json'), json(contents.generation ?? DEFAULT_GENERATION));
      if (contents.state) await writeFile(join(temp, 'state.json'), json(contents.state));
      // config.json last: a folder with it is complete.
      await writeFile(join(temp, 'config.json'), json(config));
    });
  } finally {
    for (const slot of optimizerState?.slots.values() ?? []) slot.dispose();
  }
}
