import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { train } from '../src/index.js';
import { crc32c, maskedCrc32c } from '../src/train/tensorboard/crc32c.js';
import { EventFileWriter } from '../src/train/tensorboard/event-file-writer.js';
import { encodeEvent } from '../src/train/tensorboard/event-proto.js';
import { markdownTable } from '../src/train/tensorboard/markdown-table.js';
import { tfRecord } from '../src/train/tensorboard/tf-record.js';
import { eventStep, trimEventFiles } from '../src/train/tensorboard/trim-event-files.js';
import { reverseExamples, ToyModel, toyConfig } from './toy-model.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const hex = (data: Uint8Array) => Buffer.from(data).toString('hex');

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'seqloom-tensorboard-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('CRC-32C', () => {
  it('matches the known vectors', () => {
    expect(crc32c(bytes('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa); // RFC 3720 B.4: 32 bytes of zeros
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43); // 32 bytes of ones
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e); // incrementing
  });

  it('masks as TFRecord does: rotate right 15, add 0xa282ead8', () => {
    const crc = 0xe3069283;
    const expected = ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) % 2 ** 32;
    expect(maskedCrc32c(bytes('123456789'))).toBe(expected);
  });
});

describe('TFRecord framing', () => {
  it('is length, masked CRC of the length, data, masked CRC of the data (little-endian)', () => {
    const data = bytes('hello event');
    const record = tfRecord(data);
    const view = new DataView(record.buffer);
    expect(record.length).toBe(8 + 4 + data.length + 4);
    expect(view.getBigUint64(0, true)).toBe(BigInt(data.length));
    expect(view.getUint32(8, true)).toBe(maskedCrc32c(record.subarray(0, 8)));
    expect(record.subarray(12, 12 + data.length)).toEqual(data);
    expect(view.getUint32(12 + data.length, true)).toBe(maskedCrc32c(data));
  });

  it("equals the bytes of TensorBoard's RecordWriter for the file_version event", () => {
    // Python: RecordWriter(buf).write(Event(wall_time=1.5, file_version='brain.Event:2').SerializeToString())
    const record = tfRecord(encodeEvent({ wallTime: 1.5, step: 0, content: { fileVersion: 'brain.Event:2' } }));
    expect(hex(record)).toBe('1800000000000000a37f4b2209000000000000f83f1a0d627261696e2e4576656e743a322a28646c');
  });
});

describe('Event protobufs (bytes as tensorboard.compat.proto serializes them)', () => {
  it('scalars, a zero one included (oneof members are always written)', () => {
    const event = encodeEvent({
      wallTime: 1700000000.25,
      step: 7,
      content: {
        summary: [
          { tag: 'train/loss', scalar: 0.25 },
          { tag: 'x', scalar: 0 },
        ],
      },
    });
    expect(hex(event)).toBe('0900001040fc54d94110072a1d0a110a0a747261696e2f6c6f7373150000803e0a080a01781500000000');
  });

  it('SessionLog.START at a step, wall time 0 left out', () => {
    expect(hex(encodeEvent({ wallTime: 0, step: 3, content: { sessionStart: true } }))).toBe('10033a020801');
  });

  it('text as the text plugin\'s text_pb writes it (a DT_STRING scalar tensor, plugin "text")', () => {
    const event = encodeEvent({ wallTime: 2, step: 300, content: { summary: [{ tag: 'run/options', text: 'hi | there ü' }] } });
    expect(hex(event)).toBe('09000000000000004010ac022a2e0a2c0a0b72756e2f6f7074696f6e73421308071200420d6869207c20746865726520c3bc4a080a060a0474657874');
  });
});

describe('EventFileWriter', () => {
  it('names files events.out.tfevents.<seconds>.<host>.<pid>.seqloom, a second file of the same second one second later', async () => {
    const dir = join(root, 'names');
    const a = EventFileWriter.create(dir, 1700000000.5);
    const b = EventFileWriter.create(dir, 1700000000.7);
    expect(a.path).toMatch(new RegExp(`events\\.out\\.tfevents\\.1700000000\\..+\\.${process.pid}\\.seqloom$`));
    expect(b.path).toMatch(/tfevents\.1700000001\./);
    expect((await readdir(dir)).sort()).toHaveLength(2);
  });

  it('buffers events until flush, then appends them in one write', async () => {
    const writer = EventFileWriter.create(join(root, 'buffer'), 1);
    const before = (await readFile(writer.path)).length;
    writer.add({ wallTime: 2, step: 1, content: { summary: [{ tag: 'a', scalar: 1 }] } });
    expect((await readFile(writer.path)).length).toBe(before);
    writer.flush();
    const after = await readFile(writer.path);
    expect(after.length).toBeGreaterThan(before);
    expect(after.subarray(before)).toEqual(Buffer.from(tfRecord(encodeEvent({ wallTime: 2, step: 1, content: { summary: [{ tag: 'a', scalar: 1 }] } }))));
  });
});

