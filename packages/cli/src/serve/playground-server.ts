import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { containedPath, uncontainedReason } from '@seqloom/seq2seq/checkpoint';
import { CliError } from '../cli-error.js';
import { contentTypeOf } from './content-types.js';
import { playgroundAssets, WASM_FILES, type PlaygroundAssets } from './playground-assets.js';

/** Options of {@link startPlaygroundServer}. */
export interface PlaygroundServerOptions {
  /** The checkpoint folder served (read-only) at /model/. */
  modelDir: string;
  /** Port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** Where the page and the wasm files are (default: the built page and the installed tfjs-backend-wasm). */
  assets?: PlaygroundAssets;
}

/** A running playground server. */
export interface PlaygroundServer {
  /** The page's address, e.g. `http://127.0.0.1:8080/`. */
  url: string;
  port: number;
  /** Stops accepting connections, ends open ones and resolves once the server is closed. */
  close(): Promise<void>;
}

const PAGE_FILES = new Set(['index.html', 'playground.js', 'playground.css']);
const HOST = '127.0.0.1';

function send(response: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', ...extra });
  response.end(`${text}\n`);
}

/** The file a request path names, or an HTTP status and message why none. */
async function fileFor(pathname: string, modelDir: string, assets: PlaygroundAssets): Promise<string | [number, string]> {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return [400, 'bad URL encoding'];
  }
  if (path === '/' || path === '/index.html') return join(assets.pageDir, 'index.html');
  if (PAGE_FILES.has(path.slice(1))) return join(assets.pageDir, path.slice(1));
  if (path.startsWith('/wasm/') && (WASM_FILES as readonly string[]).includes(path.slice(6))) return join(assets.wasmDir, path.slice(6));
  if (!path.startsWith('/model/')) return [404, `not found: ${pathname}`];
  const name = path.slice('/model/'.length);
  const reason = uncontainedReason(name);
  if (reason !== undefined) return [404, `not found: ${pathname} (a model file's name ${reason})`];
  try {
    // no link may lead out of the model folder
    return await containedPath(modelDir, name, pathname, modelDir);
  } catch {
    return [403, `forbidden: ${pathname} leads out of the model folder`];
  }
}

async function handle(request: IncomingMessage, response: ServerResponse, options: Required<PlaygroundServerOptions>, port: () => number): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'only GET and HEAD', { allow: 'GET, HEAD' });
  // only this machine's names for the server: a page elsewhere cannot reach it by renaming itself (DNS rebinding)
  const host = request.headers.host ?? '';
  if (host !== `${HOST}:${port()}` && host !== `localhost:${port()}`) return send(response, 403, `forbidden host ${JSON.stringify(host)}`);
  const pathname = new URL(request.url ?? '/', `http://${HOST}`).pathname;
  const file = await fileFor(pathname, options.modelDir, options.assets);
  if (typeof file !== 'string') return send(response, file[0], file[1]);
  const info = await stat(file).catch(() => null);
  if (info === null || !info.isFile()) return send(response, 404, `not found: ${pathname}`);
  response.writeHead(200, {
    'content-type': contentTypeOf(file),
    'content-length': String(info.size),
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    'cross-origin-resource-policy': 'same-origin',
    'referrer-policy': 'no-referrer',
  });
  if (request.method === 'HEAD') return void response.end();
  const stream = createReadStream(file);
  stream.on('error', () => response.destroy());
  stream.pipe(response);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      server.off('listening', listening);
      if (error.code === 'EADDRINUSE') reject(new CliError(`--port ${port}: port ${port} on ${HOST} is already in use; stop what uses it or pick another port (--port 0 picks a free one)`));
      else if (error.code === 'EACCES') reject(new CliError(`--port ${port}: not allowed to listen on port ${port} on ${HOST} (ports below 1024 need privileges); pick another port`));
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
 * binaries at /wasm/, and the files of `modelDir` (read-only, none outside
 * it, not even through a link) at /model/.
 */
export async function startPlaygroundServer(options: PlaygroundServerOptions): Promise<PlaygroundServer> {
  const resolved: Required<PlaygroundServerOptions> = { ...options, assets: options.assets ?? playgroundAssets() };
  let bound = options.port;
  const server = createServer((request, response) => {
    handle(request, response, resolved, () => bound).catch(() => {
      if (!response.headersSent) send(response, 500, 'internal error');
      else response.destroy();
    });
  });
  bound = await listen(server, options.port);
  return {
    url: `http://${HOST}:${bound}/`,
    port: bound,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
