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
 * Streaming detokeniser over any tokenizer. It re-decodes the ids of the current
 * stream and emits only the new suffix, holding text back while it could still change:
 * a trailing incomplete UTF-8 sequence (byte-level tokens decode to U+FFFD until the
 * sequence completes) or a word that a following `##` piece could still extend.
 * Cost grows with the stream length, which suits generation-length outputs.
 */
export class DecodingDetokenizer implements StreamingDetokenizer {
  private ids: number[] = [];
  private emitted = '';

  constructor(private readonly source: DetokenizerSource) {}

  push(id: number): string {
    this.ids.push(id);
    let stable = this.ids.length;
    const continues = this.source.continuesWord;
    if (continues !== null) {
      // The last word may still grow: only tokens before its first piece are final.
      while (stable > 0 && continues(this.ids[stable - 1])) stable--;
      if (stable > 0) stable--;
    }
    return this.emitUpTo(stable, false);
  }

  flush(): string {
    const out = this.emitUpTo(this.ids.length, true);
    this.ids = [];
    this.emitted = '';
    return out;
  }

  private emitUpTo(count: number, final: boolean): string {
    if (count === 0) return '';
    const text = this.source.decode(this.ids.slice(0, count));
    if (!final && text.endsWith(REPLACEMENT)) return '';
    if (!text.startsWith(this.emitted)) return '';
    const out = text.slice(this.emitted.length);
    this.emitted = text;
    return out;
  }
}
