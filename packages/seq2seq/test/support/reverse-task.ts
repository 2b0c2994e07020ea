import { SeededRandom } from '../../src/model/dropout.js';
import type { Batch } from '../../src/model/index.js';

/** Ids: 0 pad, 1 bos, 2 eos, 3.. letters. */
export const PAD = 0;
export const BOS = 1;
export const EOS = 2;

/** Random letter strings (as ids) of length min..max. */
export function randomStrings(count: number, letters: number, min: number, max: number, seed: number): number[][] {
  const random = new SeededRandom(seed);
  return Array.from({ length: count }, () => {
    const length = min + Math.floor(random.next() * (max - min + 1));
    return Array.from({ length }, () => 3 + Math.floor(random.next() * letters));
  });
}

/** A padded batch for source → target pairs (targets get bos in front and eos at the end). */
export function makeBatch(sources: number[][], targets: number[][]): Batch {
  const b = sources.length;
  const s = Math.max(...sources.map((x) => x.length), 0);
  const t = Math.max(...targets.map((x) => x.length)) + 1;
  const source = new Int32Array(b * s).fill(PAD);
  const targetIn = new Int32Array(b * t).fill(PAD);
  const targetOut = new Int32Array(b * t).fill(PAD);
  const targetMask = new Float32Array(b * t);
  let tokens = 0;
  for (let i = 0; i < b; i++) {
    sources[i].forEach((id, k) => (source[i * s + k] = id));
    const input = [BOS, ...targets[i]];
    const output = [...targets[i], EOS];
    for (let k = 0; k < output.length; k++) {
      targetIn[i * t + k] = input[k];
      targetOut[i * t + k] = output[k];
      targetMask[i * t + k] = 1;
      tokens++;
    }
  }
  return {
    batchSize: b,
    sourceLength: s,
    targetLength: t,
    source,
    sourceLengths: Int32Array.from(sources, (x) => x.length),
    targetIn,
    targetOut,
    targetMask,
    tokens,
  };
}
