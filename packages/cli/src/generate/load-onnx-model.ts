import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { OnnxSeq2Seq } from '@seqloom/onnx';
import type { TrainedModel } from '@seqloom/seq2seq';
import type { Tokenizer } from '@seqloom/tokenizer';
import type { CommandContext } from '../cli-command.js';
import type { LoadedModel } from './loaded-model.js';

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

/** The tokenizers and model fields generate and eval read: a seqloom export's own, or a Hugging Face export's view. */
function exportParts(loaded: OnnxSeq2Seq): Pick<TrainedModel, 'config' | 'sourceTokenizer' | 'targetTokenizer' | 'inputLimit'> {
  const own = loaded.seqloom;
  if (own !== undefined) {
    // seqloom's conventions: its tokenizers as they are, its model config (task, attention) and input limit
    const config = { model: own.config.model, training: {} } as unknown as TrainedModel['config'];
    return { config, sourceTokenizer: own.sourceTokenizer, targetTokenizer: loaded.tokenizer, inputLimit: own.config.inputLimit };
  }
  // Only the fields generate and eval read: the task, and no attention rows.
  const config = { model: { task: 'seq2seq', attention: 'none' }, training: {} } as unknown as TrainedModel['config'];
  return { config, sourceTokenizer: exportTokenizer(loaded, 'source'), targetTokenizer: exportTokenizer(loaded, 'target'), inputLimit: ONNX_INPUT_LIMIT };
}

/**
 * Load an ONNX export folder on onnxruntime-node as the CLI's `LoadedModel`:
 * its StepModel, its tokenizers and its decoding defaults. A Hugging Face
 * export decodes with generation_config.json's settings (Hugging Face's
 * conventions, `compat: 'hf'`); a seqloom export (`seqloom export --format
 * onnx`) with its generation.json and seqloom's conventions.
 */
export async function loadOnnxModel(ctx: CommandContext, dir: string): Promise<LoadedModel> {
  const { loadOnnxSeq2Seq } = await import('@seqloom/onnx');
  const threads = (ctx.options.threads as number | undefined) ?? 1;
  const loaded = await loadOnnxSeq2Seq(dir, { sessionOptions: { intraOpNumThreads: threads, interOpNumThreads: 1 } });
  ctx.out.info(
    `onnxruntime-node: ${loaded.modelType} export, ${loaded.files.encoder} + ${loaded.files.decoder.join(' + ')}, ${threads} thread${threads === 1 ? '' : 's'}`,
  );
  const trained = {
    dir,
    ...exportParts(loaded),
    model: undefined as unknown as TrainedModel['model'],
    stepModel: loaded.model,
    generation: loaded.generation as Record<string, unknown>,
    state: undefined,
    onWarning: (message: string) => ctx.out.warn(message),
    dispose: () => {},
  } satisfies TrainedModel;
  return Object.assign(trained, { backend: 'onnxruntime-node', pool: undefined, close: () => loaded.dispose() });
}
