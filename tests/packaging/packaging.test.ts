// Every package as a user gets it: packed with `pnpm pack`, installed by name
// with npm into a fresh project outside the monorepo (@seqloom/* from the
// tarballs, served by a local registry for that scope; every other dependency
// from the registry or npm's cache, as in any install), and used
// there: the README's library examples under plain `node` (ESM), every entry
// point through require() (CommonJS), a consumer type-checked with
// `skipLibCheck: false`, the installed `seqloom` command, a page bundled for a
// browser, and `npm i -g` of the CLI into a fresh prefix.
//
// Slow (minutes: it builds, packs and installs everything), so it is not part of
// `pnpm test`: `pnpm test:packaging` runs it, and .ci/run calls that.
// SEQLOOM_KEEP_PACKAGING=1 keeps the temporary folder.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRegistry, startLocalRegistry } from './local-registry.js';

/** The repository's root (with a trailing separator); nothing here imports a package of the repository itself. */
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PACKAGES = ['core', 'tokenizer', 'decode', 'metrics', 'datasets', 'native', 'onnx', 'seq2seq', 'cli'] as const;
const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a user's shell: none of the npm_* / pnpm variables of the script running this test. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|pnpm_|PNPM_|INIT_CWD$|NODE_OPTIONS$|VITEST)/i.test(key)) env[key] = value;
  }
  return { ...env, ONNXRUNTIME_NODE_INSTALL_CUDA: 'skip', ...extra };
}

