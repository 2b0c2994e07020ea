/** Turns ids fed one at a time into text that is final when emitted. */
export interface StreamingDetokenizer {
  /** Feed one id; returns the text that became final (often ''). */
  push(id: number): string;
  /** Emit whatever is still held back (an unfinished word or UTF-8 sequence) and reset. */
  flush(): string;
}

/** What the detokeniser needs from a tokenizer. */
export interface DetokenizerSource {
  decode(ids: readonly number[]): string;
  /**
   * For WordPiece vocabularies: true when the token continues the previous word
   * (`##x`). Null for tokenizers whose pieces never wait for a following token.
   */
  continuesWord: ((id: number) => boolean) | null;
}

const REPLACEMENT = '\uFFFD';

/**
 * Streaming detokeniser over any tokenizer. Text is held back while it could still
 * change: a trailing incomplete UTF-8 sequence (byte-level pieces decode to U+FFFD
 * until the character completes) or a word that a following `##` piece could extend.
 * Each step decodes only a short window: the ids emitted last step (as context, so
 * decoders that space or strip by position agree) plus the new ones, and emits the
 * difference, so the cost per id does not grow with the stream.
 */
export class DecodingDetokenizer implements StreamingDetokenizer {
  private ids: number[] = [];
  /** Start of the context window. */
  private prefixOffset = 0;
  /** End of the ids whose text has been emitted. */
  private readOffset = 0;

  constructor(private readonly source: DetokenizerSource) {}

  push(id: number): string {
    this.ids.push(id);
    return this.emitUpTo(this.stableCount(), false);
  }

  flush(): string {
    const out = this.emitUpTo(this.ids.length, true);
    this.ids = [];
    this.prefixOffset = 0;
    this.readOffset = 0;
    return out;
  }

  /** Number of leading ids whose text can no longer change. */
  private stableCount(): number {
    let stable = this.ids.length;
    const continues = this.source.continuesWord;
    if (continues !== null) {
      // The last word may still grow: only tokens before its first piece are final.
      while (stable > this.readOffset && continues(this.ids[stable - 1])) stable--;
      if (stable > this.readOffset) stable--;
    }
    return stable;
  }

  private emitUpTo(end: number, final: boolean): string {
    if (end <= this.readOffset) return '';
    const before = this.source.decode(this.ids.slice(this.prefixOffset, this.readOffset));
    const after = this.source.decode(this.ids.slice(this.prefixOffset, end));
    if (!final && (after.endsWith(REPLACEMENT) || after.length <= before.length)) return '';
    if (!after.startsWith(before)) return final ? after.slice(commonPrefix(before, after)) : '';
    this.prefixOffset = this.readOffset;
    this.readOffset = end;
    this.trim();
    return after.slice(before.length);
  }

  /** Drop ids before the context window so memory stays bounded on long streams. */
  private trim(): void {
    if (this.prefixOffset < 4096) return;
    this.ids = this.ids.slice(this.prefixOffset);
    this.readOffset -= this.prefixOffset;
    this.prefixOffset = 0;
  }
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
