import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { CliError } from '../cli-error.js';
import { CONTENT_TYPES } from './content-types.js';
import { type ModelKind, modelFiles } from './model-files.js';
import { type PlaygroundAssets, playgroundAssets } from './playground-assets.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { type RouteContext, route } from './serve-routes.js';

/** Options of {@link startPlaygroundServer}. */
export interface PlaygroundServerOptions {
  /** The model folder served (read-only) at /model/: a seqloom checkpoint or a Hugging Face ONNX export. */
  modelDir: string;
  /** Port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** Where the page and the wasm files are (default: the built page, the installed tfjs-backend-wasm and onnxruntime-web). */
  assets?: PlaygroundAssets;
}

/** A running playground server. */
export interface PlaygroundServer {
  /** The page's address, e.g. `http://127.0.0.1:8080/`. */
  url: string;
  port: number;
  /** What the model folder holds (the page loads it accordingly). */
  kind: ModelKind;
  /** Stops accepting connections, ends open ones and resolves once the server is closed. */
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

function send(response: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': CONTENT_TYPES.text, ...extra });
  response.end(`${text}\n`);
}

async function handle(request: IncomingMessage, response: ServerResponse, context: RouteContext, port: () => number): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'only GET and HEAD', { allow: 'GET, HEAD' });
  // only this machine's names for the server: a page elsewhere cannot reach it by renaming itself (DNS rebinding)
  const host = request.headers.host ?? '';
  if (host !== `${HOST}:${port()}` && host !== `localhost:${port()}`) return send(response, 403, `forbidden host ${JSON.stringify(host)}`);
  const pathname = new URL(request.url ?? '/', `http://${HOST}`).pathname;
  const answer = await route(pathname, context);
  if ('status' in answer) return send(response, answer.status, answer.message);
  const headers = { ...SECURITY_HEADERS, 'content-type': answer.type, 'cache-control': 'no-cache' };
  if ('body' in answer) {
    response.writeHead(200, { ...headers, 'content-length': String(Buffer.byteLength(answer.body)) });
    return void response.end(request.method === 'HEAD' ? undefined : answer.body);
  }
  const info = await stat(answer.file).catch(() => null);
  if (info === null || !info.isFile()) return send(response, 404, `not found: ${pathname}`);
  response.writeHead(200, { ...headers, 'content-length': String(info.size) });
  if (request.method === 'HEAD') return void response.end();
  const stream = createReadStream(answer.file);
  stream.on('error', () => response.destroy());
  stream.pipe(response);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      server.off('listening', listening);
      if (error.code === 'EADDRINUSE')
        reject(new CliError(`--port ${port}: port ${port} on ${HOST} is already in use; stop what uses it or pick another port (--port 0 picks a free one)`));
      else if (error.code === 'EACCES')
        reject(new CliError(`--port ${port}: not allowed to listen on port ${port} on ${HOST} (ports below 1024 need privileges); pick another port`));
      else reject(error);
    };
    const listening = () => {
      server.off('error', failed);
      resolve((server.address() as { port: number }).port);
    };
    server.once('error', failed);
    server.once('listening', listening);
    server.listen(port, HOST);
  });
}

/**
 * Serves the playground on 127.0.0.1 only: the page at /, tfjs-backend-wasm's
 * binaries at /wasm/, onnxruntime-web's at /ort/, and at /model/ the files of
 * `modelDir` the page reads (an allow-list, each with a fixed content type;
 * read-only, none outside the folder, not even through a link). Every response
 * carries a Content-Security-Policy and `X-Content-Type-Options: nosniff`.
 */
export async function startPlaygroundServer(options: PlaygroundServerOptions): Promise<PlaygroundServer> {
  const model = await modelFiles(options.modelDir);
  const context: RouteContext = { modelDir: options.modelDir, model, assets: options.assets ?? playgroundAssets() };
  let bound = options.port;
  const server = createServer((request, response) => {
    handle(request, response, context, () => bound).catch(() => {
      if (!response.headersSent) send(response, 500, 'internal error');
      else response.destroy();
    });
  });
  bound = await listen(server, options.port);
  return {
    url: `http://${HOST}:${bound}/`,
    port: bound,
    kind: model.kind,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
