import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type LoadedCheckpoint, loadCheckpoint, Seq2SeqModel } from '@seqloom/seq2seq';
import { folderFormat, seq2seqWeightShapes, writeDirAtomic } from '@seqloom/seq2seq/tooling';
import {
  FOLDER_FILES,
  SAFETENSORS_FOLDER_FORMAT,
  SAFETENSORS_FOLDER_VERSION,
  type SafetensorsFolderConfig,
  type SafetensorsFolderFiles,
} from './safetensors-folder.js';
import { encodeSafetensors, SafetensorsError } from './safetensors-format.js';
import { torchNameOf, toTorchTensors } from './torch-names.js';

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Refuses to replace a folder that is not a safetensors export: `dir` may be
 * missing, empty, or hold a config.json with "format": "seqloom-safetensors".
 */
export async function checkExportReplaceable(dir: string): Promise<void> {
  const format = await folderFormat(dir);
  if (format !== null && format !== SAFETENSORS_FOLDER_FORMAT) {
    throw new SafetensorsError(
      dir,
      'is not empty and holds no seqloom safetensors export (config.json), so writing there would replace it; choose a new or empty folder',
    );
  }
}

/** The JSON files of the folder besides config.json: tokenizers, their configs, generation options. */
function jsonFiles(loaded: LoadedCheckpoint): Map<keyof SafetensorsFolderFiles, unknown> {
  const files = new Map<keyof SafetensorsFolderFiles, unknown>([['generation', loaded.generation]]);
  const add = (field: keyof SafetensorsFolderFiles, value: unknown) => value !== undefined && files.set(field, value);
  add('tokenizer', loaded.tokenizers.target);
  add('sourceTokenizer', loaded.tokenizers.source);
  add('tokenizerConfig', loaded.tokenizerConfigs.target);
  add('sourceTokenizerConfig', loaded.tokenizerConfigs.source);
  return files;
}

function folderConfig(loaded: LoadedCheckpoint, written: ReadonlySet<keyof SafetensorsFolderFiles>): SafetensorsFolderConfig {
  const { model, training, frozen, lengths } = loaded.config;
  const name = (field: keyof SafetensorsFolderFiles) => (written.has(field) ? FOLDER_FILES[field] : null);
  return {
    format: SAFETENSORS_FOLDER_FORMAT,
    formatVersion: SAFETENSORS_FOLDER_VERSION,
    names: 'pytorch',
    model,
    training,
    ...(frozen && frozen.length > 0 ? { frozen: frozen.map((n) => torchNameOf(model, n)[0]) } : {}),
    ...(lengths ? { lengths } : {}),
    files: {
      weights: FOLDER_FILES.weights,
      generation: FOLDER_FILES.generation,
      tokenizer: name('tokenizer'),
      sourceTokenizer: name('sourceTokenizer'),
      tokenizerConfig: name('tokenizerConfig'),
      sourceTokenizerConfig: name('sourceTokenizerConfig'),
    },
  };
}

/**
 * Exports a seqloom checkpoint (a checkpoint folder, or a training output
 * folder: its best/, else last/) as safetensors with PyTorch names:
 * `model.safetensors` (F32, names and layout in torch-names.ts),
 * `config.json` (the checkpoint's config, format "seqloom-safetensors"),
 * the tokenizer files and `generation.json`. The folder is written beside
 * `outDir` and renamed into place; an `outDir` that is neither missing, empty
 * nor an earlier export is never replaced. Returns the paths written.
 */
export async function exportSafetensors(modelDir: string, outDir: string): Promise<{ files: string[] }> {
  const loaded = await loadCheckpoint(modelDir, {
    createModel: (config) => Seq2SeqModel.create(config),
    weightShapes: seq2seqWeightShapes,
    onBadState: () => {}, // the training position is not exported
  });
  let bytes: Uint8Array;
  try {
    const weights = new Map([...loaded.model.namedWeights()].map(([name, variable]) => [name, variable.dataSync() as Float32Array]));
    bytes = encodeSafetensors(toTorchTensors(loaded.config.model, weights), { format: 'pt', producer: 'seqloom' });
  } finally {
    loaded.model.dispose();
  }
  const extra = jsonFiles(loaded);
  const config = folderConfig(loaded, new Set(extra.keys()));
  await writeDirAtomic(
    outDir,
    async (temp) => {
      await writeFile(join(temp, FOLDER_FILES.weights), bytes);
      for (const [field, value] of extra) await writeFile(join(temp, FOLDER_FILES[field]), json(value));
      await writeFile(join(temp, 'config.json'), json(config)); // last: a folder with it is complete
    },
    checkExportReplaceable,
  );
  const names = ['config.json', FOLDER_FILES.weights, ...[...extra.keys()].map((field) => FOLDER_FILES[field])];
  return { files: names.sort().map((name) => join(outDir, name)) };
}
