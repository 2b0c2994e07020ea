import type { PretrainedEmbedding } from '@seqloom/seq2seq';
import { alignVectors, readWordVectors, type Tokenizer } from '@seqloom/tokenizer';
import { UsageError } from '../cli-error.js';
import type { Output } from '../output.js';

/** Reads word vectors and aligns them to a tokenizer's vocabulary. */
export async function loadPretrainedEmbedding(
  path: string,
  tokenizer: Tokenizer,
  options: { trainable: boolean; seed: number; side: string; out: Output },
): Promise<{ embedding: PretrainedEmbedding; dim: number }> {
  const vectors = await readWordVectors(path);
  const aligned = alignVectors(vectors, tokenizer, { seed: options.seed });
  options.out.info(`${options.side} embeddings: ${path}, ${aligned.dim} dimensions, ${(100 * aligned.coverage).toFixed(1)}% of the vocabulary covered`);
  return { embedding: { matrix: aligned.matrix, trainable: options.trainable }, dim: aligned.dim };
}

/** The embedding size: the vectors' dimension, which an explicit --embedding must match. */
export function embeddingSizeFor(dims: number[], given: number | undefined, fallback: number): number {
  const distinct = [...new Set(dims)];
  if (distinct.length > 1) {
    throw new UsageError(`--source-embeddings and --target-embeddings have different dimensions (${distinct.join(' vs ')}); use vectors of one size`);
  }
  if (distinct.length === 1) {
    if (given !== undefined && given !== distinct[0]) {
      throw new UsageError(`--embedding ${given} does not match the pretrained vectors' ${distinct[0]} dimensions; drop --embedding or use ${distinct[0]}`);
    }
    return distinct[0];
  }
  return given ?? fallback;
}
