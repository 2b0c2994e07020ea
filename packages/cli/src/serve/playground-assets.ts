import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from '../cli-error.js';
import { installLocation } from '../install-location.js';

/** The wasm binaries of tfjs-backend-wasm the page may ask for (served from the installed package, never a CDN). */
export const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'] as const;

/**
 * onnxruntime-web's wasm engine (the build the page bundles: `onnxruntime-web/wasm`),
 * served from the installed package, never a CDN: the binary, and the loader
 * script a build without the loader inlined imports.
 */
export const ORT_FILES = ['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.mjs'] as const;

/** The CLI package's folder (src/serve/ or dist/serve/ → the package root). */
const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the page and its wasm files are on disk. */
export interface PlaygroundAssets {
  /** playground-dist/: index.html, playground.js, playground.css. */
  pageDir: string;
  /** tfjs-backend-wasm's dist/ folder, holding {@link WASM_FILES}. */
  wasmDir: string;
  /** onnxruntime-web's dist/ folder, holding {@link ORT_FILES}. */
  ortDir: string;
}

/**
 * Finds the built page (playground-dist/, built when the package is
 * installed), the wasm binaries of the tfjs-backend-wasm that
 * @seqloom/seq2seq depends on, and those of the onnxruntime-web that
 * @seqloom/onnx depends on. `pageDir` overrides the page's folder.
 */
export function playgroundAssets(pageDir = join(PACKAGE_DIR, 'playground-dist')): PlaygroundAssets {
  if (!existsSync(join(pageDir, 'index.html')) || !existsSync(join(pageDir, 'playground.js'))) {
    const location = installLocation(PACKAGE_DIR);
    const fix =
      location === 'monorepo'
        ? 'it is built by `pnpm install` in the seqloom repository: run `pnpm install`, or `pnpm --filter @seqloom/cli build:playground`'
        : `the @seqloom/cli package ships it, so this install is incomplete: reinstall it with \`${location === 'global' ? 'npm install -g @seqloom/cli' : 'npm install @seqloom/cli'}\``;
    throw new CliError(`the playground page is not built (${pageDir} has no index.html and playground.js); ${fix}`);
  }
  const cli = createRequire(join(PACKAGE_DIR, 'package.json'));
  const seq2seq = createRequire(cli.resolve('@seqloom/seq2seq/package.json'));
  const wasmDir = dirname(seq2seq.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
  const onnx = createRequire(cli.resolve('@seqloom/onnx/package.json'));
  const ortDir = dirname(onnx.resolve(`onnxruntime-web/${ORT_FILES[0]}`));
  return { pageDir, wasmDir, ortDir };
}
