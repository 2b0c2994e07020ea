import { OnnxModelError } from './errors.js';

/** Ids a tokenizer's post-processor puts around a single sequence. */
export interface SourceSpecials {
  readonly prefix: readonly number[];
  readonly suffix: readonly number[];
}

type Json = Record<string, unknown>;

function tokenPair(value: unknown, file: string, field: string): number {
  if (!Array.isArray(value) || value.length !== 2 || !Number.isInteger(value[1]) || (value[1] as number) < 0) {
    throw new OnnxModelError(`${file}: post_processor.${field} is not a [token, id] pair`);
  }
  return value[1] as number;
}

/** The special-token ids of a TemplateProcessing `single` template, by side of the sequence. */
function template(pp: Json, file: string): SourceSpecials {
  const single = pp.single;
  if (!Array.isArray(single)) throw new OnnxModelError(`${file}: post_processor.single must be a list`);
  const specials = (pp.special_tokens ?? {}) as Record<string, { ids?: unknown }>;
  const prefix: number[] = [];
  const suffix: number[] = [];
  let seen = false;
  single.forEach((piece: unknown, i: number) => {
    const p = (piece ?? {}) as Json;
    if (p.Sequence !== undefined) {
      seen = true;
      return;
    }
    const token = (p.SpecialToken as Json | undefined)?.id;
    const ids = typeof token === 'string' ? specials[token]?.ids : undefined;
    if (!Array.isArray(ids) || !ids.every((id) => Number.isInteger(id) && id >= 0)) {
      throw new OnnxModelError(`${file}: post_processor.single[${i}] names special token ${JSON.stringify(token)} that special_tokens does not define`);
    }
    (seen ? suffix : prefix).push(...(ids as number[]));
  });
  return { prefix, suffix };
}

/**
 * What the `post_processor` of a tokenizer.json adds to one encoded text
 * (Hugging Face's `add_special_tokens=True`): TemplateProcessing,
 * RobertaProcessing, BertProcessing, ByteLevel (adds nothing) and Sequence.
 */
export function sourceSpecials(json: Json, file: string): SourceSpecials {
  const pp = json.post_processor as Json | null | undefined;
  if (pp === null || pp === undefined) return { prefix: [], suffix: [] };
  switch (pp.type) {
    case 'TemplateProcessing':
      return template(pp, file);
    case 'RobertaProcessing':
    case 'BertProcessing':
      return { prefix: [tokenPair(pp.cls, file, 'cls')], suffix: [tokenPair(pp.sep, file, 'sep')] };
    case 'ByteLevel':
      return { prefix: [], suffix: [] };
    case 'Sequence': {
      const list = Array.isArray(pp.processors) ? (pp.processors as Json[]) : [];
      const parts = list.map((p) => sourceSpecials({ post_processor: p }, file));
      return { prefix: parts.flatMap((p) => p.prefix), suffix: parts.flatMap((p) => p.suffix) };
    }
    default:
      throw new OnnxModelError(
        `${file}: post_processor type ${JSON.stringify(pp.type)} is not supported; expected TemplateProcessing, RobertaProcessing, BertProcessing, ByteLevel or Sequence`,
      );
  }
}
