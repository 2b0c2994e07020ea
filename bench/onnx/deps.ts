// The packages the onnx bench measures that bench/package.json does not list:
// @seqloom/onnx (imported from its source, as `--conditions=source` maps every
// other @seqloom package) and transformers.js, a devDependency of the tests
// workspace (tests/package.json), loaded from there.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export { hfGenerationOptions, loadOnnxSeq2Seq, type OnnxSeq2Seq } from '../../packages/onnx/src/index.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The folder of package `name` as `from` (a package folder) resolves it: the nearest package.json above its main file. */
export function packageDir(name: string, from: string): string {
  let dir = dirname(createRequire(join(from, 'package.json')).resolve(name));
  while (!existsSync(join(dir, 'package.json')) || readManifest(dir).name !== name) {
    if (dirname(dir) === dir) throw new Error(`no package.json of ${name} above its main file`);
    dir = dirname(dir);
  }
  return dir;
}

const readManifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string; exports?: unknown };

/** The version of package `name` as `from` resolves it. */
export function packageVersion(name: string, from: string): string {
  try {
    return readManifest(packageDir(name, from)).version ?? '?';
  } catch {
    return 'not found';
  }
}

/** The part of transformers.js the bench uses. */
export interface TransformersJs {
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string; useFSCache: boolean; version: string };
  Tensor: new (type: 'int64', data: BigInt64Array, dims: number[]) => unknown;
  AutoModelForSeq2SeqLM: {
    from_pretrained(
      id: string,
      options: Record<string, unknown>,
    ): Promise<{
      generate(options: Record<string, unknown>): Promise<{ tolist(): bigint[][] }>;
      dispose(): Promise<unknown>;
    }>;
  };
}

const TESTS = join(ROOT, 'tests');

/** transformers.js (its Node ESM build) as the tests workspace installs it, or why it cannot be loaded. */
export async function loadTransformersJs(): Promise<TransformersJs> {
  let dir: string;
  try {
    dir = packageDir('@huggingface/transformers', TESTS);
  } catch {
    throw new Error('transformers.js is not installed: it is a devDependency of tests/package.json; run `pnpm install`');
  }
  const exports = readManifest(dir).exports as { node: { import: { default: string } } };
  return (await import(pathToFileURL(join(dir, exports.node.import.default)).href)) as TransformersJs;
}

/** The onnxruntime-node folder each side loads, for its version. */
export const ORT_FROM = {
  seqloom: join(ROOT, 'packages', 'onnx'),
  transformersJs: (): string => {
    try {
      return packageDir('@huggingface/transformers', TESTS);
    } catch {
      return TESTS; // not installed: its onnxruntime-node reads as "not found"
    }
  },
};
