import type { AddedTokenJson } from './tokenizer-json.js';

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Splits text around added tokens the way `@huggingface/tokenizers` does: scanning
 * left to right and taking the longest added token that starts at each position.
 */
export class AddedTokenSplitter {
  private readonly ids: Map<string, number>;
  private readonly pattern: RegExp | null;

  constructor(added: readonly AddedTokenJson[]) {
    this.ids = new Map(added.map((t) => [t.content, t.id]));
    const contents = [...this.ids.keys()].filter((c) => c !== '').sort((x, y) => y.length - x.length);
    this.pattern = contents.length > 0 ? new RegExp(`(${contents.map(escapeRegex).join('|')})`, 'u') : null;
  }

  /** Call `section` for each stretch of plain text and push added-token ids to `out`, in order. */
  forEachSection(text: string, out: number[], section: (text: string, out: number[]) => void): number[] {
    if (this.pattern === null) {
      section(text, out);
      return out;
    }
    const parts = text.split(this.pattern);
    for (let i = 0; i < parts.length; i++) {
      if (i % 2 === 1) out.push(this.ids.get(parts[i]) as number);
      else if (parts[i] !== '') section(parts[i], out);
    }
    return out;
  }
}
