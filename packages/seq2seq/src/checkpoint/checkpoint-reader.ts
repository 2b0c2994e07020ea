import type * as tf from '@tensorflow/tfjs';
import { parseCheckpointJson } from './checkpoint-json.js';
import { type CheckedManifest, checkManifestForm, decodeTensors, type TensorManifest } from './tensor-manifest.js';

/** Where a checkpoint file's name comes from: the field naming it and the file holding that field. */
export interface DeclaredName {
  field: string;
  in: string;
}

/**
 * Where a checkpoint's files are read from: a folder on disk (Node), a base
 * URL or a set of picked files (browser). Readers only fetch bytes and keep
 * names inside the folder; every check of what the files hold is shared
 * (this file, read-checkpoint.ts), so each source is as untrusted as the others.
 */
export interface CheckpointReader {
  /** The folder (a path or a URL) as errors and results name it. */
  readonly dir: string;
  /** How errors name one of its files. */
  pathOf(name: string): string;
  /**
   * The text of the file `name` (which `declared.field` in `declared.in`
   * named), after checking that the name stays inside the folder. A missing or
   * unreadable file is a CheckpointError naming it.
   */
  readText(name: string, declared: DeclaredName): Promise<{ path: string; text: string }>;
  /**
   * Checks the binary file a manifest names (inside the folder; where it can
   * be known without reading it: present, of `bytes` bytes) and returns its path.
   */
  locateBinary(name: unknown, field: string, manifestPath: string, bytes: number): Promise<string>;
  /** The bytes of a file {@link locateBinary} returned. */
  readBinary(path: string, manifestPath: string): Promise<Uint8Array>;
}

/** Reads and parses a JSON file of a checkpoint, naming the file in every error. */
export async function readCheckpointJson(reader: CheckpointReader, name: string, declared?: DeclaredName): Promise<unknown> {
  const { path, text } = await reader.readText(name, declared ?? { field: name, in: reader.dir });
  return parseCheckpointJson(text, path);
}

/**
 * Reads and checks `<name>.json` without reading its binary file: the
 * manifest's form, every weight entry, and that the binary file it names
 * stays inside the folder (and, on disk, has the size described).
 */
export async function readManifest(reader: CheckpointReader, name: string): Promise<CheckedManifest> {
  const manifestPath = reader.pathOf(`${name}.json`);
  const { manifest, specs, binName, bytes } = checkManifestForm(await readCheckpointJson(reader, `${name}.json`), manifestPath);
  const binPath = await reader.locateBinary(binName, 'weightsManifest[0].paths[0]', manifestPath, bytes);
  return { manifest, specs, manifestPath, binPath, bytes };
}

/** Reads tensors written by `writeTensorFile` (`checked` reuses a manifest already read). */
export async function readTensors(
  reader: CheckpointReader,
  name: string,
  checked?: CheckedManifest,
): Promise<{ manifest: TensorManifest; tensors: Map<string, tf.Tensor> }> {
  const manifest = checked ?? (await readManifest(reader, name));
  const bytes = await reader.readBinary(manifest.binPath, manifest.manifestPath);
  return { manifest: manifest.manifest, tensors: decodeTensors(bytes, manifest) };
}
