import { loadTokenizer, type Tokenizer } from '@seqloom/tokenizer';
import type { CliCommand } from '../cli-command.js';
import { resolvePath } from '../text-inputs.js';

/** What `tokenizer inspect` reports. */
export interface TokenizerSummary {
  model: string;
  vocabSize: number;
  specialTokens: Record<string, { token: string; id: number }>;
  normalizer: string | null;
  preTokenizer: string | null;
  decoder: string | null;
  /** The first tokens of the vocabulary by id. */
  firstTokens: string[];
}

function componentType(value: unknown): string | null {
  if (value === null || typeof value !== 'object') return null;
  const v = value as { type?: unknown; pretokenizers?: unknown[]; normalizers?: unknown[] };
  const inner = v.pretokenizers ?? v.normalizers;
  if (Array.isArray(inner)) return `${String(v.type)}(${inner.map(componentType).join(', ')})`;
  return typeof v.type === 'string' ? v.type : null;
}

/** Type, size, special tokens and pipeline of a tokenizer. */
export function describeTokenizer(tokenizer: Tokenizer, firstCount = 20): TokenizerSummary {
  const json = tokenizer.toJSON() as unknown as Record<string, unknown>;
  const s = tokenizer.specialTokens;
  const firstTokens: string[] = [];
  for (let id = 0; id < Math.min(firstCount, tokenizer.vocabSize); id++) firstTokens.push(tokenizer.idToToken(id) ?? '');
  return {
    model: componentType(json.model) ?? 'unknown',
    vocabSize: tokenizer.vocabSize,
    specialTokens: {
      pad: { token: s.pad, id: tokenizer.padId },
      bos: { token: s.bos, id: tokenizer.bosId },
      eos: { token: s.eos, id: tokenizer.eosId },
      unk: { token: s.unk, id: tokenizer.unkId },
    },
    normalizer: componentType(json.normalizer),
    preTokenizer: componentType(json.pre_tokenizer),
    decoder: componentType(json.decoder),
    firstTokens,
  };
}

/** `seqloom tokenizer inspect`: prints what a tokenizer.json holds. */
export const tokenizerInspectCommand: CliCommand = {
  name: 'inspect',
  usage: '<tokenizer>',
  describe: 'show the type, vocabulary size, special tokens and pipeline of a tokenizer.json',
  positionals: [{ name: 'tokenizer', describe: 'tokenizer.json, or a folder holding one (a model folder works)' }],
  options: [{ name: 'json', kind: 'boolean', default: false, describe: 'print a JSON object' }],
  async run(ctx) {
    const path = resolvePath(ctx.io, ctx.positionals.tokenizer as string);
    const summary = describeTokenizer(await loadTokenizer(path));
    if (ctx.options.json || ctx.out.logJson) {
      ctx.out.json({ path, ...summary });
      return;
    }
    const specials = Object.entries(summary.specialTokens)
      .map(([role, t]) => `${role} ${t.token}=${t.id}`)
      .join(', ');
    ctx.out.result(
      [
        `tokenizer:      ${path}`,
        `model:          ${summary.model}`,
        `vocabulary:     ${summary.vocabSize} tokens`,
        `special tokens: ${specials}`,
        `normalizer:     ${summary.normalizer ?? 'none'}`,
        `pre-tokenizer:  ${summary.preTokenizer ?? 'none'}`,
        `decoder:        ${summary.decoder ?? 'none'}`,
        `first tokens:   ${summary.firstTokens.map((t) => JSON.stringify(t)).join(' ')}`,
      ].join('\n'),
    );
  },
};
