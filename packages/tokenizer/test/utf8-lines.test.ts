import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNumberedTextLines, readStreamTextLines, readTextLines, Utf8Error } from '../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seqloom-utf8-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect<T>(lines: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

/** A byte stream delivered in the given chunks (to split lines and characters across reads). */
function chunked(...chunks: number[][]): Readable {
  return Readable.from(chunks.map((c) => Buffer.from(c)));
}

describe('the strict UTF-8 line reader', () => {
  it('reads a file and a stream alike: BOM dropped, \\r\\n ends, last line without an end', async () => {
    const bytes = Buffer.from('\ufeffabc\r\n\ufeffkeep\nend');
    const path = join(dir, 'bom.txt');
    await writeFile(path, bytes);
    expect(await collect(readTextLines(path, '--input'))).toEqual(['abc', '\ufeffkeep', 'end']);
    expect(await collect(readStreamTextLines(Readable.from([bytes]), 'standard input'))).toEqual(['abc', '\ufeffkeep', 'end']);
    expect(await collect(readNumberedTextLines(path, '--input'))).toEqual([
      { text: 'abc', line: 1 },
      { text: '\ufeffkeep', line: 2 },
      { text: 'end', line: 3 },
    ]);
  });

  it('joins lines and characters split across chunks', async () => {
    const e = [0xc3, 0xa9]; // é
    const lines = await collect(readStreamTextLines(chunked([0x61, e[0]], [e[1], 0x0a, 0x62], [0x0a]), 'standard input'));
    expect(lines).toEqual(['aé', 'b']);
  });

  it('names the stream and the line of the first bad byte, even when it follows a split character', async () => {
    const stream = chunked([0x61, 0x62, 0x63, 0x0a, 0xc3], [0xa9, 0x0a, 0xff, 0x0a]);
    const error = await collect(readStreamTextLines(stream, 'standard input')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Utf8Error);
    expect((error as Utf8Error).message).toBe('standard input is not UTF-8 (invalid bytes at line 3); send UTF-8 text');
    expect((error as Utf8Error).line).toBe(3);
  });

  it('rejects a character cut off at the end of a file, naming the line', async () => {
    const path = join(dir, 'cut.txt');
    await writeFile(path, Buffer.from([0x61, 0x0a, 0x62, 0xe2, 0x82]));
    await expect(collect(readTextLines(path, 'corpus file'))).rejects.toThrow(
      `corpus file ${path} is not UTF-8 (invalid bytes at line 2); re-save it as UTF-8`,
    );
  });
});
