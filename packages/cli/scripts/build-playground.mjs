// Builds the playground page that `seqloom serve` serves: bundles
// playground/main.ts (and the browser entries of @seqloom/seq2seq,
// @seqloom/tokenizer, @seqloom/decode and @seqloom/onnx, read from their
// TypeScript sources) with esbuild for a browser, and copies the page and its
// style sheet, into playground-dist/ (replaced atomically). Runs in the
// monorepo (`prepare`: `pnpm install`; `prepack`; `build`), never when a user
// installs @seqloom/cli: its tarball ships the built page, and esbuild is a
// devDependency.
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const sources = join(packageDir, 'playground');

/**
 * The page runs ONNX exports on onnxruntime-web's wasm engine only:
 * `onnxruntime-web` (which adds WebGPU and WebNN, and a 28 MB binary) is
 * bundled as its wasm build, whose loader is inlined; its one `.wasm` file is
 * fetched from the path the page sets (`/ort/`, served by `seqloom serve`,
 * never a CDN). One thread: threads would need a cross-origin-isolated page.
 */
function onnxruntimeWasmOnly() {
  const onnx = createRequire(createRequire(join(packageDir, 'package.json')).resolve('@seqloom/onnx/package.json'));
  const ortDir = dirname(onnx.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
  const wasmBuild = join(ortDir, 'ort.wasm.bundle.min.mjs');
  return {
    name: 'onnxruntime-wasm-only',
    setup(build) {
      build.onResolve({ filter: /^onnxruntime-web$/ }, () => ({ path: 'onnxruntime-web', namespace: 'seqloom-ort' }));
      build.onLoad({ filter: /.*/, namespace: 'seqloom-ort' }, () => ({
        contents: `import { env } from ${JSON.stringify(wasmBuild)};\nenv.wasm.numThreads = 1;\nenv.wasm.proxy = false;\nexport * from ${JSON.stringify(wasmBuild)};\n`,
        resolveDir: packageDir,
        loader: 'js',
      }));
    },
  };
}

/** Builds into `outDir` (default packages/cli/playground-dist) and returns the files written with their sizes. */
export async function buildPlayground(outDir = join(packageDir, 'playground-dist')) {
  const { build } = await import('esbuild');
  const temp = `${outDir}.tmp-${process.pid}`;
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp, { recursive: true });
  try {
    await build({
      entryPoints: [join(sources, 'main.ts')],
      outfile: join(temp, 'playground.js'),
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      conditions: ['source'],
      legalComments: 'eof',
      logLevel: 'warning',
      // `@tensorflow/tfjs` becomes tfjs-core + the cpu backend through @seqloom/seq2seq's "browser" field, as in any user's bundle
      plugins: [onnxruntimeWasmOnly()],
    });
    for (const name of ['index.html', 'playground.css']) await copyFile(join(sources, name), join(temp, name));
    const old = `${outDir}.old-${process.pid}`;
    const had = await stat(outDir).then(
      () => true,
      () => false,
    );
    if (had) await rename(outDir, old);
    await rename(temp, outDir);
    if (had) await rm(old, { recursive: true, force: true });
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  const files = {};
  for (const name of ['index.html', 'playground.css', 'playground.js']) files[name] = (await stat(join(outDir, name))).size;
  return files;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outDir = process.argv[2];
  try {
    const files = await buildPlayground(outDir);
    const total = Object.values(files).reduce((a, b) => a + b, 0);
    console.log(
      `seqloom playground built: ${Object.entries(files)
        .map(([n, b]) => `${n} ${b} bytes`)
        .join(', ')} (${total} bytes)`,
    );
  } catch (error) {
    console.error(
      `seqloom playground: the build failed (${error instanceof Error ? error.message : String(error)}); \`seqloom serve\` needs it: run \`pnpm --filter @seqloom/cli build:playground\``,
    );
    process.exitCode = 1;
  }
}
