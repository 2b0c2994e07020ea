import { fnv1a } from '@seqloom/core';

/** A second 32-bit hash of a string, independent of FNV-1a (murmur-style mixing). */
function mixHash(text: string): number {
  let h = 0x9747b28c ^ text.length;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/**
 * The distinct strings of a stream numbered in first-seen order, held as
 * 64-bit hashes in typed arrays (12 bytes a slot, at most half full), not as
 * the strings: what a grouped split needs of a corpus of any size. Two
 * different strings share a number only if both 32-bit hashes collide (about
 * one chance in 10¹³ for ten million strings).
 */
export class SourceKeys {
  private first = new Int32Array(1024);
  private second = new Int32Array(1024);
  /** Key number + 1 per slot; 0 = empty. */
  private ids = new Int32Array(1024);
  /** Number of distinct strings seen. */
  count = 0;

  /** The number of `text`, adding it when new. */
  add(text: string): number {
    return this.find(text, true);
  }

  /** The number of `text`, or -1 when it was never added. */
  get(text: string): number {
    return this.find(text, false);
  }

  private find(text: string, add: boolean): number {
    const a = fnv1a(text) | 0;
    const b = mixHash(text);
    const mask = this.ids.length - 1;
    for (let slot = a & mask; ; slot = (slot + 1) & mask) {
      const id = this.ids[slot];
      if (id === 0) {
        if (!add) return -1;
        this.first[slot] = a;
        this.second[slot] = b;
        this.ids[slot] = ++this.count;
        if (this.count * 2 > this.ids.length) this.grow();
        return this.count - 1;
      }
      if (this.first[slot] === a && this.second[slot] === b) return id - 1;
    }
  }

  private grow(): void {
    const [first, second, ids] = [this.first, this.second, this.ids];
    const size = ids.length * 2;
    const mask = size - 1;
    this.first = new Int32Array(size);
    this.second = new Int32Array(size);
    this.ids = new Int32Array(size);
    for (let old = 0; old < ids.length; old++) {
      if (ids[old] === 0) continue;
      let slot = first[old] & mask;
      while (this.ids[slot] !== 0) slot = (slot + 1) & mask;
      this.first[slot] = first[old];
      this.second[slot] = second[old];
      this.ids[slot] = ids[old];
    }
  }
}
