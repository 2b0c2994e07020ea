import { AddedTokenSplitter } from './added-token-splitter.js';
import { BYTE_TO_SYMBOL, gpt2SplitRegex, utf8Bytes } from './byte-level.js';
import type { TokenizerJson } from './tokenizer-json.js';
import { vocabularyOf } from './tokenizer-json.js';

const SHIFT = 2 ** 21;
const CACHE_LIMIT = 500_000;

interface MergeRule {
  rank: number;
  id: number;
}

/** True when `json` is a plain GPT-2 style byte-level BPE that this encoder reproduces exactly. */
function isPlainByteLevelBpe(json: TokenizerJson): boolean {
  const { model, pre_tokenizer: pre } = json;
  if ((model.type ?? 'BPE') !== 'BPE' || !Array.isArray(model.merges)) return false;
  if (model.dropout != null || model.byte_fallback === true || model.ignore_merges === true) return false;
  if (model.continuing_subword_prefix || model.end_of_word_suffix || model.fuse_unk === true) return false;
  if (json.normalizer !== null || pre === null || pre.type !== 'ByteLevel') return false;
  if (pre.add_prefix_space === true || pre.use_regex === false) return false;
  return json.added_tokens.every((t) => !t.lstrip && !t.rstrip);
}

/**
 * A fast encoder for GPT-2 style byte-level BPE files: GPT-2 regex split, byte
 * mapping, then merges applied by rank over integer ids with a per-word cache. It
 * gives exactly the ids `@huggingface/tokenizers` gives (tests check this) several
 * times faster. Use {@link ByteLevelBpeEncoder.tryCreate}; it returns null for any
 * other kind of tokenizer.
 */
export class ByteLevelBpeEncoder {
  private readonly byteIds: Int32Array;
  private readonly rules: Map<number, MergeRule>;
  private readonly splitter: AddedTokenSplitter;
  private readonly cache = new Map<string, Int32Array>();

  private constructor(byteIds: Int32Array, rules: Map<number, MergeRule>, json: TokenizerJson) {
    this.byteIds = byteIds;
    this.rules = rules;
    this.splitter = new AddedTokenSplitter(json.added_tokens);
  }

  /** The encoder for `json`, or null when `json` is not a plain byte-level BPE. */
  static tryCreate(json: TokenizerJson): ByteLevelBpeEncoder | null {
    if (!isPlainByteLevelBpe(json)) return null;
    const vocab = vocabularyOf({ ...json, added_tokens: [] });
    const byteIds = new Int32Array(256);
    for (let b = 0; b < 256; b++) {
      const id = vocab.get(BYTE_TO_SYMBOL[b]);
      if (id === undefined) return null;
      byteIds[b] = id;
    }
    const rules = new Map<number, MergeRule>();
    const merges = json.model.merges as (string | [string, string])[];
    for (let rank = 0; rank < merges.length; rank++) {
      const merge = merges[rank];
      const [a, b] = typeof merge === 'string' ? merge.split(' ', 2) : merge;
      const left = vocab.get(a);
      const right = vocab.get(b);
      const id = vocab.get(a + b);
      if (left === undefined || right === undefined || id === undefined) return null;
      const key = left * SHIFT + right;
      rules.set(key, { rank, id }); // a repeated merge keeps its last rank, as in tokenizers
    }
    return new ByteLevelBpeEncoder(byteIds, rules, json);
  }

  /** Encode `text` to ids (no bos/eos), appending to `out`. */
  encode(text: string, out: number[] = []): number[] {
    return this.splitter.forEachSection(text, out, (section, into) => this.encodeSection(section, into));
  }

  private encodeSection(text: string, out: number[]): number[] {
    const regex = gpt2SplitRegex();
    const cache = this.cache;
    for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
      const piece = match[0];
      let ids = cache.get(piece);
      if (ids === undefined) {
        ids = this.encodePiece(piece);
        if (cache.size >= CACHE_LIMIT) cache.clear();
        cache.set(piece, ids);
      }
      for (let i = 0; i < ids.length; i++) out.push(ids[i]);
    }
    return out;
  }

  /** Apply merges by rank (lowest first, leftmost on ties) to one pre-token. */
  private encodePiece(piece: string): Int32Array {
    const bytes = utf8Bytes(piece);
    const ids: number[] = new Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) ids[i] = this.byteIds[bytes[i]];
    const rules = this.rules;
    while (ids.length > 1) {
      let best = -1;
      let bestRank = Infinity;
      let bestId = 0;
      for (let i = 0; i + 1 < ids.length; i++) {
        const rule = rules.get(ids[i] * SHIFT + ids[i + 1]);
        if (rule !== undefined && rule.rank < bestRank) {
          bestRank = rule.rank;
          best = i;
          bestId = rule.id;
        }
      }
      if (best < 0) break;
      ids.splice(best, 2, bestId);
    }
    return Int32Array.from(ids);
  }
}
