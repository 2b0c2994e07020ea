import { join } from 'node:path';
import { containedPath, uncontainedReason } from '@seqloom/seq2seq/tooling';
import { CONTENT_TYPES, type ContentType } from './content-types.js';
import type { ModelFiles } from './model-files.js';
import { ORT_FILES, type PlaygroundAssets, WASM_FILES } from './playground-assets.js';

/** How a request path is answered: a file with its content type, a generated body, or an error status. */
export type Route =
  | { readonly file: string; readonly type: ContentType }
  | { readonly body: string; readonly type: ContentType }
  | { readonly status: number; readonly message: string };

/** What the routes serve: the model folder and its allow-list, the page and the engines' wasm files. */
export interface RouteContext {
  readonly modelDir: string;
  readonly model: ModelFiles;
  readonly assets: PlaygroundAssets;
}

const PAGE_FILES: Readonly<Record<string, ContentType>> = {
  'index.html': CONTENT_TYPES.html,
  'playground.js': CONTENT_TYPES.javascript,
  'playground.css': CONTENT_TYPES.css,
};

const notFound = (pathname: string, why = ''): Route => ({ status: 404, message: `not found: ${pathname}${why}` });

/** A file of the model folder: a plain relative name on its allow-list, reached through no link that leads out. */
async function modelRoute(pathname: string, name: string, context: RouteContext): Promise<Route> {
  const reason = uncontainedReason(name);
  if (reason !== undefined) return notFound(pathname, ` (a model file's name ${reason})`);
  const type = context.model.typeOf(name);
  if (type === undefined) return notFound(pathname, ' (only the files the page reads from the model folder are served)');
  try {
    return { file: await containedPath(context.modelDir, name, pathname, context.modelDir), type };
  } catch {
    return { status: 403, message: `forbidden: ${pathname} leads out of the model folder` };
  }
}

/**
 * The answer to a GET of `pathname`: the page at / (index.html, playground.js,
 * playground.css), tfjs-backend-wasm's binaries at /wasm/, onnxruntime-web's
 * at /ort/, the model's kind at /model-kind.json and the model folder's
 * allowed files at /model/. Anything else is 404.
 */
export async function route(pathname: string, context: RouteContext): Promise<Route> {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return { status: 400, message: 'bad URL encoding' };
  }
  const name = path.slice(path.indexOf('/', 1) + 1);
  if (path === '/') return { file: join(context.assets.pageDir, 'index.html'), type: CONTENT_TYPES.html };
  if (Object.hasOwn(PAGE_FILES, path.slice(1))) return { file: join(context.assets.pageDir, path.slice(1)), type: PAGE_FILES[path.slice(1)] };
  if (path.startsWith('/wasm/') && (WASM_FILES as readonly string[]).includes(name))
    return { file: join(context.assets.wasmDir, name), type: CONTENT_TYPES.wasm };
  if (path.startsWith('/ort/') && (ORT_FILES as readonly string[]).includes(name)) {
    return { file: join(context.assets.ortDir, name), type: name.endsWith('.wasm') ? CONTENT_TYPES.wasm : CONTENT_TYPES.javascript };
  }
  if (path === '/model-kind.json') return { body: `${JSON.stringify({ kind: context.model.kind })}\n`, type: CONTENT_TYPES.json };
  if (path.startsWith('/model/')) return modelRoute(pathname, path.slice('/model/'.length), context);
  return notFound(pathname);
}
