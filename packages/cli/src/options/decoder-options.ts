import { DECODE_OPTIONS, type DecodeOptionDefinition, type DecodeOptionName } from '@seqloom/decode';
import { kebabCase, type OptionSpec } from '../option-spec.js';

const G = 'Decoding:';

/**
 * Where a flag differs from the `@seqloom/decode` option it sets: a shorter
 * name, a narrower range, the command line's "0 = off", seconds instead of
 * milliseconds, or (for `--ban`) texts that the pipeline encodes.
 */
export interface FlagForm {
  /** The flag name, when it is not the kebab-case option name. */
  flag?: string;
  /** The flag value that leaves the option unset; the flag's range then starts there. */
  off?: number;
  min?: number;
  minExclusive?: boolean;
  /** The option's value is the flag's times this (seconds → milliseconds). */
  scale?: number;
  defaultText?: string;
  describe?: string;
  /** The flag takes repeated texts and sets this pipeline option instead. */
  texts?: 'banned';
}

/** Flag forms of the options whose command-line spelling predates the option table. */
export const FLAG_FORMS: { readonly [K in DecodeOptionName]?: FlagForm } = {
  strategy: { flag: 'decoder', defaultText: "the model's generation.json, else greedy" },
  numReturn: { flag: 'n-best' },
  lengthPenaltyAlpha: { flag: 'alpha' },
  diversityStrength: { flag: 'diversity' },
  temperature: { minExclusive: true },
  topK: { off: 0 },
  noRepeatNgramSize: { flag: 'no-repeat-ngram', off: 0 },
  minNewTokens: { flag: 'min-length' },
  maxNewTokens: { flag: 'max-length', min: 1, defaultText: "the model's generation.json, else 64" },
  bannedSequences: { flag: 'ban', texts: 'banned', describe: 'text that must not be generated (repeatable)' },
  maxTimeMs: { flag: 'max-time', scale: 1000, describe: 'stop generating after this many seconds per call (finish reason "time")' },
  seed: { min: 0 },
};

/** A decoding flag: its spec, and how its value becomes a decoding option. */
export interface DecoderFlag {
  readonly spec: OptionSpec;
  /** The option it sets (a `TextGenerationOptions` key). */
  readonly option: string;
  readonly off?: number;
  readonly scale?: number;
}

/**
 * One flag per option of `table` whose value fits on a command line
 * (integers, numbers, choices) or that has a text form, in table order.
 */
export function decoderFlags(
  table: readonly DecodeOptionDefinition[] = DECODE_OPTIONS,
  forms: { readonly [name: string]: FlagForm | undefined } = FLAG_FORMS,
): DecoderFlag[] {
  const flags: DecoderFlag[] = [];
  for (const row of table) {
    const form = forms[row.name] ?? {};
    if (form.texts) {
      const spec: OptionSpec = { name: form.flag ?? kebabCase(row.name), kind: 'string', array: true, describe: form.describe ?? row.help, group: G };
      flags.push({ spec, option: form.texts });
    } else if (row.value.kind === 'integer' || row.value.kind === 'number' || row.value.kind === 'choice') {
      flags.push({ spec: flagSpec(row, form), option: row.name, off: form.off, scale: form.scale });
    }
  }
  return flags;
}

function flagSpec(row: DecodeOptionDefinition, form: FlagForm): OptionSpec {
  const { value } = row;
  const spec: OptionSpec = {
    name: form.flag ?? kebabCase(row.name),
    kind: value.kind === 'choice' ? 'choice' : value.kind === 'integer' ? 'integer' : 'number',
    describe: form.describe ?? (form.off === undefined ? row.help : `${row.help} (${form.off} = off)`),
    group: G,
  };
  if (value.choices) spec.choices = value.choices;
  const min = form.off ?? form.min ?? value.min;
  if (min !== undefined) spec.min = min;
  if (form.off === undefined && (form.minExclusive ?? value.minExclusive)) spec.minExclusive = true;
  if (value.max !== undefined) spec.max = value.max;
  if (value.maxExclusive) spec.maxExclusive = true;
  const defaultText = form.defaultText ?? (form.off === undefined ? row.defaultText : undefined);
  if (defaultText !== undefined) spec.defaultText = defaultText;
  else if (form.off !== undefined) spec.default = form.off;
  else if (typeof row.default === 'number' || typeof row.default === 'string') spec.default = row.default;
  return spec;
}

/** The decoding flags of `generate`, `eval` and `demo`, derived from `DECODE_OPTIONS`. */
export const DECODER_FLAGS: readonly DecoderFlag[] = decoderFlags();

/**
 * Options of `@seqloom/decode`, shared by `generate` and `eval`. Those not
 * given on the command line come from the model's generation.json, then from
 * the decode package's defaults (shown here).
 */
export const DECODER_OPTIONS: readonly OptionSpec[] = DECODER_FLAGS.map((f) => f.spec);
