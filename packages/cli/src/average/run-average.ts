import { dirname } from 'node:path';
import { type AveragedCheckpoint, averageCheckpoints, checkNotLocked } from '@seqloom/seq2seq/tooling';
import type { CommandContext } from '../cli-command.js';
import { UsageError } from '../cli-error.js';
import { seqloomCommand } from '../install-location.js';
import { checkOutFolderWritable, lockOutFolder } from '../out-folder.js';
import { checkWritable, resolvePath } from '../text-inputs.js';

/** Runs `seqloom average` (loaded on demand: it pulls in TensorFlow.js). */
export async function runAverage(ctx: CommandContext): Promise<number> {
  const given = (ctx.positionals.checkpoints as string[] | undefined) ?? [];
  if (!ctx.options.out) throw new UsageError('--out is required: the model folder the averaged weights are written to');
  if (given.length < 2) throw new UsageError(`name at least two checkpoints to average (got ${given.length})`);
  const out = resolvePath(ctx.io, ctx.options.out as string);
  const overwrite = ctx.options.overwrite as boolean;
  await checkOutFolderWritable(out);
  // a training run that writes the folder (or the one around it: run/best, run/averaged) comes first
  checkNotLocked(dirname(out));
  const lock = await lockOutFolder(ctx, out, `seqloom average --out ${out}`);
  let result: AveragedCheckpoint;
  try {
    await checkWritable(out, overwrite);
    result = await averageCheckpoints(
      given.map((path) => resolvePath(ctx.io, path)),
      out,
      { overwrite },
    );
  } finally {
    lock.release();
  }
  if (ctx.options.json || ctx.out.logJson) {
    ctx.out.json({ out: result.dir, sources: result.sources, weights: result.weights, parameters: result.parameters });
    return 0;
  }
  const steps = result.sources.map((s) => (s.step === null ? s.dir : `step ${s.step}`)).join(', ');
  ctx.out.result(
    `averaged ${result.sources.length} checkpoints (${steps}): ${result.weights} weights, ${result.parameters} parameters → ${result.dir}\n` +
      `use it like any model: ${seqloomCommand()} eval --model ${result.dir} …`,
  );
  return 0;
}
