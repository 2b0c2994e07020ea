import type { TrainedModel } from '@seqloom/seq2seq';
import type { CommandContext } from '../cli-command.js';
import { UsageError } from '../cli-error.js';
import { resolvePath } from '../text-inputs.js';

/** Selects the backend and loads `--model` (shared by generate, eval and inspect). */
export async function loadModelFromOptions(ctx: CommandContext): Promise<TrainedModel & { backend: string }> {
  const { describeBackend, loadTrainedModel, setBackend } = await import('@seqloom/seq2seq');
  const path = ctx.options.model as string | undefined;
  if (!path) throw new UsageError('--model is required: a folder written by seqloom train');
  const backend = await setBackend((ctx.options.backend as 'auto' | 'tensorflow' | 'wasm' | 'cpu' | undefined) ?? 'auto', {
    threads: (ctx.options.threads as number | undefined) ?? 1,
  });
  ctx.out.info(`backend: ${describeBackend()}`);
  const trained = await loadTrainedModel(resolvePath(ctx.io, path), { prefer: (ctx.options.checkpoint as 'best' | 'last' | undefined) ?? 'best' });
  return Object.assign(trained, { backend });
}
