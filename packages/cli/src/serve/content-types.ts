/**
 * The only content types the playground server sends. Each served path has
 * one of them fixed by the route that serves it, never by the file's name,
 * so no file in a model folder is ever sent as a page, a script or an image.
 */
export const CONTENT_TYPES = {
  html: 'text/html; charset=utf-8',
  javascript: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  wasm: 'application/wasm',
  binary: 'application/octet-stream',
  text: 'text/plain; charset=utf-8',
} as const;

/** One of {@link CONTENT_TYPES}. */
export type ContentType = (typeof CONTENT_TYPES)[keyof typeof CONTENT_TYPES];