describe('trimEventFiles (a resumed run)', () => {
  it("drops the events after the resumed step and a torn tail, from seqloom's files only", async () => {
    const dir = join(root, 'trim');
    const writer = EventFileWriter.create(dir, 5);
    for (const step of [1, 2, 3]) writer.add({ wallTime: 5, step, content: { summary: [{ tag: 'a', scalar: step }] } });
    writer.flush();
    const torn = tfRecord(encodeEvent({ wallTime: 5, step: 4, content: { summary: [{ tag: 'a', scalar: 4 }] } })).subarray(0, 20);
    await appendFile(writer.path, torn);
    const other = join(dir, 'events.out.tfevents.1.host.1.other');
    await writeFile(other, tfRecord(encodeEvent({ wallTime: 5, step: 9, content: { sessionStart: true } })));
    const before = await readFile(other);
    trimEventFiles(dir, 2);
    const kept = await readFile(writer.path);
    const expected = [0, 1, 2].map((step) =>
      step === 0
        ? tfRecord(encodeEvent({ wallTime: 5, step: 0, content: { fileVersion: 'brain.Event:2' } }))
        : tfRecord(encodeEvent({ wallTime: 5, step, content: { summary: [{ tag: 'a', scalar: step }] } })),
    );
    expect(kept).toEqual(Buffer.concat(expected));
    expect(await readFile(other)).toEqual(before);
    expect((await readdir(dir)).sort()).toEqual([other, writer.path].map((p) => p.slice(dir.length + 1)).sort());
  });

  it("reads an event's step past the fields before it", () => {
    expect(eventStep(encodeEvent({ wallTime: 1.5, step: 300, content: { sessionStart: true } }))).toBe(300);
    expect(eventStep(encodeEvent({ wallTime: 1.5, step: 0, content: { fileVersion: 'x' } }))).toBe(0);
  });
});

describe('markdown tables', () => {
  it('escapes Markdown and table syntax and keeps spaces, so a cell shows its text', () => {
    expect(markdownTable(['a', 'b'], [['x|y', '*<b>*\nz']])).toBe('| a | b |\n| --- | --- |\n| x\\|y | \\*&lt;b>\\* ↵ z |');
    expect(markdownTable(['a'], [['  a '], ['   '], ['']])).toBe('| a |\n| --- |\n| &nbsp; a&nbsp; |\n| &nbsp;&nbsp;&nbsp; |\n|  |');
  });
});

describe('train option tensorboard', () => {
  const examples = reverseExamples(8, 5);
  const base = () => ({ model: new ToyModel(toyConfig(), { seed: 1 }), train: examples, batchSize: 4, maxSteps: 2 });

  it('refuses a bad value, and a run without outDir, naming the option', async () => {
    const refused = async (options: Partial<Parameters<typeof train>[0]>, message: string | RegExp) => {
      const run = base();
      await expect(train({ ...run, ...options })).rejects.toThrow(message);
      run.model.dispose();
    };
    await refused({ outDir: join(root, 'bad'), tensorboard: '' }, /train option tensorboard must be a folder path or \{ dir, examples\? \}, got ""/);
    await refused(
      { outDir: join(root, 'bad'), tensorboard: { dir: join(root, 'tb'), examples: -1 } },
      'train option tensorboard.examples must be an integer >= 0, got -1',
    );
    await refused({ tensorboard: join(root, 'tb') }, 'train option tensorboard needs outDir: its scalars are the records of <outDir>/metrics.jsonl');
  });

  it('writes an event file with a model that cannot decode (no examples, the rest as usual)', async () => {
    const dir = join(root, 'toy-tb');
    const summary = await train({ ...base(), valid: examples.slice(0, 4), outDir: join(root, 'toy'), tensorboard: dir, logEvery: 1 });
    summary.model.dispose();
    const [file] = await readdir(dir);
    const data = await readFile(join(dir, file!));
    expect(data.includes(Buffer.from('train/loss'))).toBe(true);
    expect(data.includes(Buffer.from('valid/perplexity'))).toBe(true);
    expect(data.includes(Buffer.from('run/options'))).toBe(true);
    expect(data.includes(Buffer.from('valid/examples'))).toBe(false);
  });
});
