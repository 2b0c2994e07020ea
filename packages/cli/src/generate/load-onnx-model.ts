import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { OnnxSeq2Seq } from '@seqloom/onnx';
import type { TrainedModel } from '@seqloom/seq2seq';
import type { Tokenizer } from '@seqloom/tokenizer';
import type { CommandContext } from '../cli-command.js';
import type { LoadedModel } from './load-model.js';

/** Whether `dir` is a Hugging Face ONNX encoder-decoder export rather than a seqloom checkpoint. */
export async function isOnnxExport(dir: string): Promise<boolean> {
  const { isOnnxExportFolder } = await import('@seqloom/onnx');
  return isOnnxExportFolder(async (name) => (await stat(join(dir, name)).catch(() => null))?.isFile() === true);
}

/** The longest source (tokens) an export is given; longer inputs are cut with a warning. */
const ONNX_INPUT_LIMIT = 512;

/** A tokenizer that encodes as the export's model takes its inputs (special tokens added) and starts targets with the decoder start token. */
function exportTokenizer(loaded: OnnxSeq2Seq, side: 'source' | 'target'): Tokenizer {
  const view = Object.create(loaded.tokenizer) as Tokenizer;
  const { model } = loaded;
  Object.defineProperties(view, {
    bosId: { value: model.bosId },
    eosId: { value: model.eosId },
    padId: { value: model.padId },
    ...(side === 'source' ? { encode: { value: (text: string) => loaded.encode(text) } } : {}),
  });
  return view;
}

/**
 * Load a Hugging Face ONNX export folder on onnxruntime-node as the CLI's
 * `LoadedModel`: its StepModel, its tokenizer and generation_config.json's
 * settings as decoding defaults (Hugging Face's conventions, `compat: 'hf'`).
 */
export async function loadOnnxModel(ctx: CommandContext, dir: string): Promise<LoadedModel> {
  const { loadOnnxSeq2Seq } = await import('@seqloom/onnx');
  const threads = (ctx.options.threads as number | undefined) ?? 1;
  const loaded = await loadOnnxSeq2Seq(dir, { sessionOptions: { intraOpNumThreads: threads, interOpNumThreads: 1 } });
  ctx.out.info(`onnxruntime-node: ${loaded.modelType} export, ${loaded.files.encoder} + ${loaded.files.decoder.join(' + ')}, ${threads} thread${threads === 1 ? '' : 's'}`);
  // Only the fields generate and eval read: the task, and no attention rows.
  const config = { model: { task: 'seq2seq', attention: 'none' }, training: {} } as unknown as TrainedModel['config'];
  const trained = {
    dir,
    config,
    model: undefined as unknown as TrainedModel['model'],
    stepModel: loaded.model,
    sourceTokenizer: exportTokenizer(loaded, 'source'),
    targetTokenizer: exportTokenizer(loaded, 'target'),
    generation: loaded.generation as Record<string, unknown>,
    state: undefined,
    inputLimit: ONNX_INPUT_LIMIT,
    onWarning: (message: string) => ctx.out.warn(message),
    dispose: () => {},
  } satisfies TrainedModel;
  return Object.assign(trained, { backend: 'onnxruntime-node', pool: undefined, close: () => loaded.dispose() });
}
