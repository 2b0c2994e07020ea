// Checkpoint readers for a browser: a model folder served at a base URL, or
// the files of a folder picked in the page. Both only fetch bytes; what the
// files hold is checked by the same code as for a folder on disk.
import { CheckpointError } from './checkpoint-error.js';
import type { CheckpointReader } from './checkpoint-reader.js';
import { checkContainedName } from './contained-name.js';

const MISSING = 'missing; the checkpoint is incomplete (save it again or pick another checkpoint)';

/** A folder URL (ending in `/`), resolved against the page in a browser. */
function folderUrl(base: string | URL): URL {
  const page = (globalThis as { location?: { href?: string } }).location?.href;
  let url: URL;
  try {
    url = new URL(base, page);
  } catch {
    throw new CheckpointError(String(base), `is not a URL${page ? '' : ' (outside a page it must be absolute, e.g. http://127.0.0.1:8080/model/)'}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CheckpointError(url.href, 'is not an http(s) URL of a model folder');
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** Options of {@link urlReader}. */
export interface UrlReaderOptions {
  /** The fetch to use (default the global one). */
  fetch?: typeof fetch;
}

/**
 * A model folder served over HTTP: `base` is the folder's URL. Names are
 * checked as on disk (plain relative paths) and each segment is escaped, so
 * a name cannot reach outside the folder's URL.
 */
export function urlReader(base: string | URL, options: UrlReaderOptions = {}): CheckpointReader {
  const root = folderUrl(base);
  const fetcher = options.fetch ?? ((input: string) => globalThis.fetch(input));
  const dir = root.href.slice(0, -1);
  const urlOf = (name: string): string => {
    const url = new URL(name.split(/[/\\]/).map(encodeURIComponent).join('/'), root);
    if (!url.href.startsWith(root.href)) throw new CheckpointError(`${dir}/${name}`, `resolves outside the model folder ${root.href}`);
    return url.href;
  };
  const get = async (url: string): Promise<Response> => {
    let response: Response;
    try {
      response = await fetcher(url);
    } catch (error) {
      throw new CheckpointError(url, `cannot be fetched (${error instanceof Error ? error.message : String(error)}); is the server still running?`);
    }
    if (response.status === 404) throw new CheckpointError(url, MISSING);
    if (!response.ok) throw new CheckpointError(url, `cannot be fetched (HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''})`);
    return response;
  };
  return {
    dir,
    pathOf: (name) => `${dir}/${name}`,
    async readText(name, declared) {
      const url = urlOf(checkContainedName(name, declared.field, declared.in));
      return { path: url, text: await (await get(url)).text() };
    },
    async locateBinary(name, field, manifestPath) {
      return urlOf(checkContainedName(name, field, manifestPath));
    },
    async readBinary(url) {
      return new Uint8Array(await (await get(url)).arrayBuffer());
    },
  };
}

/** A picked file: a Blob with its name (and, from a folder picker, its path in the folder). */
export type CheckpointFile = Blob & { readonly name: string; readonly webkitRelativePath?: string };

/** The file's path inside the picked folder: `webkitRelativePath` without the folder itself, else its name. */
function pathInFolder(file: CheckpointFile): string {
  const relative = file.webkitRelativePath ?? '';
  if (relative.includes('/')) return relative.slice(relative.indexOf('/') + 1);
  return file.name;
}

/** A training output folder's checkpoint: `best/`, else `last/` (as on disk), when the files hold no config.json of their own. */
function checkpointPrefix(byName: ReadonlyMap<string, CheckpointFile>): string {
  if (byName.has('config.json')) return '';
  return ['best/', 'last/'].find((sub) => byName.has(`${sub}config.json`)) ?? '';
}

/**
 * The files of a model folder picked in a page (`<input type="file" webkitdirectory>`
 * or several files at once), keyed by their path inside the folder. A picked
 * training output folder is read from its `best/` checkpoint, else `last/`.
 */
export function filesReader(files: Iterable<CheckpointFile> | ArrayLike<CheckpointFile>, folderLabel = 'picked files'): CheckpointReader {
  const all = new Map<string, CheckpointFile>();
  for (const file of Array.from(files as ArrayLike<CheckpointFile>)) {
    if (typeof Blob === 'undefined' || !(file instanceof Blob) || typeof file.name !== 'string') {
      throw new CheckpointError(folderLabel, 'expected File objects (from an <input type="file"> or a drop)');
    }
    all.set(pathInFolder(file), file);
  }
  const prefix = checkpointPrefix(all);
  const byName = new Map([...all].filter(([name]) => name.startsWith(prefix)).map(([name, file]) => [name.slice(prefix.length), file]));
  const label = prefix === '' ? folderLabel : `${folderLabel}/${prefix.slice(0, -1)}`;
  const pick = (name: string): CheckpointFile => {
    const file = byName.get(name);
    if (file === undefined) {
      throw new CheckpointError(
        `${label}/${name}`,
        `${MISSING}; pick all the files of the model folder (config.json, weights.json, weights.bin, tokenizer.json, generation.json, …)`,
      );
    }
    return file;
  };
  return {
    dir: label,
    pathOf: (name) => `${label}/${name}`,
    async readText(name, declared) {
      const file = pick(checkContainedName(name, declared.field, declared.in));
      return { path: `${label}/${name}`, text: await file.text() };
    },
    async locateBinary(name, field, manifestPath, bytes) {
      const checked = checkContainedName(name, field, manifestPath);
      const file = pick(checked);
      if (file.size !== bytes) {
        throw new CheckpointError(`${label}/${checked}`, `holds ${file.size} bytes but ${manifestPath} describes ${bytes}; the file is truncated or corrupt`);
      }
      return `${label}/${checked}`;
    },
    async readBinary(path) {
      return new Uint8Array(await pick(path.slice(label.length + 1)).arrayBuffer());
    },
  };
}
