import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reversePairs, TINY_MODEL, tempFolder, writeLines } from './helpers/fixtures.js';
import { REPO_ROOT, seqloomInProcess } from './helpers/run-seqloom.js';
import { eventFiles, type ReadEvent, readEventFile } from './helpers/tf-events.js';

const TRAIN_TAGS = { loss: 'train/loss', learningRate: 'train/learning_rate', tokensPerSecond: 'train/tokens_per_second', gradNorm: 'train/grad_norm' };
const EVAL_TAGS = { loss: 'valid/loss', perplexity: 'valid/perplexity', accuracy: 'valid/accuracy' };
const SCRIPT = join(REPO_ROOT, 'tests/python/read_tensorboard.py');

let dir: string;
let cleanup: () => Promise<void>;
let data: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('tensorboard'));
  data = await writeLines(dir, 'pairs.tsv', reversePairs(200, 7));
});
afterAll(() => cleanup());

/** metrics.jsonl as tag → [step, value rounded to float32] (what the event files must hold). */
function expectedScalars(run: string): Map<string, [number, number][]> {
  const expected = new Map<string, [number, number][]>();
  for (const line of readFileSync(join(run, 'metrics.jsonl'), 'utf8').split('\n').filter(Boolean)) {
    const record = JSON.parse(line) as Record<string, number> & { kind: string; step: number };
    for (const [key, tag] of Object.entries(record.kind === 'train' ? TRAIN_TAGS : EVAL_TAGS)) {
      expected.set(tag, [...(expected.get(tag) ?? []), [record.step, Math.fround(record[key]!)]]);
    }
  }
  return expected;
}

/**
 * What TensorBoard shows from a folder's files, read in name order: a
 * SessionLog.START (status 1) at step s drops what was read at steps ≥ s.
 */
function shown(dir: string): { scalars: Map<string, [number, number][]>; texts: Map<string, [number, string][]>; events: ReadEvent[][] } {
  const scalars = new Map<string, [number, number][]>();
  const texts = new Map<string, [number, string][]>();
  const events = eventFiles(dir).map(readEventFile);
  for (const file of events) {
    expect(file[0]!.fileVersion).toBe('brain.Event:2');
    for (const event of file) {
      if (event.sessionStatus === 1) {
        for (const map of [scalars, texts] as Map<string, [number, unknown][]>[]) {
          for (const [tag, list] of map)
            map.set(
              tag,
              list.filter(([step]) => step < event.step),
            );
        }
      }
      for (const v of event.values) {
        if (v.scalar !== undefined) scalars.set(v.tag, [...(scalars.get(v.tag) ?? []), [event.step, v.scalar]]);
        if (v.text !== undefined) {
          expect(v.plugin).toBe('text');
          texts.set(v.tag, [...(texts.get(v.tag) ?? []), [event.step, v.text]]);
        }
      }
    }
  }
  return { scalars, texts, events };
}

/** A Python that has `tensorboard`: $PYTHON, the fixtures' venv, or python3; null when none has it. */
function pythonWithTensorBoard(): string | null {
  for (const python of [process.env.PYTHON, '/work/venv-fixtures/bin/python', 'python3']) {
    if (!python || (python.includes('/') && !existsSync(python))) continue;
    if (spawnSync(python, ['-c', 'import tensorboard'], { encoding: 'utf8' }).status === 0) return python;
  }
  return null;
}

const train = (args: string[]) => seqloomInProcess(['train', ...args, '-q'], { cwd: dir });

