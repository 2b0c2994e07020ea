import { readdir, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { CommandContext } from '../cli-command.js';
import { CliError, UsageError } from '../cli-error.js';
import { seqloomCommand } from '../install-location.js';
import { resolvePath } from '../text-inputs.js';

/** A non-empty `--out` is replaced only with --overwrite (and then only an earlier export: the library checks). */
async function checkOut(out: string, overwrite: boolean): Promise<void> {
  const info = await stat(out).catch(() => null);
  if (info === null || overwrite) return;
  if (!info.isDirectory() || (await readdir(out)).length > 0) {
    throw new CliError(`--out ${out} already exists and is not empty; choose another path or pass --overwrite to replace an earlier export`);
  }
}

/** Runs `seqloom export` (loaded on demand: it pulls in TensorFlow.js). */
export async function runExport(ctx: CommandContext): Promise<number> {
  const { options } = ctx;
  if (!options.model) throw new UsageError('--model is required: the model folder (written by seqloom train) to export');
  if (!options.out) throw new UsageError('--out is required: the folder the export is written to');
  const model = resolvePath(ctx.io, options.model as string);
  const out = resolvePath(ctx.io, options.out as string);
  const overwrite = options.overwrite as boolean;
  await checkOut(out, overwrite);
  const format = options.format as 'onnx' | 'safetensors';
  const { exportOnnx, exportSafetensors } = await import('@seqloom/onnx/export');
  const { setBackend } = await import('@seqloom/seq2seq');
  await setBackend('wasm'); // the weights are only read (and wasm prints no tfjs-node banner)
  let files: string[];
  if (format === 'onnx') {
    ({ files } = await exportOnnx(model, out, { overwrite, prefer: options.checkpoint as 'best' | 'last' }));
  } else {
    ({ files } = await exportSafetensors(model, out));
  }
  const names = files.map((f) => basename(f));
  if (options.json || ctx.out.logJson) {
    ctx.out.json({ format, model, out, files: names });
    return 0;
  }
  const use =
    format === 'onnx'
      ? `run it: ${seqloomCommand()} generate --model ${out} …, or with onnxruntime anywhere (see @seqloom/onnx's README)`
      : `read it back with ${seqloomCommand()} import, or load it with the PyTorch twin`;
  ctx.out.result(`exported ${model} as ${format} → ${out}: ${names.join(', ')}\n${use}`);
  return 0;
}
