export type { StepModel } from './step-model.js';
export { EnsembleStepModel, averageProbabilities, type EnsembleState } from './ensemble-step-model.js';
export { generate, stream } from './generate.js';
export { DECODE_OPTIONS, type GenerateOptions, type DecodeOption, type DecodeOptionName } from './option-table.js';
export type { DecodeOptionDefinition, ProcessorSetup } from './option-definition.js';
export type { OptionValue, OptionValueKind } from './option-values.js';
export { validateGenerateOptions } from './options.js';
export { STRATEGIES, STRATEGY_NAMES, type Strategy } from './strategies/registry.js';
export type {
  SearchStrategy,
  StrategyDefinition,
  StrategyContext,
  SearchSettings,
  ModelShape,
  Selection,
  StepLogProbs,
  EarlyStopping,
} from './strategies/search-strategy.js';
export type { Row } from './hypothesis.js';
export type { Hypothesis, GenerationResult } from './hypothesis.js';
export type { StepEvent } from './events.js';
export { createRng, type Rng, type RngState } from './rng.js';
export { DecodeOptionError, DecodeModelError, NoAllowedTokenError } from './errors.js';
export type { LogitsProcessor, ProcessorContext } from './processor.js';
export { lengthPenaltyDivisor, type LengthPenalty } from './length-penalty.js';
export { temperature } from './processors/temperature.js';
export { topK } from './processors/top-k.js';
export { topP } from './processors/top-p.js';
export { minP } from './processors/min-p.js';
export { typicalP } from './processors/typical-p.js';
export { repetitionPenalty } from './processors/repetition-penalty.js';
export { noRepeatNgram } from './processors/no-repeat-ngram.js';
export { minNewTokens } from './processors/min-new-tokens.js';
export { bannedSequences } from './processors/banned-sequences.js';
export { forcedPrefix } from './processors/forced-prefix.js';
export { suppressTokens } from './processors/suppress-tokens.js';
export {
  maxNewTokens,
  stopToken,
  abortSignal,
  maxTime,
  type StoppingCriterion,
  type StoppingContext,
  type FinishReason,
} from './stopping-criteria.js';
