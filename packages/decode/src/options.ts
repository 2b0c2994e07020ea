import { checkInteger, DecodeOptionError, describe } from './errors.js';
import { makeScorer } from './length-penalty.js';
import type { DecodeOptionDefinition, ProcessorSetup } from './option-definition.js';
import { DECODE_OPTIONS, type GenerateOptions } from './option-table.js';
import type { LogitsProcessor } from './processor.js';
import { suppressTokens } from './processors/suppress-tokens.js';
import { createRng } from './rng.js';
import type { StepModel } from './step-model.js';
import { maxNewTokens, type StoppingCriterion, stopToken } from './stopping-criteria.js';
import { STRATEGIES, type Strategy } from './strategies/registry.js';
import type { SearchSettings } from './strategies/search-strategy.js';

/** Options after validation, with every default filled in. */
export interface ResolvedOptions extends SearchSettings {
  readonly strategy: Strategy;
  readonly processors: LogitsProcessor[];
  readonly criteria: StoppingCriterion[];
}

/** Every option's value: validated when given, else its row's default. */
type OptionValues = Required<
  Pick<
    GenerateOptions,
    | 'strategy'
    | 'beamWidth'
    | 'numReturn'
    | 'lengthPenalty'
    | 'lengthPenaltyAlpha'
    | 'earlyStopping'
    | 'beamGroups'
    | 'diversityStrength'
    | 'maxNewTokens'
    | 'maxSearchSpace'
    | 'compat'
  >
> &
  GenerateOptions;

/** The table with each row's value type widened, to be walked generically. */
const ROWS: readonly DecodeOptionDefinition[] = DECODE_OPTIONS;
const BY_NAME: ReadonlyMap<string, DecodeOptionDefinition> = new Map(ROWS.map((row) => [row.name, row]));

/** Validate `options` against `model` and fill in defaults. Throws DecodeOptionError. */
export function resolveOptions<S>(model: StepModel<S>, options: GenerateOptions = {}): ResolvedOptions {
  const given = checkNames(options);
  const values = validateValues(given, model.vocabSize);
  const strategy = STRATEGIES[values.strategy];
  if (given.seed !== undefined && given.rng !== undefined) {
    throw new DecodeOptionError('seed', 'give either seed or rng, not both');
  }
  const prefixLength = values.forcedPrefix?.length ?? 0;
  const settings: SearchSettings = {
    maxLength: values.maxNewTokens + prefixLength,
    beamWidth: values.beamWidth,
    numReturn: values.numReturn,
    score: makeScorer(values.lengthPenalty, values.lengthPenaltyAlpha),
    earlyStopping: values.earlyStopping,
    beamGroups: values.beamGroups,
    diversityStrength: values.diversityStrength,
    rng: strategy.random ? (values.rng ?? createRng(values.seed ?? Math.floor(Math.random() * 0x100000000))) : null,
    maxSearchSpace: values.maxSearchSpace,
    compat: values.compat,
  };
  strategy.check?.(settings);
  const setup: ProcessorSetup = { vocabSize: model.vocabSize, eosId: model.eosId, prefixLength, maxLength: settings.maxLength };
  return {
    ...settings,
    strategy: values.strategy,
    processors: buildProcessors(model, given, values.strategy, setup, values.compat === 'seqloom'),
    criteria: buildCriteria(model, given, settings.maxLength),
  };
}

/**
 * Check decoding options without a model, e.g. the defaults a checkpoint stores
 * in `generation.json`, so a misspelt or out-of-range option is reported when it
 * is saved rather than when a user first generates. Throws the DecodeOptionError
 * `generate` would throw (unknown option names included); token ids are checked
 * against `vocabSize` when it is given. Returns `options` unchanged.
 */
export function validateGenerateOptions(options: unknown, vocabSize?: number): GenerateOptions {
  const V = vocabSize === undefined ? Number.MAX_SAFE_INTEGER : checkInteger('vocabSize', vocabSize, 1);
  const stub: StepModel<null> = {
    vocabSize: V,
    bosId: 0,
    eosId: 0,
    padId: 0,
    start: async () => null,
    step: async () => ({ logits: new Float32Array(0), state: null }),
    reorder: () => null,
    dispose: () => {},
  };
  resolveOptions(stub, options as GenerateOptions);
  return options as GenerateOptions;
}

/** The given options (undefined values dropped), after rejecting a non-object or an unknown name. */
function checkNames(options: unknown): Record<string, unknown> {
  if (typeof options !== 'object' || options === null) {
    throw new DecodeOptionError('options', `expected an object, got ${describe(options)}`);
  }
  const given: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (!BY_NAME.has(key)) {
      throw new DecodeOptionError(key, `unknown option; valid options are ${[...BY_NAME.keys()].join(', ')}`);
    }
    if (value !== undefined) given[key] = value;
  }
  return given;
}

/**
 * Validate every given option in table order, whatever the strategy (a bad
 * value is a bug even when unused), and fill in the defaults.
 */
function validateValues(given: Record<string, unknown>, vocabSize: number): OptionValues {
  const values: Record<string, unknown> = {};
  for (const row of ROWS) {
    const value = given[row.name];
    if (value !== undefined) values[row.name] = row.validate(value, vocabSize);
    else if (row.default !== undefined) values[row.name] = row.default;
  }
  return values as OptionValues;
}

/** Whether a row's processor or criterion is built for `strategy`. */
function appliesTo(row: DecodeOptionDefinition, strategy: Strategy): boolean {
  return row.strategies === undefined || row.strategies.includes(strategy);
}

/**
 * The pad mask (seqloom's conventions only), then the processors of the given options that apply to every
 * strategy, then those of strategy-specific options (the sampling filters),
 * each group in table order.
 */
function buildProcessors<S>(
  model: StepModel<S>,
  given: Record<string, unknown>,
  strategy: Strategy,
  setup: ProcessorSetup,
  maskPad: boolean,
): LogitsProcessor[] {
  const list: LogitsProcessor[] = [];
  if (maskPad && model.padId !== model.eosId) list.push(suppressTokens([model.padId]));
  const rows = ROWS.filter((row) => row.processor !== undefined && given[row.name] !== undefined && appliesTo(row, strategy));
  const ordered = [...rows.filter((row) => row.strategies === undefined), ...rows.filter((row) => row.strategies !== undefined)];
  for (const row of ordered) list.push(...[row.processor!(given[row.name], setup)].flat());
  return list;
}

/** The stop token and the length limit, then the criteria of the given options in table order. */
function buildCriteria<S>(model: StepModel<S>, given: Record<string, unknown>, maxLength: number): StoppingCriterion[] {
  const list: StoppingCriterion[] = [stopToken(model.eosId), maxNewTokens(maxLength)];
  for (const row of ROWS) {
    if (row.criterion !== undefined && given[row.name] !== undefined) list.push(...[row.criterion(given[row.name])].flat());
  }
  return list;
}
