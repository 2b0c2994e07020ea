import { stat } from 'node:fs/promises';
import { readCheckpointConfig, resolveCheckpointDir } from '@seqloom/seq2seq/tooling';
import type { CommandContext } from '../cli-command.js';
import { CliError, EXIT, UsageError } from '../cli-error.js';
import { resolvePath } from '../text-inputs.js';
import { modelKindOf } from './model-files.js';
import { startPlaygroundServer } from './playground-server.js';

const EXPECTED = 'expected a folder written by seqloom train, or a Hugging Face ONNX export folder (config.json, tokenizer.json, onnx/*.onnx)';

/** The model folder `--model` names (a checkpoint of a training folder, or an ONNX export), checked before anything is served. */
async function modelFolder(ctx: CommandContext): Promise<string> {
  const given = ctx.options.model as string | undefined;
  if (!given) throw new UsageError('--model is required: a folder written by seqloom train, or a Hugging Face ONNX export folder');
  const dir = resolvePath(ctx.io, given);
  const info = await stat(dir).catch(() => null);
  if (info === null) throw new CliError(`--model ${given}: ${dir} does not exist; ${EXPECTED}`);
  if (!info.isDirectory()) throw new CliError(`--model ${given}: ${dir} is a file; ${EXPECTED}`);
  if ((await modelKindOf(dir)) === 'onnx') return dir;
  const folder = await resolveCheckpointDir(dir, (ctx.options.checkpoint as 'best' | 'last' | undefined) ?? 'best');
  const config = await readCheckpointConfig(folder);
  if (!config.files.tokenizer) {
    throw new CliError(`--model ${given}: ${folder}/config.json names no tokenizer, so the page cannot turn text into ids; train the model with seqloom train`);
  }
  return folder;
}

/** Resolves once `signal` is aborted (Ctrl-C). */
function untilStopped(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** Runs `seqloom serve`: the playground for `--model` until Ctrl-C. */
export async function runServe(ctx: CommandContext): Promise<number> {
  const folder = await modelFolder(ctx);
  const server = await startPlaygroundServer({ modelDir: folder, port: ctx.options.port as number });
  const engine =
    server.kind === 'onnx' ? 'a Hugging Face ONNX export; it runs in the browser on onnxruntime-web (wasm)' : 'the model runs in the browser on tfjs wasm';
  ctx.out.info(`serving ${folder} (read-only) with the playground; ${engine}`);
  ctx.out.result(`playground: ${server.url}`);
  ctx.out.info('press Ctrl-C to stop');
  await untilStopped(ctx.signal);
  await server.close();
  ctx.out.info('server closed');
  return EXIT.interrupted;
}
