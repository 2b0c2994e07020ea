import { cp, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { type IncomingHttpHeaders, request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PlaygroundServer, startPlaygroundServer } from '@seqloom/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reversePairs, TINY_MODEL, tempFolder, writeLines } from './helpers/fixtures.js';
import { seqloomInProcess } from './helpers/run-seqloom.js';

interface Reply {
  status: number;
  type: string | undefined;
  length: string | undefined;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const TINY_MARIAN = fileURLToPath(new URL('../packages/onnx/fixtures/tiny-marian', import.meta.url));

/** Every response, errors included, forbids inline and foreign script, framing and content sniffing. */
function expectSecurityHeaders(reply: Reply, path: string): void {
  const csp = String(reply.headers['content-security-policy']);
  expect(reply.headers['x-content-type-options'], path).toBe('nosniff');
  expect(csp, path).toContain("default-src 'self'");
  expect(csp, path).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp, path).not.toContain('unsafe-inline');
  expect(csp, path).not.toMatch(/https?:|\*/);
  for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) expect(csp, path).toContain(directive);
}

/** A raw request: the path is sent as written (no URL normalisation), with the Host header given. */
function get(server: PlaygroundServer, path: string, options: { method?: string; host?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, method: options.method ?? 'GET', headers: { host: options.host ?? `127.0.0.1:${server.port}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: res.headers['content-type'],
            length: res.headers['content-length'],
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('serve'));
});
afterAll(() => cleanup());

describe('the playground server', () => {
  let server: PlaygroundServer;
  let model: string;
  beforeAll(async () => {
    model = join(dir, 'folder');
    await mkdir(join(model, 'sub'), { recursive: true });
    await writeFile(join(model, 'config.json'), '{"format":"seqloom-checkpoint"}\n');
    await writeFile(join(model, 'weights.bin'), new Uint8Array([1, 2, 3, 4]));
    await writeFile(join(dir, 'secret.json'), '{"secret":true}\n');
    // a name the page reads, but a link out of the folder
    await symlink(join(dir, 'secret.json'), join(model, 'tokenizer.json'));
    await writeFile(join(model, 'notes.html'), '<script>alert(document.cookie)</script>\n');
    await writeFile(join(model, 'image.svg'), '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n');
    await writeFile(join(model, 'script.js'), 'alert(1)\n');
    await writeFile(join(model, 'readme.txt'), 'hello\n');
    await writeFile(join(model, 'sub', 'page.html'), '<script>alert(1)</script>\n');
    server = await startPlaygroundServer({ modelDir: model, port: 0 });
  });
  afterAll(() => server?.close());

  it('listens on 127.0.0.1 only and serves the page, its script and style sheet', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    const page = await get(server, '/');
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    for (const id of ['input', 'decoder', 'beam-width', 'n-best', 'temperature', 'top-p', 'seed', 'run', 'hypotheses', 'attention']) {
      expect(page.body.toString()).toContain(`data-testid="${id}"`);
    }
    expect((await get(server, '/playground.js')).type).toBe('text/javascript; charset=utf-8');
    expect((await get(server, '/playground.css')).type).toBe('text/css; charset=utf-8');
  });

  it("serves tfjs-backend-wasm's binaries as application/wasm, and only those", async () => {
    const wasm = await get(server, '/wasm/tfjs-backend-wasm-simd.wasm');
    expect(wasm.status).toBe(200);
    expect(wasm.type).toBe('application/wasm');
    expect([...wasm.body.subarray(0, 4)]).toEqual([0x00, 0x61, 0x73, 0x6d]);
    expect((await get(server, '/wasm/other.wasm')).status).toBe(404);
    expect((await get(server, '/wasm/../package.json')).status).toBe(404);
  });

  it('serves the model folder read-only with content types, HEAD without a body', async () => {
    const config = await get(server, '/model/config.json');
    expect(config.status).toBe(200);
    expect(config.type).toBe('application/json; charset=utf-8');
    expect(config.body.toString()).toBe(await readFile(join(model, 'config.json'), 'utf8'));
    const bin = await get(server, '/model/weights.bin');
    expect(bin.type).toBe('application/octet-stream');
    expect([...bin.body]).toEqual([1, 2, 3, 4]);
    const head = await get(server, '/model/weights.bin', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.length).toBe('4');
    expect(head.body.length).toBe(0);
    for (const method of ['POST', 'PUT', 'DELETE']) expect((await get(server, '/model/config.json', { method })).status).toBe(405);
    expect((await stat(join(model, 'config.json'))).size).toBe(config.body.length);
  });

  it('gives nothing outside the model folder: .. segments, encoded or not, absolute names, links out, folders', async () => {
    for (const path of [
      '/model/../secret.json',
      '/model/%2e%2e/secret.json',
      '/model/sub/../../secret.json',
      '/model/..%2fsecret.json',
      '/model//etc/passwd',
      '/model/%2Fetc%2Fpasswd',
      '/model/sub',
      '/model/missing.json',
      '/secret.json',
      '/model/C:%5Cx',
    ]) {
      const reply = await get(server, path);
      expect(reply.status, path).toBeGreaterThanOrEqual(400);
      expect(reply.body.toString(), path).not.toContain('secret":true');
    }
    const link = await get(server, '/model/tokenizer.json');
    expect(link.status).toBe(403);
    expect(link.body.toString()).toContain('leads out of the model folder');
  });

  it('serves only the files a checkpoint needs: an .html, .svg, .js or any other file in the model folder is 404', async () => {
    for (const path of [
      '/model/notes.html',
      '/model/image.svg',
      '/model/script.js',
      '/model/readme.txt',
      '/model/sub/page.html',
      '/model/NOTES.HTML',
      '/model-kind.html',
    ]) {
      const reply = await get(server, path);
      expect(reply.status, path).toBe(404);
      expect(reply.type, path).toBe('text/plain; charset=utf-8');
      expect(reply.body.toString(), path).not.toContain('<script>');
    }
    const kind = await get(server, '/model-kind.json');
    expect(kind.type).toBe('application/json; charset=utf-8');
    expect(JSON.parse(kind.body.toString())).toEqual({ kind: 'seqloom' });
  });

  it('every response carries the Content-Security-Policy and X-Content-Type-Options: nosniff, errors included', async () => {
    const paths = [
      '/',
      '/playground.js',
      '/playground.css',
      '/wasm/tfjs-backend-wasm-simd.wasm',
      '/model-kind.json',
      '/model/config.json',
      '/model/weights.bin',
      '/model/notes.html',
      '/model/tokenizer.json',
      '/model/%zz',
      '/nope',
    ];
    for (const path of paths) expectSecurityHeaders(await get(server, path), path);
    expectSecurityHeaders(await get(server, '/model/config.json', { method: 'POST' }), 'POST');
    expectSecurityHeaders(await get(server, '/', { host: 'evil.example' }), 'evil host');
    expectSecurityHeaders(await get(server, '/model/config.json', { method: 'HEAD' }), 'HEAD');
  });

  it('answers only to its own host names (no DNS rebinding)', async () => {
    expect((await get(server, '/', { host: 'evil.example' })).status).toBe(403);
    expect((await get(server, '/model/config.json', { host: `localhost:${server.port}` })).status).toBe(200);
  });
});

describe('the playground server on a Hugging Face ONNX export', () => {
  let server: PlaygroundServer;
  let model: string;
  beforeAll(async () => {
    model = join(dir, 'tiny-marian');
    await cp(TINY_MARIAN, model, { recursive: true });
    await writeFile(join(model, 'index.html'), '<script>alert(1)</script>\n');
    await writeFile(join(model, 'onnx', 'notes.svg'), '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n');
    server = await startPlaygroundServer({ modelDir: model, port: 0 });
  });
  afterAll(() => server?.close());

  it('says the folder is an ONNX export, and serves its JSON files as JSON and its graphs as octet-stream', async () => {
    expect(server.kind).toBe('onnx');
    expect(JSON.parse((await get(server, '/model-kind.json')).body.toString())).toEqual({ kind: 'onnx' });
    for (const name of ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']) {
      const reply = await get(server, `/model/${name}`);
      expect(reply.status, name).toBe(200);
      expect(reply.type, name).toBe('application/json; charset=utf-8');
      expect(reply.body.equals(await readFile(join(model, name))), name).toBe(true);
    }
    for (const name of ['encoder_model.onnx', 'decoder_model_merged.onnx', 'decoder_model.onnx', 'decoder_with_past_model.onnx']) {
      const reply = await get(server, `/model/onnx/${name}`, { method: 'HEAD' });
      expect(reply.status, name).toBe(200);
      expect(reply.type, name).toBe('application/octet-stream');
      expect(Number(reply.length), name).toBe((await stat(join(model, 'onnx', name))).size);
    }
  });

  it('gives no other file of the folder (.html, .svg, the fixture files), and onnxruntime-web only its own wasm engine', async () => {
    for (const path of [
      '/model/index.html',
      '/model/onnx/notes.svg',
      '/model/expected.json',
      '/model/onnx/export_info.json',
      '/model/weights.bin',
      '/ort/ort.min.mjs',
      '/ort/../package.json',
    ]) {
      const reply = await get(server, path);
      expect(reply.status, path).toBe(404);
      expectSecurityHeaders(reply, path);
    }
    const wasm = await get(server, '/ort/ort-wasm-simd-threaded.wasm', { method: 'HEAD' });
    expect(wasm.status).toBe(200);
    expect(wasm.type).toBe('application/wasm');
    expectSecurityHeaders(wasm, 'ort wasm');
    const loader = await get(server, '/ort/ort-wasm-simd-threaded.mjs');
    expect(loader.type).toBe('text/javascript; charset=utf-8');
    expect(loader.body.length).toBeGreaterThan(1000);
  });
});

describe('the playground server on a seqloom ONNX export', () => {
  it('serves the files seqloom export --format onnx writes: graphs, generation.json, tokenizers', async () => {
    const trained = join(dir, 'export-source');
    const data = await writeLines(dir, 'export-pairs.tsv', reversePairs(30));
    const train = await seqloomInProcess(['train', '--data', data, '--out', trained, ...TINY_MODEL, '--max-steps', '1', '-q']);
    expect(train.code, train.stderr).toBe(0);
    const exported = join(dir, 'exported');
    const run = await seqloomInProcess(['export', '--format', 'onnx', '--model', trained, '--out', exported, '-q']);
    expect(run.code, run.stderr).toBe(0);
    const server = await startPlaygroundServer({ modelDir: exported, port: 0 });
    try {
      expect(server.kind).toBe('onnx');
      for (const name of ['config.json', 'generation.json', 'tokenizer.json', 'encoder.onnx', 'decoder_step.onnx']) {
        const reply = await get(server, `/model/${name}`, { method: 'HEAD' });
        expect(reply.status, name).toBe(200);
        expectSecurityHeaders(reply, name);
      }
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe('seqloom serve errors', () => {
  let trained: string;
  beforeAll(async () => {
    trained = join(dir, 'tiny');
    const data = await writeLines(dir, 'pairs.tsv', reversePairs(30));
    const run = await seqloomInProcess(['train', '--data', data, '--out', trained, ...TINY_MODEL, '--max-steps', '1', '-q']);
    if (run.code !== 0) throw new Error(run.stderr);
  });

  it('names a --model that is missing, a file, or not a model folder', async () => {
    const missing = await seqloomInProcess(['serve', '--model', join(dir, 'nope')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`--model ${join(dir, 'nope')}: ${join(dir, 'nope')} does not exist`);
    const file = await seqloomInProcess(['serve', '--model', join(dir, 'pairs.tsv')]);
    expect(file.code).toBe(1);
    expect(file.stderr).toContain('is a file; expected a folder written by seqloom train');
    await mkdir(join(dir, 'empty'));
    const empty = await seqloomInProcess(['serve', '--model', join(dir, 'empty')]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('config.json: missing; expected a checkpoint folder');
    expect((await seqloomInProcess(['serve'])).stderr).toContain('--model is required');
  });

  it('names the port that is in use, and refuses a port out of range', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const busy = await seqloomInProcess(['serve', '--model', trained, '--port', String(port)]);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toContain(`--port ${port}: port ${port} on 127.0.0.1 is already in use`);
      expect(busy.stderr).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
    const range = await seqloomInProcess(['serve', '--model', trained, '--port', '70000']);
    expect(range.code).toBe(2);
    expect(range.stderr).toContain('--port');
  });
});
