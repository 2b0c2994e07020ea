import type { CommandContext } from '../cli-command.js';
import { UsageError } from '../cli-error.js';
import { seqloomCommand } from '../install-location.js';
import { checkWritable, resolvePath } from '../text-inputs.js';

/** Runs `seqloom import` (loaded on demand: it pulls in TensorFlow.js). */
export async function runImport(ctx: CommandContext): Promise<number> {
  const { options } = ctx;
  if (!options.model) throw new UsageError('--model is required: the safetensors folder (config.json, model.safetensors, tokenizer.json) to import');
  if (!options.out) throw new UsageError('--out is required: the seqloom model folder to write');
  const model = resolvePath(ctx.io, options.model as string);
  const out = resolvePath(ctx.io, options.out as string);
  await checkWritable(out, options.overwrite as boolean);
  const { importSafetensors } = await import('@seqloom/onnx/export');
  const { setBackend } = await import('@seqloom/seq2seq');
  await setBackend('wasm'); // the weights are only copied (and wasm prints no tfjs-node banner)
  const result = await importSafetensors(model, out);
  if (options.json || ctx.out.logJson) {
    ctx.out.json({ format: options.format, model, out: result.dir, tensors: result.tensors, parameters: result.parameters });
    return 0;
  }
  ctx.out.result(
    `imported ${model} (${result.tensors} tensors, ${result.parameters} parameters) → ${result.dir}\nuse it like any model: ${seqloomCommand()} generate --model ${result.dir} …`,
  );
  return 0;
}
