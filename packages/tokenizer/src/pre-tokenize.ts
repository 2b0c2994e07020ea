import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { TokenizerOptionError } from './errors.js';
import type { ComponentJson } from './tokenizer-json.js';

/**
 * Normalise and pre-tokenize text with the very components a `tokenizer.json` will
 * declare, run by `@huggingface/tokenizers`, so training sees words exactly as
 * encoding later will.
 */
export function preTokenizerFor(normalizer: ComponentJson | null, preTokenizer: ComponentJson | null): (text: string) => string[] {
  let hf: HfTokenizer;
  try {
    hf = new HfTokenizer(
      {
        normalizer,
        pre_tokenizer: preTokenizer,
        post_processor: null,
        decoder: null,
        added_tokens: [],
        model: { type: 'WordPiece', vocab: {}, unk_token: '' },
      },
      {},
    );
  } catch (error) {
    throw new TokenizerOptionError(`invalid normalizer or pre-tokenizer options (${error instanceof Error ? error.message : String(error)})`);
  }
  const normalize = hf.normalizer;
  const split = hf.pre_tokenizer;
  return (text) => {
    const normalized = normalize === null ? text : normalize(text);
    return split === null ? [normalized] : split(normalized);
  };
}

/** Count the pre-tokens ("words") of every text fed to the returned function. */
export function wordCounter(split: (text: string) => string[]): { add: (text: string) => void; counts: Map<string, number> } {
  const counts = new Map<string, number>();
  return {
    counts,
    add: (text) => {
      for (const word of split(text)) counts.set(word, (counts.get(word) ?? 0) + 1);
    },
  };
}
