import { join } from 'node:path';
import { loadCheckpoint, Seq2SeqModel, setBackend } from '@seqloom/seq2seq';
import { readTrainingState, resolveCheckpointDir } from '@seqloom/seq2seq/tooling';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reversePairs, TINY_MODEL, tempFolder, writeLines } from './helpers/fixtures.js';
import { type Finished, finished, jsonLines, seqloomInProcess, startSeqloom } from './helpers/run-seqloom.js';

let dir: string;
let cleanup: () => Promise<void>;
let data: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('signals'));
  data = await writeLines(dir, 'pairs.tsv', reversePairs(200, 3));
});
afterAll(() => cleanup());

const TOTAL = 24;
// No evaluation is due within the run: a signal must take effect after the current step, not at the next evaluation.
const args = (out: string, extra: readonly string[] = []) => [
  'train',
  '--data',
  data,
  '--out',
  out,
  ...TINY_MODEL,
  '--dropout',
  '0.1',
  '--eval-every',
  '1000',
  '--max-steps',
  String(TOTAL),
  '--log-json',
  ...extra,
];
const stepLosses = (stdout: string) =>
  new Map(
    jsonLines(stdout)
      .filter((e) => e.event === 'step')
      .map((e) => [e.step as number, e.loss as number]),
  );

/** Starts a training process and sends `signals` once `ready` holds for a line of its JSON output. */
function trainAndSignal(
  out: string,
  signals: NodeJS.Signals[],
  ready: (event: Record<string, unknown>) => boolean,
  extra: readonly string[] = [],
): Promise<Finished> {
  const child = startSeqloom(args(out, extra));
  const done = finished(child);
  let sent = false;
  let seen = '';
  child.stdout.on('data', (chunk: Buffer | string) => {
    seen += chunk.toString();
    if (!sent && jsonLines(seen.slice(0, seen.lastIndexOf('\n') + 1)).some(ready)) {
      sent = true;
      for (const signal of signals) child.kill(signal);
    }
  });
  return done;
}

const lastStep = (run: Finished) => Math.max(0, ...stepLosses(run.stdout).keys());

describe('signals during training (the real binary)', () => {
  it('SIGINT stops after the current step, saves that step, exits 130, and the resumed run is bit-exact', async () => {
    const straight = await seqloomInProcess(args(join(dir, 'straight')));
    expect(straight.code, straight.stderr).toBe(0);
    const reference = stepLosses(straight.stdout);
    expect(reference.size).toBe(TOTAL);

    const out = join(dir, 'sigint');
    const run = await trainAndSignal(out, ['SIGINT'], (e) => e.event === 'step' && (e.step as number) >= 3);
    expect(run.code, run.stderr).toBe(130);
    const stoppedAt = lastStep(run);
    expect(stoppedAt).toBeGreaterThanOrEqual(3);
    expect(stoppedAt).toBeLessThan(TOTAL);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ event: 'done', stopReason: 'aborted', steps: stoppedAt });
    expect((await readTrainingState(join(out, 'last'))).step).toBe(stoppedAt);

    const resumed = await seqloomInProcess(['train', '--resume', out, '--log-json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const after = stepLosses(resumed.stdout);
    expect([...after.keys()]).toEqual(Array.from({ length: TOTAL - stoppedAt }, (_, i) => stoppedAt + 1 + i));
    for (const [step, loss] of after) expect(loss, `step ${step}`).toBe(reference.get(step));
  });

  it('SIGTERM stops after the current step, saves that step and exits 143', async () => {
    const out = join(dir, 'sigterm');
    const run = await trainAndSignal(out, ['SIGTERM'], (e) => e.event === 'step' && (e.step as number) >= 2);
    expect(run.signal).toBeNull();
    expect(run.code, run.stderr).toBe(143);
    const stoppedAt = lastStep(run);
    expect(stoppedAt).toBeGreaterThanOrEqual(2);
    expect(stoppedAt).toBeLessThan(TOTAL);
    expect((await readTrainingState(join(out, 'last'))).step).toBe(stoppedAt);
  });

  it('a second signal exits at once and leaves the previous checkpoint loadable', async () => {
    const out = join(dir, 'twice');
    // two different signals, so that the system does not merge them into one
    const run = await trainAndSignal(out, ['SIGINT', 'SIGTERM'], (e) => e.event === 'checkpoint', ['--eval-every', '2']);
    // Both are sent at once and the process may handle them in either order; the
    // second one handled exits at once with its own status (130 or 143), before `done`.
    expect([130, 143], run.stderr).toContain(run.code);
    expect(jsonLines(run.stdout).some((e) => e.event === 'done')).toBe(false);
    const saved = jsonLines(run.stdout)
      .filter((e) => e.event === 'checkpoint')
      .map((e) => e.step as number);
    // a temporary folder of a save cut short may remain (the next save removes it); the checkpoints stay complete
    const state = await readTrainingState(await resolveCheckpointDir(out, 'last'));
    expect(saved).toContain(state.step);
    await setBackend('cpu');
    const model = await loadCheckpoint(out, { prefer: 'last', createModel: (config) => Seq2SeqModel.create(config) });
    expect(model.state?.step).toBe(state.step);
    model.model.dispose();
  });
});
