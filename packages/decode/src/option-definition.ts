import type { OptionValue } from './option-values.js';
import type { LogitsProcessor } from './processor.js';
import type { StoppingCriterion } from './stopping-criteria.js';
import type { Strategy } from './strategies/registry.js';

/** What building a processor may need besides the option's value. */
export interface ProcessorSetup {
  readonly vocabSize: number;
  readonly eosId: number;
  /** Length of the forced prefix (0 without one). */
  readonly prefixLength: number;
  /** Most tokens a row may hold (maxNewTokens plus the forced prefix). */
  readonly maxLength: number;
}

/**
 * One decoding option: a row of `DECODE_OPTIONS`. `generate` validates it
 * with `validate`, fills in `default` when it is absent, and builds its
 * logits processor or stopping criterion when it is given; the seq2seq
 * pipeline and the command line read the same row.
 */
export interface DecodeOptionDefinition<N extends string = string, T = unknown> {
  readonly name: N;
  /** One line for help texts. */
  readonly help: string;
  /** The values it accepts (kind, range, choices), which `validate` enforces. */
  readonly value: OptionValue<T>;
  /** The value used when the option is absent (an absent processor option builds no processor). */
  readonly default?: T;
  /** The default in words when there is no single value (`off`, `random`, …). */
  readonly defaultText?: string;
  /**
   * The strategies that read it; absent: every strategy. Options of other
   * strategies are validated but ignored, and their processors are not built.
   */
  readonly strategies?: readonly Strategy[];
  /**
   * Builds the option's logits processors. Processors of options that apply
   * to every strategy run first, in table order; then those of
   * strategy-specific options (the sampling filters), in table order.
   */
  processor?(value: T, setup: ProcessorSetup): LogitsProcessor | readonly LogitsProcessor[];
  /** Builds the option's stopping criteria, OR-ed with the stop token and the length limit, in table order. */
  criterion?(value: T): StoppingCriterion | readonly StoppingCriterion[];
  /** Returns the value when it is valid, else throws a DecodeOptionError naming the option. */
  validate(value: unknown, vocabSize?: number): T;
}

/** A table row whose validator is its value type's check under its name. */
export function defineOption<N extends string, T>(
  row: { readonly name: N; readonly value: OptionValue<T> } & Omit<DecodeOptionDefinition<N, NoInfer<T>>, 'name' | 'value' | 'validate'>,
): DecodeOptionDefinition<N, T> {
  return { ...row, validate: (value, vocabSize) => row.value.check(row.name, value, vocabSize) };
}
