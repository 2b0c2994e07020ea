import { TokenizerOptionError } from './errors.js';
import type { SpecialTokens } from './special-tokens.js';
import { specialAddedToken, specialTokenList } from './special-tokens.js';
import type { ComponentJson, ModelJson, TokenizerJson } from './tokenizer-json.js';

/** The parts of a trained `tokenizer.json` besides its vocabulary. */
export interface TrainedParts {
  specials: SpecialTokens;
  /** Learnt tokens in id order, after the special tokens. */
  tokens: readonly string[];
  /** Model fields besides `vocab` (type, unk_token, merges, ...). */
  model: Omit<ModelJson, 'vocab'>;
  normalizer: ComponentJson | null;
  preTokenizer: ComponentJson | null;
  decoder: ComponentJson | null;
}

/** Assemble a `tokenizer.json` whose vocabulary starts with the special tokens (pad=0, bos=1, eos=2, unk=3). */
export function trainedTokenizerJson(parts: TrainedParts): TokenizerJson {
  const specials = specialTokenList(parts.specials);
  const vocab: Record<string, number> = Object.create(null) as Record<string, number>;
  let next = 0;
  for (const token of [...specials, ...parts.tokens]) {
    if (!(token in vocab)) vocab[token] = next++;
  }
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map((token, id) => specialAddedToken(token, id)),
    normalizer: parts.normalizer,
    pre_tokenizer: parts.preTokenizer,
    post_processor: null,
    decoder: parts.decoder,
    model: { ...parts.model, vocab: { ...vocab } } as ModelJson,
  };
}

/** Validate an integer option (`name` is how the caller spells it). */
export function integerOption(value: unknown, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new TokenizerOptionError(`${name} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Throw unless the target vocabulary holds the alphabet plus the special tokens. */
export function checkVocabSize(vocabSize: number, alphabet: number, specials: number, what: string): void {
  if (vocabSize < alphabet + specials) {
    throw new TokenizerOptionError(
      `vocabSize ${vocabSize} is smaller than the ${what} (${alphabet} symbols) plus ${specials} special tokens; use vocabSize ≥ ${alphabet + specials}`,
    );
  }
}

/** A normalizer config from the common trainer switches (null when none is asked for). */
export function normalizerFor(nfkc: boolean, lowercase: boolean): ComponentJson | null {
  const steps: ComponentJson[] = [];
  if (nfkc) steps.push({ type: 'NFKC' });
  if (lowercase) steps.push({ type: 'Lowercase' });
  if (steps.length === 0) return null;
  return steps.length === 1 ? steps[0] : { type: 'Sequence', normalizers: steps };
}