function run(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? userEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

let work: string;
let tarballs: Record<string, string>;
let project: string;
let registry: LocalRegistry | undefined;

/** npm, asking the local registry (the tarballs) for @seqloom/*, never the public one. */
function npmFlags(): string[] {
  return ['--no-audit', '--no-fund', '--prefer-offline', `--@seqloom:registry=${registry!.url}`];
}

async function listTarball(file: string): Promise<string[]> {
  const listed = await run('tar', ['tzf', file], { cwd: work });
  return listed.stdout
    .split('\n')
    .filter(Boolean)
    .map((path) => path.replace(/^package\//, ''));
}

async function tarballManifest(file: string): Promise<Record<string, unknown>> {
  const shown = await run('tar', ['xzf', file, '-O', 'package/package.json'], { cwd: work });
  return JSON.parse(shown.stdout) as Record<string, unknown>;
}

/** The ```ts blocks of the README's "Use the packages from code" section. */
async function readmeLibraryExamples(): Promise<string[]> {
  const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Use the packages from code'), readme.indexOf('\n## ', readme.indexOf('### Use the packages from code')));
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'seqloom-packaging-'));
  await mkdir(join(work, 'tarballs'));
  // packed one at a time: each prepack runs `tsc -b`, which builds the packages it references
  for (const name of PACKAGES) {
    const packed = await run('pnpm', ['pack', '--pack-destination', join(work, 'tarballs')], { cwd: join(REPO_ROOT, 'packages', name), env: userEnv() });
    if (packed.code !== 0) throw new Error(`pnpm pack of @seqloom/${name} failed:\n${packed.stdout}\n${packed.stderr}`);
  }
  const files = await readdir(join(work, 'tarballs'));
  tarballs = Object.fromEntries(PACKAGES.map((name) => [name, join(work, 'tarballs', files.find((f) => f.startsWith(`seqloom-${name}-`))!)]));
  registry = await startLocalRegistry(join(work, 'tarballs'));
  project = join(work, 'project');
  await mkdir(project);
  await writeFile(join(project, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`);
}, 300_000);

afterAll(async () => {
  await registry?.close();
  if (work !== undefined && process.env['SEQLOOM_KEEP_PACKAGING'] === undefined) await rm(work, { recursive: true, force: true });
});

describe('the packages as users install them', () => {
  it('every tarball holds its built dist, README and LICENSE, and no tests, build info or workspace: ranges', async () => {
    const sizes: string[] = [];
    for (const name of PACKAGES) {
      const files = await listTarball(tarballs[name]);
      const manifest = await tarballManifest(tarballs[name]);
      sizes.push(`@seqloom/${name} ${(await stat(tarballs[name])).size} bytes`);
      expect(files, name).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts']));
      expect(
        files.filter((f) => /\.tsbuildinfo$|\.test\.[cm]?[jt]s$|__tests__|(^|\/)test\//.test(f)),
        name,
      ).toEqual([]);
      expect(JSON.stringify(manifest), name).not.toContain('workspace:');
      expect(manifest['repository'], name).toMatchObject({ url: 'git+https://github.com/seqloom/seqloom.git', directory: `packages/${name}` });
      expect(manifest['license'], name).toBe('MIT');
      // nothing runs at install but the native addon's build, which needs only Node and a C compiler
      const scripts = (manifest['scripts'] ?? {}) as Record<string, string>;
      const atInstall = Object.keys(scripts).filter((s) => ['preinstall', 'install', 'postinstall'].includes(s));
      expect(atInstall, name).toEqual(name === 'native' ? ['install'] : []);
    }
    expect(await listTarball(tarballs.cli)).toEqual(expect.arrayContaining(['playground-dist/index.html', 'playground-dist/playground.js', 'bin/seqloom.js']));
    console.log(`tarballs: ${sizes.join(', ')}`);
  });

  it('npm pack is refused with the command that packs (workspace: ranges)', async () => {
    const packed = await run('npm', ['pack', '--dry-run'], { cwd: join(REPO_ROOT, 'packages', 'seq2seq') });
    expect(packed.code).not.toBe(0);
    expect(packed.stderr).toMatch(/pack this package with `pnpm pack`/);
  }, 120_000);

  it('the packages install by name into a fresh npm project', async () => {
    const installed = await run('npm', ['install', ...npmFlags(), ...PACKAGES.map((name) => `@seqloom/${name}`)], { cwd: project });
    expect(installed.code, `${installed.stdout}\n${installed.stderr}`).toBe(0);
    expect(installed.stderr).not.toMatch(/EBADENGINE/);
    // the native addon is built, or the reason it is not is kept for the runtime to say
    const native = join(project, 'node_modules', '@seqloom', 'native', 'build');
    expect(existsSync(join(native, 'seqloom_native.node')) || existsSync(join(native, 'install-failure.json'))).toBe(true);
  }, 600_000);

  it("the README's library examples run with plain node (ESM)", async () => {
    const examples = await readmeLibraryExamples();
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const [i, example] of examples.entries()) {
      const { code } = await transform(example, { loader: 'ts', format: 'esm' });
      await writeFile(join(project, `example-${i}.mjs`), code);
      await writeFile(join(project, `example-${i}.ts`), example);
      const ran = await run(process.execPath, [`example-${i}.mjs`], { cwd: project, env: userEnv() });
      expect(ran.code, `${ran.stdout}\n${ran.stderr}`).toBe(0);
      expect(ran.stdout.trim().length).toBeGreaterThan(0);
    }
  }, 180_000);

  it('every entry point loads with require() from CommonJS, and the libraries run there', async () => {
    const script = `
const { readdirSync, readFileSync } = require('node:fs');
const entries = [];
for (const name of readdirSync('node_modules/@seqloom')) {
  const manifest = JSON.parse(readFileSync(\`node_modules/@seqloom/\${name}/package.json\`, 'utf8'));
  for (const key of Object.keys(manifest.exports)) if (key !== './package.json') entries.push(\`@seqloom/\${name}\${key.slice(1)}\`);
}
for (const entry of entries) {
  const loaded = require(entry);
  if (Object.keys(loaded).length === 0) throw new Error(\`\${entry}: no exports through require()\`);
}
const { generate } = require('@seqloom/decode');
const { bigramModel } = require('@seqloom/decode/testing');
const { corpusBleu } = require('@seqloom/metrics');
const { trainCharTokenizer, tokenizerFromJson } = require('@seqloom/tokenizer');
(async () => {
  const model = bigramModel([[0.1, 0.2, 0.7], [0.5, 0.3, 0.2], [0.3, 0.3, 0.4]].map((row) => row.map(Math.log)));
  const [out] = await generate(model, [[1]], { strategy: 'beam', beamWidth: 2, maxNewTokens: 4 });
  const tokenizer = tokenizerFromJson(await trainCharTokenizer(['abc', 'cab']));
  const bleu = corpusBleu(['the cat sat on the mat today'], [['the cat sat on the mat today']]);
  console.log(\`\${entries.length} entry points; beam \${out.best.ids.join(' ')}; ids \${tokenizer.encode('cab').join(' ')}; BLEU \${bleu.score}\`);
})().catch((error) => { console.error(error); process.exit(1); });
`;
    await writeFile(join(project, 'require-all.cjs'), script);
    const ran = await run(process.execPath, ['require-all.cjs'], { cwd: project });
    expect(ran.code, `${ran.stdout}\n${ran.stderr}`).toBe(0);
    expect(ran.stdout).toMatch(/^\d+ entry points; beam [\d ]+; ids [\d ]+; BLEU 100/);
  }, 120_000);

  it('a consumer type-checks with skipLibCheck: false (module nodenext), the README examples included', async () => {
    const manifests = await Promise.all(
      PACKAGES.map(
        async (name) =>
          JSON.parse(await readFile(join(project, 'node_modules', '@seqloom', name, 'package.json'), 'utf8')) as { exports: Record<string, unknown> },
      ),
    );
    const entries = manifests.flatMap((m, i) =>
      Object.keys(m.exports)
        .filter((k) => k !== './package.json')
        .map((k) => `@seqloom/${PACKAGES[i]}${k.slice(1)}`),
    );
    const imports = entries.map((entry, i) => `import * as entry${i} from '${entry}';`).join('\n');
    await writeFile(join(project, 'consumer.ts'), `${imports}\nexport const entries = [${entries.map((_, i) => `entry${i}`).join(', ')}];\n`);
    const examples = (await readdir(project)).filter((f) => /^example-\d+\.ts$/.test(f));
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, skipLibCheck: false, noEmit: true },
        files: ['consumer.ts', ...examples],
      }),
    );
    const checked = await run(process.execPath, [TSC, '-p', '.'], { cwd: project });
    expect(checked.stdout + checked.stderr).toBe('');
    expect(checked.code).toBe(0);
  }, 180_000);

  it('the installed seqloom runs: --help, a tiny train and generate', async () => {
    const bin = join(project, 'node_modules', '.bin', 'seqloom');
    const help = await run(bin, ['--help'], { cwd: project });
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/seqloom <command>/);
    const pairs = ['abc\tcba', 'bca\tacb', 'cab\tbac', 'abd\tdba', 'dab\tbad', 'bad\tdab'];
    await writeFile(join(project, 'pairs.tsv'), `${pairs.join('\n')}\n`);
    const trained = await run(
      bin,
      ['train', '--data', 'pairs.tsv', '--out', 'model', '--hidden', '16', '--embedding', '8', '--epochs', '1', '--batch-size', '4', '--backend', 'wasm'],
      { cwd: project },
    );
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stdout).toMatch(/try it: npx seqloom generate --model /);
    expect(trained.stderr).not.toMatch(/already (registered|been set)/); // one copy of TensorFlow.js
    const generated = await run(bin, ['generate', '--model', 'model', '--backend', 'wasm', '--json', 'abc'], { cwd: project });
    expect(generated.code, generated.stderr).toBe(0);
    expect(JSON.parse(generated.stdout).input).toBe('abc');
  }, 180_000);

  it('a page importing the browser entries bundles with no Node built-in and none of tfjs but core and the wasm and cpu backends', async () => {
    await writeFile(
      join(project, 'page.js'),
      [
        "import { loadTrainedModelFromUrl, setBackend, generateTexts } from '@seqloom/seq2seq/browser';",
        "import { generate } from '@seqloom/decode';",
        "import { tokenizerFromUrl } from '@seqloom/tokenizer/browser';",
        'globalThis.seqloom = { loadTrainedModelFromUrl, setBackend, generateTexts, generate, tokenizerFromUrl };',
      ].join('\n'),
    );
    const bundled = await build({
      absWorkingDir: project,
      entryPoints: ['page.js'],
      outfile: 'page.bundle.js',
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(bundled.metafile.inputs);
    const tfjs = [...new Set(inputs.map((path) => /node_modules\/(@tensorflow\/[^/]+)\//.exec(path)?.[1]).filter(Boolean))].sort();
    expect(tfjs).toEqual(['@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-core']);
    const bytes = Object.values(bundled.metafile.outputs)[0]!.bytes;
    console.log(`a page importing @seqloom/seq2seq/browser, @seqloom/decode and @seqloom/tokenizer/browser: ${bytes} bytes minified`);
  }, 120_000);

  it('an addon that could not be built at install is explained once, with the command that builds it in this project', async () => {
    const nativeDir = join(project, 'node_modules', '@seqloom', 'native');
    await rm(join(nativeDir, 'build'), { recursive: true, force: true });
    // the install step without a C compiler: it goes on, says why on stderr and records the reason
    const build = await run(process.execPath, [join(nativeDir, 'scripts', 'build.mjs'), '--optional'], {
      cwd: nativeDir,
      env: userEnv({ CC: '/nonexistent/cc', INIT_CWD: project }),
    });
    expect(build.code).toBe(0);
    expect(build.stderr).toMatch(
      /the native CPU engine was not built \(no C compiler \(\/nonexistent\/cc\)\)\. .*To build it, run: apt-get install -y build-essential && npm rebuild @seqloom\/native\n$/,
    );
    const generated = await run(join(project, 'node_modules', '.bin', 'seqloom'), ['generate', '--model', 'model', 'abc'], { cwd: project });
    expect(generated.code, generated.stderr).toBe(0);
    const said = generated.stderr.split('\n').filter((line) => line.includes('native engine is unavailable'));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(
      /not built when @seqloom\/native was installed \(no C compiler .*\); build it with `apt-get install -y build-essential && npm rebuild @seqloom\/native`/,
    );
  }, 120_000);

  it('npm i -g @seqloom/cli into a fresh prefix gives a working seqloom, on one copy of TensorFlow.js', async () => {
    const prefix = join(work, 'global');
    const installed = await run('npm', ['install', '--global', '--prefix', prefix, ...npmFlags(), '@seqloom/cli'], { cwd: work });
    expect(installed.code, `${installed.stdout}\n${installed.stderr}`).toBe(0);
    expect(installed.stderr).not.toMatch(/EBADENGINE/);
    const version = await run(join(prefix, 'bin', 'seqloom'), ['--version'], { cwd: work });
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(await readFile(join(REPO_ROOT, 'packages', 'cli', 'package.json'), 'utf8')).version);
    const generated = await run(join(prefix, 'bin', 'seqloom'), ['generate', '--model', join(project, 'model'), '--backend', 'wasm', 'abc'], { cwd: work });
    expect(generated.code, generated.stderr).toBe(0);
    // tfjs says so when a second copy registers its platform and kernels
    expect(generated.stderr).not.toMatch(/already (registered|been set)/);
  }, 600_000);
});
