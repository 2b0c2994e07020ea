import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import type { LongestLengths } from './binarised-header.js';
import { DataError } from './data-error.js';
import { FingerprintBuilder } from './data-fingerprint.js';

const BUFFER_BYTES = 1 << 20;

/** A file written through a 1 MiB buffer of little-endian numbers. */
class NumberFile {
  private readonly fd: number;
  private readonly buffer = new Uint8Array(BUFFER_BYTES);
  private readonly view = new DataView(this.buffer.buffer);
  private used = 0;
  bytes = 0;

  constructor(
    readonly path: string,
    private readonly width: 2 | 4 | 8,
  ) {
    this.fd = openSync(path, 'w');
  }

  put(value: number): void {
    if (this.used + this.width > BUFFER_BYTES) this.flush();
    if (this.width === 2) this.view.setUint16(this.used, value, true);
    else if (this.width === 4) this.view.setUint32(this.used, value, true);
    else this.view.setFloat64(this.used, value, true);
    this.used += this.width;
  }

  /** Appends the numbers of another file of the same width, each plus `shift`. */
  append(other: NumberFile, shift: number): void {
    other.flush();
    const fd = openSync(other.path, 'r');
    try {
      const chunk = new Uint8Array(BUFFER_BYTES);
      const view = new DataView(chunk.buffer);
      for (let position = 0; position < other.bytes; ) {
        const read = readSync(fd, chunk, 0, Math.min(BUFFER_BYTES, other.bytes - position), position);
        for (let k = 0; k < read; k += this.width) {
          const value = this.width === 2 ? view.getUint16(k, true) : this.width === 4 ? view.getUint32(k, true) : view.getFloat64(k, true);
          this.put(value + shift);
        }
        position += read;
      }
    } finally {
      closeSync(fd);
    }
  }

  flush(): void {
    let done = 0;
    while (done < this.used) done += writeSync(this.fd, this.buffer, done, this.used - done);
    this.bytes += this.used;
    this.used = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** One side (train or valid) being written: its tokens, offsets, fingerprint and longest lengths. */
class Part {
  count = 0;
  tokens = 0;
  readonly longest: LongestLengths = { source: 0, target: 0 };
  readonly fingerprint: FingerprintBuilder;

  constructor(
    readonly tokenFile: NumberFile,
    readonly offsetFile: NumberFile,
    bosId: number,
    eosId: number,
  ) {
    this.fingerprint = new FingerprintBuilder(bosId, eosId);
  }
}

/**
 * Writes encoded pairs as a binarised folder's token and offset files,
 * streaming: training examples straight into `tokens.bin`/`offsets.bin`,
 * validation examples into files beside them that are appended at the end,
 * so the training examples come first. Memory is two buffers a side.
 */
export class BinarisedWriter {
  readonly train: { add: (source: readonly number[], target: readonly number[]) => void };
  readonly valid: { add: (source: readonly number[], target: readonly number[]) => void };
  private readonly parts: { train: Part; valid: Part };
  private readonly maxOffset: number;

  constructor(
    private readonly files: { tokens: string; offsets: string },
    readonly tokenDtype: 'uint16' | 'int32',
    readonly offsetDtype: 'uint32' | 'float64',
    bosId: number,
    eosId: number,
  ) {
    const tokenWidth = tokenDtype === 'uint16' ? 2 : 4;
    const offsetWidth = offsetDtype === 'uint32' ? 4 : 8;
    this.maxOffset = offsetDtype === 'uint32' ? 0xffffffff : Number.MAX_SAFE_INTEGER;
    const part = (tokens: string, offsets: string) => new Part(new NumberFile(tokens, tokenWidth), new NumberFile(offsets, offsetWidth), bosId, eosId);
    this.parts = { train: part(files.tokens, files.offsets), valid: part(`${files.tokens}.valid`, `${files.offsets}.valid`) };
    this.parts.train.offsetFile.put(0);
    this.train = { add: (source, target) => this.add(this.parts.train, source, target) };
    this.valid = { add: (source, target) => this.add(this.parts.valid, source, target) };
  }

  private add(part: Part, source: readonly number[], target: readonly number[]): void {
    for (const id of source) part.tokenFile.put(id);
    part.tokens += source.length;
    part.offsetFile.put(part.tokens);
    for (const id of target) part.tokenFile.put(id);
    part.tokens += target.length;
    part.offsetFile.put(part.tokens);
    if (this.parts.train.tokens + this.parts.valid.tokens > this.maxOffset) {
      throw new DataError(`more than ${this.maxOffset} tokens do not fit ${this.offsetDtype} offsets`, { file: this.files.offsets });
    }
    part.count += 1;
    part.longest.source = Math.max(part.longest.source, source.length);
    part.longest.target = Math.max(part.longest.target, target.length + 1);
    part.fingerprint.add(source, target);
  }

  /** Appends the validation examples after the training ones and closes the files; returns what was written. */
  finish() {
    const { train, valid } = this.parts;
    valid.tokenFile.close();
    valid.offsetFile.close();
    train.tokenFile.append(valid.tokenFile, 0);
    train.offsetFile.append(valid.offsetFile, train.tokens);
    train.tokenFile.close();
    train.offsetFile.close();
    unlinkSync(valid.tokenFile.path);
    unlinkSync(valid.offsetFile.path);
    const summary = (p: Part) => ({ count: p.count, longest: p.longest, fingerprint: p.fingerprint.value() });
    return { tokens: train.tokens + valid.tokens, train: summary(train), valid: summary(valid) };
  }

  /** Closes the files after a failure (the folder is thrown away). */
  abandon(): void {
    for (const part of [this.parts.train, this.parts.valid]) {
      for (const file of [part.tokenFile, part.offsetFile]) {
        try {
          file.close();
        } catch {
          // already closed
        }
      }
    }
  }
}
