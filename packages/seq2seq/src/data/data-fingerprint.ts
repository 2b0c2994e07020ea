import type { SequenceExample } from './sequence-example.js';

/**
 * A short hash of a list of examples (FNV-1a over every id and length), used
 * to refuse resuming a run on different training data.
 */
export function dataFingerprint(examples: readonly SequenceExample[]): string {
  let h = 0x811c9dc5;
  const add = (value: number): void => {
    h = Math.imul(h ^ (value & 0xffff), 0x01000193);
    h = Math.imul(h ^ (value >>> 16), 0x01000193);
  };
  for (const example of examples) {
    for (const part of [example.source, example.targetIn, example.targetOut]) {
      add(part.length);
      for (const id of part) add(id);
    }
  }
  return `${examples.length}:${(h >>> 0).toString(16).padStart(8, '0')}`;
}
