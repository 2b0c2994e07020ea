import { join } from 'node:path';
import { writeFileAtomic } from '@seqloom/core/node';
import { TokenizerOptionError } from './errors.js';
import type { Tokenizer } from './tokenizer.js';

/** Make a token printable on one TSV cell. */
function tsvCell(token: string): string {
  return token.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/**
 * Write `vectors.tsv` (one row of `dim` tab-separated values per token id) and
 * `metadata.tsv` (the token of each row) into `dir` for the TensorBoard Embedding
 * Projector (projector.tensorflow.org → Load). Tabs and newlines in tokens are escaped.
 */
export async function writeProjectorFiles(dir: string, tokenizer: Tokenizer, matrix: Float32Array, dim: number): Promise<void> {
  if (!Number.isInteger(dim) || dim < 1) throw new TokenizerOptionError(`dim must be a positive integer, got ${JSON.stringify(dim)}`);
  if (matrix.length !== tokenizer.vocabSize * dim) {
    throw new TokenizerOptionError(
      `matrix has ${matrix.length} values; expected vocabSize × dim = ${tokenizer.vocabSize} × ${dim} = ${tokenizer.vocabSize * dim}`,
    );
  }
  const rows: string[] = [];
  const labels: string[] = [];
  for (let id = 0; id < tokenizer.vocabSize; id++) {
    rows.push(Array.from(matrix.subarray(id * dim, (id + 1) * dim), (v) => String(v)).join('\t'));
    labels.push(tsvCell(tokenizer.idToToken(id) ?? `<id ${id}>`));
  }
  await writeFileAtomic(join(dir, 'vectors.tsv'), `${rows.join('\n')}\n`);
  await writeFileAtomic(join(dir, 'metadata.tsv'), `${labels.join('\n')}\n`);
}
