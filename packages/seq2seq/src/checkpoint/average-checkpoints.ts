import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeDirAtomic } from './atomic-dir.js';
import type { CheckpointConfig } from './checkpoint-config.js';
import { CheckpointError } from './checkpoint-error.js';
import { readCheckpointJson, readManifest } from './checkpoint-reader.js';
import { folderReader } from './folder-reader.js';
import { readCheckpointConfig, readTokenizerFiles, readTrainingState, resolveCheckpointDir } from './load-checkpoint.js';
import { checkReplaceable } from './save-checkpoint.js';
import type { CheckedManifest, TensorManifest } from './tensor-manifest.js';

/** Options of {@link averageCheckpoints}. */
export interface AverageCheckpointsOptions {
  /** Replace a checkpoint already at the output folder [false: refuse]. */
  overwrite?: boolean;
}

/** One checkpoint that went into an average. */
export interface AveragedSource {
  /** The checkpoint folder read. */
  dir: string;
  /** Its training step (from state.json), when it has one. */
  step: number | null;
}

/** What {@link averageCheckpoints} wrote. */
export interface AveragedCheckpoint {
  dir: string;
  sources: AveragedSource[];
  /** Weights averaged, and their values in all. */
  weights: number;
  parameters: number;
}

interface Opened {
  dir: string;
  config: CheckpointConfig;
  manifest: CheckedManifest;
  tokenizers: string;
  step: number | null;
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

async function open(path: string): Promise<Opened> {
  const dir = await resolveCheckpointDir(path, 'best');
  const config = await readCheckpointConfig(dir);
  const manifest = await readManifest(folderReader(dir), 'weights');
  const tokenizers = JSON.stringify(await readTokenizerFiles(dir, config));
  const step = config.files.state ? ((await readTrainingState(dir, config.files.state).catch(() => null))?.step ?? null) : null;
  return { dir, config, manifest, tokenizers, step };
}

/** Refuses checkpoints of other models: configuration, frozen weights, tokenizers, weight names and shapes. */
function checkSame(first: Opened, other: Opened): void {
  const file = join(other.dir, 'config.json');
  const a = first.config.model as unknown as Record<string, unknown>;
  const b = other.config.model as unknown as Record<string, unknown>;
  const differing = Object.keys({ ...a, ...b }).filter((key) => a[key] !== b[key]);
  if (differing.length > 0) {
    const detail = differing.map((key) => `${key} ${JSON.stringify(b[key])} vs ${JSON.stringify(a[key])}`).join(', ');
    throw new CheckpointError(file, `its model configuration differs from that of ${first.dir} (${detail}); only checkpoints of one model can be averaged`);
  }
  if (JSON.stringify([...(first.config.frozen ?? [])].sort()) !== JSON.stringify([...(other.config.frozen ?? [])].sort())) {
    throw new CheckpointError(file, `freezes other weights than ${first.dir}; only checkpoints of one training run can be averaged`);
  }
  if (first.tokenizers !== other.tokenizers) {
    throw new CheckpointError(
      other.dir,
      `its tokenizers differ from those of ${first.dir}, so the same ids mean other tokens; average checkpoints of one training run`,
    );
  }
  const expected = new Map(first.manifest.specs.map((s) => [s.name, s]));
  for (const spec of other.manifest.specs) {
    const want = expected.get(spec.name);
    if (!want) throw new CheckpointError(other.manifest.manifestPath, `holds weight "${spec.name}", which ${first.manifest.manifestPath} does not`);
    if (want.dtype !== spec.dtype || JSON.stringify(want.shape) !== JSON.stringify(spec.shape)) {
      throw new CheckpointError(
        other.manifest.manifestPath,
        `weight "${spec.name}" is ${spec.dtype} [${spec.shape}] but ${want.dtype} [${want.shape}] in ${first.manifest.manifestPath}`,
      );
    }
  }
  if (other.manifest.specs.length !== expected.size) {
    const missing = [...expected.keys()].filter((name) => !other.manifest.specs.some((s) => s.name === name));
    throw new CheckpointError(other.manifest.manifestPath, `lacks weight "${missing[0]}" that ${first.manifest.manifestPath} holds`);
  }
}

/**
 * Element-wise mean of every weight over the checkpoints, accumulated in
 * float64, read straight from each weights.bin (float32, little-endian, in
 * manifest order); one checkpoint in memory at a time. Returns weights.bin of the mean.
 */
async function meanWeights(opened: readonly Opened[]): Promise<Float32Array> {
  const specs = opened[0]!.manifest.specs;
  for (const spec of specs) {
    if (spec.dtype !== 'float32') {
      throw new CheckpointError(opened[0]!.manifest.manifestPath, `weight "${spec.name}" is ${spec.dtype}; only float32 weights can be averaged`);
    }
  }
  const sum = new Float64Array(opened[0]!.manifest.bytes / 4);
  for (const o of opened) {
    const bytes = await readFile(o.manifest.binPath);
    if (bytes.length !== o.manifest.bytes) {
      throw new CheckpointError(
        o.manifest.binPath,
        `holds ${bytes.length} bytes but ${o.manifest.manifestPath} describes ${o.manifest.bytes}; the file is truncated or corrupt`,
      );
    }
    const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    // the same weights may sit in another order in another checkpoint's file
    const offsets = new Map<string, number>();
    let at = 0;
    for (const spec of o.manifest.specs) {
      offsets.set(spec.name, at);
      at += spec.shape.reduce((a, b) => a * b, 1);
    }
    let out = 0;
    for (const spec of specs) {
      const from = offsets.get(spec.name)!;
      const size = spec.shape.reduce((a, b) => a * b, 1);
      for (let i = 0; i < size; i++) sum[out + i]! += values[from + i]!;
      out += size;
    }
  }
  const mean = new Float32Array(sum.length);
  for (let i = 0; i < sum.length; i++) mean[i] = sum[i]! / opened.length;
  return mean;
}

/** The copied files of the first checkpoint (tokenizers and generation defaults), by config.json's names. */
function filesToCopy(config: CheckpointConfig): string[] {
  const f = config.files;
  return [f.tokenizer, f.sourceTokenizer, f.tokenizerConfig ?? null, f.sourceTokenizerConfig ?? null, 'generation.json'].filter(
    (name): name is string => name !== null,
  );
}

/**
 * Averages the weights of checkpoints of one model (the same configuration,
 * tokenizers and weight shapes; for example the last evaluation checkpoints
 * of a run) and writes the mean as a checkpoint folder that loads like any
 * other: weights, config.json (listing its sources in `averagedFrom`), the
 * tokenizers and generation.json of the first. It has no optimizer or
 * training state, so it is for inference, not for resuming. The folder is
 * written beside `outDir` and renamed into place.
 */
export async function averageCheckpoints(checkpoints: readonly string[], outDir: string, options: AverageCheckpointsOptions = {}): Promise<AveragedCheckpoint> {
  if (checkpoints.length < 2) {
    throw new CheckpointError(checkpoints[0] ?? outDir, `averaging needs at least two checkpoints, got ${checkpoints.length}`);
  }
  const opened: Opened[] = [];
  for (const path of checkpoints) opened.push(await open(path));
  const seen = new Set<string>();
  for (const o of opened) {
    if (seen.has(resolve(o.dir))) throw new CheckpointError(o.dir, 'is given twice; each checkpoint can be averaged in once');
    seen.add(resolve(o.dir));
    if (resolve(o.dir) === resolve(outDir)) throw new CheckpointError(outDir, 'is one of the checkpoints being averaged; write the average to another folder');
  }
  const [first] = opened as [Opened, ...Opened[]];
  for (const other of opened.slice(1)) checkSame(first, other);
  const mean = await meanWeights(opened);
  const sources = opened.map((o) => ({ dir: o.dir, step: o.step }));
  const config: CheckpointConfig = {
    ...first.config,
    files: { ...first.config.files, optimizer: null, state: null },
    averagedFrom: sources,
  };
  const specs = first.manifest.specs.map(({ name, shape, dtype }) => ({ name, shape, dtype }));
  const manifest: TensorManifest = { format: 'seqloom-weights', weightsManifest: [{ paths: ['weights.bin'], weights: specs }] };
  await writeDirAtomic(
    outDir,
    async (temp) => {
      await writeFile(join(temp, 'weights.bin'), new Uint8Array(mean.buffer));
      await writeFile(join(temp, 'weights.json'), json(manifest));
      for (const name of filesToCopy(first.config)) {
        await readCheckpointJson(folderReader(first.dir), name); // checked (and contained) before it is copied
        await copyFile(join(first.dir, name), join(temp, name));
      }
      await writeFile(join(temp, 'config.json'), json(config)); // last: a folder with it is complete
    },
    async (target) => {
      if (
        !options.overwrite &&
        (await readCheckpointConfig(target).then(
          () => true,
          () => false,
        ))
      ) {
        throw new CheckpointError(target, 'already holds a checkpoint; choose another folder or pass overwrite to replace it');
      }
      await checkReplaceable(target);
    },
  );
  return { dir: outDir, sources, weights: specs.length, parameters: mean.length };
}
