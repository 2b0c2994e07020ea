import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { BinarisedHeader } from './binarised-header.js';
import { DataError } from './data-error.js';
import type { ExampleStore } from './example-store.js';
import type { SequenceExample } from './sequence-example.js';

/** Bytes of an offset block the reader caches, and how many blocks it keeps. */
const BLOCK_BYTES = 4096;
const CACHED_BLOCKS = 256;
/** Bytes of offsets checked at a time when a folder is opened. */
const CHECK_CHUNK = 1 << 20;

/** Open token and offset files of a binarised folder, read with positioned reads only. */
export class BinarisedFiles {
  readonly tokenBytes: 2 | 4;
  readonly offsetBytes: 4 | 8;
  /** Bytes read from disk so far (for tests and benchmarks). */
  bytesRead = 0;
  private readonly tokensFd: number;
  private readonly offsetsFd: number;
  private readonly block = new Uint8Array(BLOCK_BYTES * CACHED_BLOCKS);
  private readonly blockTags = new Float64Array(CACHED_BLOCKS).fill(-1);
  private tokenBuffer = new Uint8Array(1024);
  private readonly vocabSize: number;

  constructor(
    readonly header: BinarisedHeader,
    readonly tokensFile: string,
    readonly offsetsFile: string,
  ) {
    this.tokenBytes = header.tokenDtype === 'uint16' ? 2 : 4;
    this.offsetBytes = header.offsetDtype === 'uint32' ? 4 : 8;
    this.vocabSize = Math.max(header.tokenizers.source.vocabSize, header.tokenizers.target.vocabSize);
    this.tokensFd = openSync(tokensFile, 'r');
    this.offsetsFd = openSync(offsetsFile, 'r');
    try {
      this.checkSizes();
      this.checkOffsets();
    } catch (error) {
      this.close();
      throw error;
    }
  }

  /** Bytes the reader holds in memory: the offset cache and the token buffer. */
  get bufferedBytes(): number {
    return this.block.byteLength + this.tokenBuffer.byteLength;
  }

  private checkSizes(): void {
    const tokens = fstatSync(this.tokensFd).size;
    const offsets = fstatSync(this.offsetsFd).size;
    if (tokens !== this.header.tokens * this.tokenBytes) {
      throw new DataError(
        `has ${tokens} bytes, but the header gives ${this.header.tokens} tokens of ${this.tokenBytes} bytes; the folder is damaged, write it again`,
        { file: this.tokensFile },
      );
    }
    if (offsets !== (2 * this.header.examples + 1) * this.offsetBytes) {
      throw new DataError(
        `has ${offsets} bytes, but ${this.header.examples} examples need ${(2 * this.header.examples + 1) * this.offsetBytes}; the folder is damaged, write it again`,
        { file: this.offsetsFile },
      );
    }
  }

  /** Streams the offsets once: they must start at 0, never decrease and end at the token count. */
  private checkOffsets(): void {
    const chunk = new Uint8Array(CHECK_CHUNK);
    const view = new DataView(chunk.buffer);
    const total = 2 * this.header.examples + 1;
    let previous = 0;
    for (let index = 0; index < total; ) {
      const count = Math.min(total - index, CHECK_CHUNK / this.offsetBytes);
      this.readFully(this.offsetsFd, chunk, count * this.offsetBytes, index * this.offsetBytes);
      for (let k = 0; k < count; k++, index++) {
        const value = this.offsetBytes === 4 ? view.getUint32(k * 4, true) : view.getFloat64(k * 8, true);
        const bad = index === 0 ? value !== 0 : !(value >= previous && value <= this.header.tokens && Number.isInteger(value));
        if (bad) {
          throw new DataError(
            `offset ${index} is ${value} after ${previous}: offsets must start at 0, never decrease and stay within the ${this.header.tokens} tokens; the folder is damaged, write it again`,
            { file: this.offsetsFile },
          );
        }
        previous = value;
      }
    }
    if (previous !== this.header.tokens) {
      throw new DataError(`the last offset is ${previous}, not the token count ${this.header.tokens}; the folder is damaged, write it again`, {
        file: this.offsetsFile,
      });
    }
  }

  private readFully(fd: number, into: Uint8Array, length: number, position: number): void {
    let done = 0;
    while (done < length) {
      const read = readSync(fd, into, done, length - done, position + done);
      if (read === 0)
        throw new DataError(`ends before byte ${position + length}; the folder is damaged, write it again`, {
          file: fd === this.tokensFd ? this.tokensFile : this.offsetsFile,
        });
      done += read;
    }
    this.bytesRead += length;
  }

