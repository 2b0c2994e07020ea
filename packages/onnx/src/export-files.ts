import { OnnxModelError } from './errors.js';

/** Where a loader reads an export's files from: a folder, a URL, or files picked in a page. */
export interface ExportReader {
  /** Names the export in messages (a folder path or a URL). */
  readonly where: string;
  /** The file's bytes, or null when it does not exist; throws OnnxModelError when it exceeds `maxBytes`. */
  read(name: string, maxBytes: number): Promise<Uint8Array | null>;
  /** Whether the file exists (a URL reader may answer by fetching its head). */
  has(name: string): Promise<boolean>;
}

/** Weight variants of an export, by the suffix of their file names (`encoder_model_fp16.onnx`). */
export const DTYPES = ['fp32', 'fp16', 'quantized', 'int8', 'uint8', 'q8', 'q4', 'q4f16', 'bnb4'] as const;
/** A weight variant of an export, named by its file-name suffix (`fp32` has none). */
export type Dtype = (typeof DTYPES)[number];

/** Which decoder layout to use: Optimum's merged graph, the unmerged pair, or whichever exists (the pair first: it runs faster). */
export type DecoderLayout = 'auto' | 'merged' | 'split';

/** The graphs chosen: the encoder and the decoder (one merged file, or first-step and with-past files). */
export interface ExportLayout {
  readonly encoder: string;
  readonly decoder: readonly [string] | readonly [string, string];
}

const suffix = (dtype: Dtype) => (dtype === 'fp32' ? '' : `_${dtype}`);

/** Find the graphs of `dtype` in `onnx/` (Optimum/transformers.js layout) or at the top of the export. */
export async function findLayout(reader: ExportReader, dtype: Dtype, layout: DecoderLayout): Promise<ExportLayout> {
  if (!(DTYPES as readonly string[]).includes(dtype)) {
    throw new OnnxModelError(`dtype ${JSON.stringify(dtype)} is not a known export variant; expected one of ${DTYPES.join(', ')}`);
  }
  const s = suffix(dtype);
  const tried: string[] = [];
  for (const dir of ['onnx/', '']) {
    const encoder = `${dir}encoder_model${s}.onnx`;
    tried.push(encoder);
    if (!(await reader.has(encoder))) continue;
    const merged = `${dir}decoder_model_merged${s}.onnx`;
    const pair = [`${dir}decoder_model${s}.onnx`, `${dir}decoder_with_past_model${s}.onnx`] as const;
    // auto: the pair first — onnxruntime runs it faster than the merged graph's If node (see pnpm bench onnx)
    if (layout !== 'merged' && (await reader.has(pair[0])) && (await reader.has(pair[1]))) return { encoder, decoder: pair };
    if (layout !== 'split' && (await reader.has(merged))) return { encoder, decoder: [merged] };
    const wanted = layout === 'merged' ? merged : layout === 'split' ? pair.join(' and ') : `${pair.join(' and ')}, or ${merged}`;
    throw new OnnxModelError(`${reader.where}: has ${encoder} but no decoder: expected ${wanted}`);
  }
  throw new OnnxModelError(
    `${reader.where}: no ${dtype} encoder (looked for ${tried.join(' and ')}); a Hugging Face ONNX export holds onnx/encoder_model${s}.onnx and onnx/decoder_model_merged${s}.onnx (choose the variant with the dtype option: ${DTYPES.join(', ')})`,
  );
}
