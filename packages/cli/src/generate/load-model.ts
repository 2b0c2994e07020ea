import type { DecodingPool } from '@seqloom/seq2seq/parallel';
import type { TrainedModel } from '@seqloom/seq2seq';
import type { CommandContext } from '../cli-command.js';
import { UsageError } from '../cli-error.js';
import { resolvePath } from '../text-inputs.js';

/** A loaded `--model`, the backend it runs on, and its decoding pool when `--threads` is above 1. */
export type LoadedModel = TrainedModel & { backend: string; pool: DecodingPool | undefined; close(): Promise<void> };

/** Selects the backend and loads `--model` (shared by generate, eval and inspect). */
export async function loadModelFromOptions(ctx: CommandContext): Promise<LoadedModel> {
  const { describeBackend, loadTrainedModel, setBackend } = await import('@seqloom/seq2seq');
  const path = ctx.options.model as string | undefined;
  if (!path) throw new UsageError('--model is required: a folder written by seqloom train');
  const backend = await setBackend((ctx.options.backend as 'auto' | 'tensorflow' | 'native' | 'wasm' | 'cpu' | undefined) ?? 'auto');
  const trained = await loadTrainedModel(resolvePath(ctx.io, path), {
    prefer: (ctx.options.checkpoint as 'best' | 'last' | undefined) ?? 'best',
    onWarning: (message) => ctx.out.warn(message),
  });
  const threads = (ctx.options.threads as number | undefined) ?? 1;
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
  ctx.out.info(`backend: ${describeBackend()}${pool ? `, decoding on ${pool.threads} threads` : ''}`);
  const close = async () => {
    await pool?.close();
    trained.dispose();
  };
  return Object.assign(trained, { backend, pool, close });
}
