import { DecodeOptionError, type GenerateOptions, validateGenerateOptions } from '@seqloom/decode';
import { type Tokenizer, tokenizerFromJson } from '@seqloom/tokenizer';
import { OnnxModelError } from './errors.js';
import type { ExportReader } from './export-files.js';
import { readJsonObject } from './export-json.js';
import type { InferenceSession, OnnxRuntime } from './runtime.js';
import { type GraphIo, IO, readSeqloomExportConfig, type SeqloomExportConfig } from './seqloom-export-config.js';
import { SeqloomExportModel } from './seqloom-export-model.js';

const MAX_GRAPH_BYTES = 2 ** 31 - 1;

/** What a seqloom export adds to a loaded export: its config and source tokenizer. */
export interface SeqloomExportParts {
  readonly config: SeqloomExportConfig;
  readonly sourceTokenizer: Tokenizer;
  readonly targetTokenizer: Tokenizer;
  readonly model: SeqloomExportModel;
  readonly generation: GenerateOptions;
  readonly sessions: readonly InferenceSession[];
}

const readJson = (reader: ExportReader, name: string) => readJsonObject(reader, name, 'config.json of this seqloom export lists it');

async function tokenizer(reader: ExportReader, file: string, configFile: string | null): Promise<Tokenizer> {
  const json = await readJson(reader, file);
  const config = configFile === null ? {} : await readJson(reader, configFile);
  return tokenizerFromJson(json, config, { source: `${reader.where}/${file}` });
}

/** A graph of the export, its inputs and outputs checked against config.json. */
async function openGraph(ort: OnnxRuntime, reader: ExportReader, io: GraphIo, options: InferenceSession.SessionOptions | undefined): Promise<InferenceSession> {
  const where = `${reader.where}/${io.file}`;
  const bytes = await reader.read(io.file, MAX_GRAPH_BYTES);
  if (bytes === null) throw new OnnxModelError(`${where} is missing; config.json of this seqloom export names it`);
  let session: InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, options);
  } catch (error) {
    const message = String((error as Error)?.message ?? error)
      .split('\n')[0]!
      .slice(0, 300);
    throw new OnnxModelError(`${where}: onnxruntime could not load the graph (${message}); export the model again with seqloom export --format onnx`);
  }
  const lacks = (names: readonly string[], have: readonly string[]) => names.find((n) => !have.includes(n));
  const input = lacks(io.inputs, session.inputNames);
  const output = lacks(io.outputs, session.outputNames);
  if (input !== undefined || output !== undefined) {
    await session.release();
    throw new OnnxModelError(
      `${where}: the graph has no ${input !== undefined ? `input "${input}"` : `output "${output}"`} that config.json lists; the files come from different exports`,
    );
  }
  return session;
}

/** The config's own consistency: state pairs and memory tensors run between the graphs. */
function checkWiring(config: SeqloomExportConfig, file: string): void {
  const fail = (what: string) => {
    throw new OnnxModelError(`${file}: ${what}; export the model again with seqloom export --format onnx`);
  };
  for (const { input, output } of config.state) {
    if (!config.decoder.inputs.includes(input) || !config.decoder.outputs.includes(output))
      fail(`state ${input} → ${output} is not a decoder input → output pair`);
    if (config.task === 'seq2seq' && !config.encoder.outputs.includes(input)) fail(`state ${input} is not an encoder output`);
  }
  for (const name of config.memory)
    if (!config.encoder.outputs.includes(name) || !config.decoder.inputs.includes(name)) fail(`memory ${name} does not run from the encoder to the decoder`);
  if (config.memory.length > 0 && !config.decoder.inputs.includes(IO.memoryMask)) fail(`the decoder has no input "${IO.memoryMask}"`);
  if (!config.decoder.outputs.includes(IO.logits)) fail(`the decoder has no output "${IO.logits}"`);
}

/** generation.json (seqloom's decoding options), checked as a checkpoint's are; `forcedPrefix` is left out (a language model is primed with its input). */
function generationOptions(value: Record<string, unknown>, vocabSize: number, file: string): GenerateOptions {
  const { forcedPrefix: _prefix, ...rest } = value;
  try {
    return validateGenerateOptions(rest, vocabSize);
  } catch (error) {
    if (error instanceof DecodeOptionError) throw new OnnxModelError(`${file}: ${error.message}; fix it or leave the option out`);
    throw error;
  }
}

/** Loads the parts of a seqloom export whose parsed config.json is `json`. */
export async function loadSeqloomExport(
  ort: OnnxRuntime,
  reader: ExportReader,
  json: Record<string, unknown>,
  options: InferenceSession.SessionOptions | undefined,
): Promise<SeqloomExportParts> {
  const file = `${reader.where}/config.json`;
  const config = readSeqloomExportConfig(json, file);
  checkWiring(config, file);
  const { files } = config;
  const targetTokenizer = await tokenizer(reader, files.tokenizer, files.tokenizerConfig);
  const sourceTokenizer = files.sourceTokenizer === null ? targetTokenizer : await tokenizer(reader, files.sourceTokenizer, files.sourceTokenizerConfig);
  if (targetTokenizer.vocabSize !== config.vocabSize)
    throw new OnnxModelError(
      `${reader.where}/${files.tokenizer} has ${targetTokenizer.vocabSize} tokens but config.json's vocabSize is ${config.vocabSize}; the files come from different models`,
    );
  const generation = generationOptions(await readJson(reader, files.generation), config.vocabSize, `${reader.where}/${files.generation}`);
  const sessions: InferenceSession[] = [];
  try {
    sessions.push(await openGraph(ort, reader, config.encoder, options));
    sessions.push(await openGraph(ort, reader, config.decoder, options));
  } catch (error) {
    await Promise.all(sessions.map((s) => s.release().catch(() => {})));
    throw error;
  }
  const model = new SeqloomExportModel(ort, config, sessions[0]!, sessions[1]!);
  return { config, sourceTokenizer, targetTokenizer, model, generation, sessions };
}
