// A registry for the @seqloom scope only, serving packed tarballs on
// 127.0.0.1: npm is pointed at it with `--@seqloom:registry=<url>`, so
// `npm install @seqloom/cli` resolves @seqloom/* here and everything else
// from the usual registry (or npm's cache), exactly as a user's install of
// the published packages would.
//
//   node --import tsx tests/packaging/local-registry.ts <folder of .tgz>   prints its URL, serves until killed

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A running registry: its URL (ending in `/`) and how to stop it. */
export interface LocalRegistry {
  url: string;
  close(): Promise<void>;
}

interface Entry {
  manifest: Record<string, unknown> & { name: string; version: string };
  file: string;
  bytes: Buffer;
}

function readTarballs(folder: string): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.tgz'))) {
    const path = join(folder, file);
    const manifest = JSON.parse(execFileSync('tar', ['xzf', path, '-O', 'package/package.json'], { encoding: 'utf8' })) as Entry['manifest'];
    entries.set(manifest.name, { manifest, file, bytes: readFileSync(path) });
  }
  return entries;
}

function packument(entry: Entry, url: string): string {
  const { manifest, file, bytes } = entry;
  const dist = {
    tarball: `${url}-/${file}`,
    integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
    shasum: createHash('sha1').update(bytes).digest('hex'),
  };
  return JSON.stringify({
    name: manifest.name,
    'dist-tags': { latest: manifest.version },
    versions: { [manifest.version]: { ...manifest, _id: `${manifest.name}@${manifest.version}`, dist } },
  });
}

/** Serves the @seqloom/* tarballs of `folder` until closed. */
export async function startLocalRegistry(folder: string): Promise<LocalRegistry> {
  const entries = readTarballs(folder);
  let url = '';
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent((request.url ?? '/').split('?')[0]!).slice(1);
    const byFile = path.startsWith('-/') ? [...entries.values()].find((e) => e.file === path.slice(2)) : undefined;
    if (byFile) {
      response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(byFile.bytes);
      return;
    }
    const entry = entries.get(path);
    if (entry) {
      response.writeHead(200, { 'content-type': 'application/json' }).end(packument(entry, url));
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const registry = await startLocalRegistry(process.argv[2] ?? '.');
  console.log(registry.url);
}
