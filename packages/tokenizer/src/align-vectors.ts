import { TokenizerOptionError } from './errors.js';
import { seededNormal } from './seeded-random.js';
import type { Tokenizer } from './tokenizer.js';
import type { WordVectors } from './word-vectors.js';

/** Result of {@link alignVectors}. */
export interface AlignedVectors {
  /** Row-major `[vocabSize × dim]`; row i is the vector of token id i. */
  matrix: Float32Array;
  dim: number;
  /** Share of non-special tokens that found a pretrained vector (0..1). */
  coverage: number;
  /** Non-special tokens left without a pretrained vector (randomly initialised). */
  missing: string[];
}

/** Options of {@link alignVectors}. */
export interface AlignVectorsOptions {
  /** Seed of the random initialisation of tokens without a vector. Default 0. */
  seed?: number;
}

/** Per-dimension mean and standard deviation of the loaded vectors. */
function columnStats(vectors: WordVectors): { mean: Float64Array; std: Float64Array } {
  const { dim, vectors: data } = vectors;
  const rows = data.length / dim;
  const mean = new Float64Array(dim);
  const std = new Float64Array(dim);
  for (let r = 0; r < rows; r++) for (let d = 0; d < dim; d++) mean[d] += data[r * dim + d];
  for (let d = 0; d < dim; d++) mean[d] /= rows;
  for (let r = 0; r < rows; r++) {
    for (let d = 0; d < dim; d++) std[d] += (data[r * dim + d] - mean[d]) ** 2;
  }
  for (let d = 0; d < dim; d++) std[d] = Math.sqrt(std[d] / Math.max(1, rows - 1));
  return { mean, std };
}

/** Words to look up for a token: itself, its decoded text (drops Ġ/## markers), and lowercase forms. */
function candidates(tokenizer: Tokenizer, id: number, token: string): string[] {
  const text = tokenizer.decode([id], { skipSpecialTokens: false }).trim();
  const bare = token.startsWith('##') ? token.slice(2) : token;
  return [...new Set([token, text, bare, token.toLowerCase(), text.toLowerCase(), bare.toLowerCase()])].filter((w) => w !== '');
}

/**
 * Build an embedding matrix for `tokenizer`'s vocabulary from pretrained vectors.
 * Each token takes the vector of itself, else of its decoded text, else of a
 * lowercase form. The pad row is zero; every other token without a vector is drawn
 * from a normal distribution with the loaded vectors' per-dimension mean and spread,
 * seeded, so the same seed gives the same matrix.
 */
export function alignVectors(vectors: WordVectors, tokenizer: Tokenizer, options: AlignVectorsOptions = {}): AlignedVectors {
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new TokenizerOptionError(`seed must be an integer, got ${JSON.stringify(seed)}`);
  const { dim } = vectors;
  const matrix = new Float32Array(tokenizer.vocabSize * dim);
  const { mean, std } = columnStats(vectors);
  const normal = seededNormal(seed);
  const specials = new Set(Object.values(tokenizer.specialTokens));
  const missing: string[] = [];
  let regular = 0;
  for (let id = 0; id < tokenizer.vocabSize; id++) {
    const token = tokenizer.idToToken(id);
    if (id === tokenizer.padId) continue;
    const isSpecial = token === undefined || specials.has(token);
    if (!isSpecial) regular++;
    const row = isSpecial
      ? undefined
      : candidates(tokenizer, id, token)
          .map((w) => vectors.index.get(w))
          .find((r) => r !== undefined);
    if (row !== undefined) {
      matrix.set(vectors.vectors.subarray(row * dim, (row + 1) * dim), id * dim);
      continue;
    }
    if (!isSpecial) missing.push(token);
    for (let d = 0; d < dim; d++) matrix[id * dim + d] = mean[d] + std[d] * normal();
  }
  return { matrix, dim, coverage: regular === 0 ? 0 : (regular - missing.length) / regular, missing };
}
