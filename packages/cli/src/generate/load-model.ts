import type { TrainedModel } from '@seqloom/seq2seq';
import type { DecodingPool } from '@seqloom/seq2seq/parallel';
import type { CommandContext } from '../cli-command.js';
import { UsageError } from '../cli-error.js';
import { resolvePath } from '../text-inputs.js';
import { checkSavedDecoding } from './check-saved-decoding.js';
import { isOnnxExport, loadOnnxModel } from './load-onnx-model.js';
import type { LoadedModel } from './loaded-model.js';

export type { LoadedModel } from './loaded-model.js';

/** The `--model` paths: one (inspect, report, a single flag) or several (`--model a --model b`). */
function modelPaths(value: unknown): string[] {
  const paths = (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((p): p is string => typeof p === 'string' && p !== '');
  if (paths.length === 0) throw new UsageError('--model is required: a folder written by seqloom train');
  return paths;
}

/** Loads each model; on a failure the ones loaded so far are freed. */
async function loadAll(ctx: CommandContext, paths: readonly string[]): Promise<TrainedModel[]> {
  const { loadTrainedModel } = await import('@seqloom/seq2seq');
  const loaded: TrainedModel[] = [];
  try {
    for (const path of paths) {
      const member = await loadTrainedModel(resolvePath(ctx.io, path), {
        prefer: (ctx.options.checkpoint as 'best' | 'last' | undefined) ?? 'best',
        onWarning: (message) => ctx.out.warn(message),
      });
      loaded.push(member);
      checkSavedDecoding(member.generation, member.dir);
    }
    return loaded;
  } catch (error) {
    loaded.forEach((m) => m.dispose());
    throw error;
  }
}

/**
 * Selects the backend and loads `--model` (shared by generate, eval, inspect
 * and report; generate and eval also take a Hugging Face ONNX export folder,
 * `onnx`). Several `--model` flags give an ensemble: one model that
 * decodes with the mean of the members' probabilities at every step.
 */
export async function loadModelFromOptions(ctx: CommandContext, { onnx = false } = {}): Promise<LoadedModel> {
  const { describeBackend, setBackend } = await import('@seqloom/seq2seq');
  const paths = modelPaths(ctx.options.model);
  const exports = await Promise.all(paths.map((p) => isOnnxExport(resolvePath(ctx.io, p))));
  if (exports.some(Boolean)) {
    const which = paths[exports.indexOf(true)];
    if (!onnx) throw new UsageError(`--model ${which} is an ONNX export; this command reads seqloom checkpoints (generate, eval and serve read exports)`);
    if (paths.length > 1) throw new UsageError(`--model ${which} is an ONNX export; ensembles take seqloom checkpoints only: give one --model`);
    return loadOnnxModel(ctx, resolvePath(ctx.io, which));
  }
  const threads = (ctx.options.threads as number | undefined) ?? 1;
  if (paths.length > 1 && threads > 1) {
    throw new UsageError(`--threads ${threads}: an ensemble of ${paths.length} models decodes on one thread; drop --threads or give one --model`);
  }
  const backend = await setBackend((ctx.options.backend as 'auto' | 'tensorflow' | 'native' | 'wasm' | 'cpu' | undefined) ?? 'auto');
  const members = await loadAll(ctx, paths);
  let trained: TrainedModel;
  try {
    const { ensembleTrainedModels } = await import('@seqloom/seq2seq/tooling');
    trained = ensembleTrainedModels(members);
  } catch (error) {
    members.forEach((m) => m.dispose());
    throw error;
  }
  let pool: DecodingPool | undefined;
  try {
    if (threads > 1) {
      const { DecodingPool } = await import('@seqloom/seq2seq/parallel');
      pool = await DecodingPool.create(trained.model, { threads });
    }
  } catch (error) {
    trained.dispose();
    throw error;
  }
  const ensemble = members.length > 1 ? `, ensemble of ${members.length} models (mean of their probabilities per step)` : '';
  ctx.out.info(`backend: ${describeBackend()}${pool ? `, decoding on ${pool.threads} threads` : ''}${ensemble}`);
  const close = async () => {
    await pool?.close();
    trained.dispose();
  };
  return Object.assign(trained, { backend, pool, close });
}