  /** Offset `j` of the offsets file, through a direct-mapped cache of 4 KiB blocks. */
  offset(j: number): number {
    const byte = j * this.offsetBytes;
    const blockIndex = Math.floor(byte / BLOCK_BYTES);
    const slot = blockIndex % CACHED_BLOCKS;
    if (this.blockTags[slot] !== blockIndex) {
      const start = blockIndex * BLOCK_BYTES;
      const end = Math.min(start + BLOCK_BYTES, (2 * this.header.examples + 1) * this.offsetBytes);
      this.readFully(this.offsetsFd, this.block.subarray(slot * BLOCK_BYTES), end - start, start);
      this.blockTags[slot] = blockIndex;
    }
    const view = new DataView(this.block.buffer, slot * BLOCK_BYTES + (byte % BLOCK_BYTES), this.offsetBytes);
    return this.offsetBytes === 4 ? view.getUint32(0, true) : view.getFloat64(0, true);
  }

  /** Token ids `[start, end)` copied into `into` from `at`; an id outside the vocabulary is a {@link DataError}. */
  readTokens(start: number, end: number, into: Int32Array, at: number): void {
    const bytes = (end - start) * this.tokenBytes;
    if (bytes > this.tokenBuffer.length) this.tokenBuffer = new Uint8Array(Math.max(bytes, this.tokenBuffer.length * 2));
    this.readFully(this.tokensFd, this.tokenBuffer, bytes, start * this.tokenBytes);
    const view = new DataView(this.tokenBuffer.buffer);
    for (let k = 0; k < end - start; k++) {
      const id = this.tokenBytes === 2 ? view.getUint16(k * 2, true) : view.getInt32(k * 4, true);
      if (!(id >= 0 && id < this.vocabSize)) {
        throw new DataError(`token ${start + k} is ${id}, not an id of the ${this.vocabSize}-token vocabulary; the folder is damaged, write it again`, {
          file: this.tokensFile,
        });
      }
      into[at + k] = id;
    }
  }

  close(): void {
    closeSync(this.tokensFd);
    closeSync(this.offsetsFd);
  }
}

/**
 * Examples `[first, first + size)` of a binarised folder, read from disk by
 * index: memory is a few kilobytes of cached offsets and one example's
 * tokens, whatever the corpus.
 */
export class BinarisedStore implements ExampleStore {
  private scratch = new Int32Array(256);

  constructor(
    readonly files: BinarisedFiles,
    readonly first: number,
    readonly size: number,
    readonly knownFingerprint: string,
    readonly knownLongest: { source: number; target: number },
  ) {}

  private bounds(i: number): [number, number, number] {
    const j = 2 * (this.first + i);
    return [this.files.offset(j), this.files.offset(j + 1), this.files.offset(j + 2)];
  }

  sourceLength(i: number): number {
    const j = 2 * (this.first + i);
    return this.files.offset(j + 1) - this.files.offset(j);
  }

  targetLength(i: number): number {
    const j = 2 * (this.first + i);
    return this.files.offset(j + 2) - this.files.offset(j + 1) + 1;
  }

  copySource(i: number, into: Int32Array, at: number): void {
    const [start, middle] = this.bounds(i);
    this.files.readTokens(start, middle, into, at);
  }

  copyTarget(i: number, targetIn: Int32Array, targetOut: Int32Array, at: number): void {
    const [, middle, end] = this.bounds(i);
    const length = end - middle;
    if (length > this.scratch.length) this.scratch = new Int32Array(length * 2);
    this.files.readTokens(middle, end, this.scratch, 0);
    targetIn[at] = this.files.header.bosId;
    targetIn.set(this.scratch.subarray(0, length), at + 1);
    targetOut.set(this.scratch.subarray(0, length), at);
    targetOut[at + length] = this.files.header.eosId;
  }

  example(i: number): SequenceExample {
    const source = new Int32Array(this.sourceLength(i));
    const length = this.targetLength(i);
    const targetIn = new Int32Array(length);
    const targetOut = new Int32Array(length);
    this.copySource(i, source, 0);
    this.copyTarget(i, targetIn, targetOut, 0);
    return { source: Array.from(source), targetIn: Array.from(targetIn), targetOut: Array.from(targetOut) };
  }
}
