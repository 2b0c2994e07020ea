import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ADDON_PATH } from '../src/internal.js';
import { unavailable } from './native-available.js';

const SCRIPT = fileURLToPath(new URL('./support/signal-products.mjs', import.meta.url));

describe.skipIf(unavailable !== undefined)('signals during a product', () => {
  it('2,000 products under `node --cpu-prof` (a SIGPROF every 50 µs) finish, and the heap stays intact', () => {
    // Before the addon held signals back around oneDNN's sgemm, this process died within
    // a fraction of a second with "corrupted size vs. prev_size" or "double free or corruption".
    const dir = mkdtempSync(join(tmpdir(), 'seqloom-cpu-prof-'));
    try {
      const run = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-interval', '50', '--cpu-prof-dir', dir, SCRIPT, ADDON_PATH, '2000'], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect({ status: run.status, signal: run.signal, stdout: run.stdout.trim(), stderr: run.stderr.trim() }).toEqual({
        status: 0,
        signal: null,
        stdout: 'ok',
        stderr: '',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
