import { smallestSetReachingMass } from '../partial-select.js';

/** Reusable buffers for the mass-based filters (top-p, typical-p). */
export class NucleusScratch {
  probs = new Float64Array(0);
  keys = new Float64Array(0);
  order = new Int32Array(0);
  keep = new Uint8Array(0);
  ensure(n: number): void {
    if (this.probs.length >= n) return;
    this.probs = new Float64Array(n);
    this.keys = new Float64Array(n);
    this.order = new Int32Array(n);
    this.keep = new Uint8Array(n);
  }
}

/**
 * Mask every token outside the smallest set, taken in descending order of
 * `scratch.keys`, whose probability (`scratch.probs`) reaches `p`. Only tokens
 * with non-zero probability are candidates.
 */
export function maskOutsideMass(logits: Float32Array, p: number, scratch: NucleusScratch): void {
  const n = logits.length;
  let count = 0;
  for (let i = 0; i < n; i++) if (scratch.probs[i] > 0) scratch.order[count++] = i;
  const kept = smallestSetReachingMass(scratch.keys, scratch.probs, p, scratch.order, count);
  scratch.keep.fill(0, 0, n);
  for (let i = 0; i < kept; i++) scratch.keep[scratch.order[i]] = 1;
  for (let i = 0; i < n; i++) if (scratch.keep[i] === 0) logits[i] = -Infinity;
}