describe('seqloom train --tensorboard', () => {
  const run = () => join(dir, 'run');
  const board = () => join(dir, 'tb');

  it('writes the scalars of metrics.jsonl, decoded examples each evaluation and the options', async () => {
    const first = await train([
      '--data',
      data,
      '--out',
      'run',
      ...TINY_MODEL,
      '--max-steps',
      '12',
      '--eval-every',
      '4',
      '--log-every',
      '2',
      '--valid-fraction',
      '0.1',
      '--tensorboard',
      'tb',
    ]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const { scalars, texts, events } = shown(board());
    expect(events).toHaveLength(1);
    expect(scalars).toEqual(expectedScalars(run()));
    expect(scalars.get('train/loss')!.map(([step]) => step)).toEqual([2, 4, 6, 8, 10, 12]);
    expect(texts.get('run/options')!.map(([step]) => step)).toEqual([0]);
    expect(texts.get('run/options')![0]![1]).toContain('| max-steps | 12 |');
    const examples = texts.get('valid/examples')!;
    expect(examples.map(([step]) => step)).toEqual([4, 8, 12]);
    expect(examples[0]![1].split('\n')).toHaveLength(2 + 3);
    expect(examples[0]![1].split('\n')[0]).toBe('| source | reference | greedy output |');
    // saved absolute in run.json, so --resume from anywhere writes to the same folder
    expect(JSON.parse(readFileSync(join(run(), 'run.json'), 'utf8')).options.tensorboard).toBe(board());
  });

  it('a resumed run adds a file and repeats no step, also when it resumes from before the last logged step', async () => {
    await cp(join(run(), 'last'), join(dir, 'step-12'), { recursive: true });
    const resumed = await train(['--resume', run(), '--max-steps', '20']);
    expect(resumed.code, resumed.stderr).toBe(0);
    let view = shown(board());
    expect(view.events).toHaveLength(2);
    const raw = view.events.flat().flatMap((e) => e.values.map((v) => `${v.tag}@${e.step}`));
    expect(new Set(raw).size).toBe(raw.length); // not even the raw files hold a step twice
    expect(view.scalars).toEqual(expectedScalars(run()));
    expect(view.texts.get('run/options')!.map(([step]) => step)).toEqual([0, 13]);

    // as after a crash past the last checkpoint: the files hold steps 13–20, the run goes on from 12
    await rm(join(run(), 'last'), { recursive: true });
    await cp(join(dir, 'step-12'), join(run(), 'last'), { recursive: true });
    const again = await train(['--resume', run(), '--max-steps', '24']);
    expect(again.code, again.stderr).toBe(0);
    view = shown(board());
    expect(view.events).toHaveLength(3);
    // the second file lost what it held past step 12 (all of it), as metrics.jsonl did
    expect(view.events[1]!.map((e) => e.step)).toEqual([0]);
    const all = view.events.flat().flatMap((e) => e.values.map((v) => `${v.tag}@${e.step}`));
    expect(new Set(all).size).toBe(all.length);
    expect(view.events[2]!.find((e) => e.sessionStatus === 1)?.step).toBe(13);
    expect(view.scalars).toEqual(expectedScalars(run()));
    expect(view.scalars.get('valid/loss')!.map(([step]) => step)).toEqual([4, 8, 12, 16, 20, 24]);
    expect(view.texts.get('valid/examples')!.map(([step]) => step)).toEqual([4, 8, 12, 16, 20, 24]);
  });

  it('a language model shows greedy continuations of primes from its validation windows', async () => {
    const text = await writeLines(dir, 'text.txt', ['the cat sat on the mat and the rat sat on the cat. '.repeat(20)]);
    const lm = await train([
      '--data',
      text,
      '--task',
      'lm',
      '--out',
      'lm',
      '--hidden',
      '16',
      '--embedding',
      '8',
      '--window',
      '16',
      '--batch-size',
      '4',
      '--max-steps',
      '4',
      '--eval-every',
      '2',
      '--backend',
      'wasm',
      '--tensorboard',
      'lm-tb',
    ]);
    expect(lm.code, lm.stderr).toBe(0);
    const { scalars, texts } = shown(join(dir, 'lm-tb'));
    expect(scalars).toEqual(expectedScalars(join(dir, 'lm')));
    const [header, , ...rows] = texts.get('valid/examples')!.at(-1)![1].split('\n');
    expect(header).toBe('| prime | reference | greedy continuation |');
    expect(rows).toHaveLength(3);
  });

  it("TensorBoard's EventAccumulator reads every scalar back (Python; skipped without tensorboard)", (ctx) => {
    const python = pythonWithTensorBoard();
    if (python === null) {
      console.log(
        'skipped: no Python with tensorboard ($PYTHON, /work/venv-fixtures/bin/python, python3); pip install tensorboard to run tests/python/read_tensorboard.py',
      );
      ctx.skip();
      return;
    }
    const check = spawnSync(python, [SCRIPT, '--logdir', board(), '--metrics', join(run(), 'metrics.jsonl')], { encoding: 'utf8' });
    console.log(check.stdout);
    expect(check.status, `${check.stdout}\n${check.stderr}`).toBe(0);
    expect(check.stdout).toMatch(/read_tensorboard: OK/);
  });
});
