import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reversePairs, TINY_MODEL, tempFolder, writeLines } from './helpers/fixtures.js';
import { finished, jsonLines, seqloomInProcess, startSeqloom } from './helpers/run-seqloom.js';

let dir: string;
let cleanup: () => Promise<void>;
let data: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('resume'));
  data = await writeLines(dir, 'pairs.tsv', reversePairs(200, 5));
});
afterAll(() => cleanup());

const COMMON = ['--data', '', ...TINY_MODEL, '--dropout', '0.1', '--eval-every', '4', '--log-json'];
const withData = () => COMMON.map((a) => (a === '' ? data : a));
const stepLosses = (events: Record<string, unknown>[]) => new Map(events.filter((e) => e.event === 'step').map((e) => [e.step as number, e.loss as number]));

describe('Ctrl-C during training, then --resume', () => {
  it('writes a checkpoint, exits 130, and the resumed run matches an uninterrupted one', async () => {
    const total = 40;
    const reference = await seqloomInProcess(['train', ...withData(), '--out', join(dir, 'straight'), '--max-steps', String(total)]);
    expect(reference.code).toBe(0);
    const straight = stepLosses(jsonLines(reference.stdout));
    expect(straight.size).toBe(total);

    const out = join(dir, 'interrupted');
    const child = startSeqloom(['train', ...withData(), '--out', out, '--max-steps', '100000']);
    const done = finished(child);
    let sent = false;
    let seen = '';
    child.stdout.on('data', (chunk: Buffer | string) => {
      seen += chunk.toString();
      if (!sent && seen.includes('"event":"checkpoint"')) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const first = await done;
    expect(first.code).toBe(130);
    const events = jsonLines(first.stdout);
    const stop = events.at(-1)!;
    expect(stop).toMatchObject({ event: 'done', stopReason: 'aborted' });
    const stoppedAt = stop.steps as number;
    expect(stoppedAt).toBeGreaterThanOrEqual(4);
    expect(stoppedAt).toBeLessThan(total);
    for (const [step, loss] of stepLosses(events)) expect(loss).toBeCloseTo(straight.get(step)!, 6);

    const resumed = await seqloomInProcess(['train', '--resume', out, '--max-steps', String(total), '--log-json']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const after = stepLosses(jsonLines(resumed.stdout));
    expect([...after.keys()][0]).toBe(stoppedAt + 1);
    expect(Math.max(...after.keys())).toBe(total);
    for (const [step, loss] of after) expect(loss, `step ${step}`).toBeCloseTo(straight.get(step)!, 6);
  });

  it('refuses to change the model when resuming', async () => {
    const out = join(dir, 'straight');
    const run = await seqloomInProcess(['train', '--resume', out, '--hidden', '64']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('seqloom: --hidden cannot change when resuming (the run used 32); start a new run with --out instead');
  });
});
