import { VectorsFormatError } from './errors.js';
import { integerOption } from './trained-layout.js';
import { readUtf8Lines } from './utf8-file.js';

/** Pretrained word vectors: `vectors` is row-major `[words.length × dim]`. */
export interface WordVectors {
  words: string[];
  dim: number;
  vectors: Float32Array;
  /** word → row. */
  index: Map<string, number>;
}

/** Options of {@link readWordVectors}. */
export interface ReadWordVectorsOptions {
  /** Read only the first this many vectors (files are usually sorted by frequency). */
  maxWords?: number;
}

const HEADER = /^\s*(\d+)\s+(\d+)\s*$/;

class VectorTable {
  words: string[] = [];
  index = new Map<string, number>();
  data = new Float32Array(1024);
  used = 0;

  constructor(readonly dim: number) {}

  add(word: string, values: string[], where: string): void {
    if (this.used + this.dim > this.data.length) {
      const grown = new Float32Array(Math.max(this.data.length * 2, this.used + this.dim));
      grown.set(this.data.subarray(0, this.used));
      this.data = grown;
    }
    for (let i = 0; i < this.dim; i++) {
      const value = Number(values[i]);
      if (values[i] === '' || !Number.isFinite(value)) {
        throw new VectorsFormatError(`${where}: value ${i + 1} of "${word}" is ${JSON.stringify(values[i])}; expected a finite number`);
      }
      this.data[this.used + i] = value;
    }
    this.used += this.dim;
    this.index.set(word, this.words.length);
    this.words.push(word);
  }
}

/**
 * Read word vectors in text form: word2vec/GloVe (`word v1 v2 ...` per line) or
 * fastText `.vec` / word2vec text with a `count dim` header line. Every row must have
 * the same number of values; a ragged row is reported with its line number.
 */
export async function readWordVectors(path: string, options: ReadWordVectorsOptions = {}): Promise<WordVectors> {
  const maxWords = integerOption(options.maxWords, 'maxWords', Number.MAX_SAFE_INTEGER, 1);
  let table: VectorTable | null = null;
  let declared: number | null = null;
  let rows = 0;
  for await (const { text: line, line: number } of readUtf8Lines(path, 'vectors file')) {
    if (number === 1) {
      const header = HEADER.exec(line);
      if (header) {
        declared = Number(header[1]);
        table = new VectorTable(Number(header[2]));
        continue;
      }
    }
    if (line.trim() === '') continue;
    const fields = line.trimEnd().split(' ');
    const word = fields[0];
    const values = fields.slice(1);
    const where = `${path} line ${number}`;
    if (table === null) {
      if (values.length === 0) throw new VectorsFormatError(`${where}: "${word}" has no values; expected "word v1 v2 ... vN"`);
      table = new VectorTable(values.length);
    }
    if (values.length !== table.dim) {
      throw new VectorsFormatError(`${where}: row "${word}" has ${values.length} values; expected ${table.dim} like the rows before it (a ragged row)`);
    }
    rows++;
    if (!table.index.has(word)) table.add(word, values, where);
    if (table.words.length >= maxWords) break;
  }
  if (table === null || table.words.length === 0) {
    throw new VectorsFormatError(`${path} holds no vectors; expected lines of "word v1 v2 ... vN" (optionally after a "count dim" header)`);
  }
  if (declared !== null && declared <= maxWords && rows !== declared) {
    throw new VectorsFormatError(`${path}: the header line declares ${declared} vectors but the file holds ${rows} rows; fix the header or the file`);
  }
  return { words: table.words, dim: table.dim, vectors: table.data.slice(0, table.used), index: table.index };
}
