import { totalmem } from 'node:os';
import type { ModelConfig } from '@seqloom/seq2seq';
import { FLOAT32_MAX, OPTIMIZER_TYPES, TRAINING_DEFAULTS } from '@seqloom/seq2seq/tooling/defaults';
import { CliError, UsageError } from '../cli-error.js';
import type { OptionValues } from '../option-spec.js';
import { flagValue } from './flag-values.js';

/** The share of memory the weights, gradients and optimizer state may take. */
const USABLE_SHARE = 0.8;

/** What the WebAssembly engine can address (a 32-bit heap). */
const WASM_HEAP_BYTES = 4 * 1024 ** 3;

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(bytes < 10 * 1024 ** 3 ? 1 : 0)} GiB`;
const count = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(1)} billion` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} million` : String(n));

/**
 * Refuses, before anything is read or allocated, initial values that are
 * not float32 numbers (`--embedding-init`, `--forget-bias`); the learning
 * rate's bound is checked with the other training flags (`checkTrainFlags`).
 */
export function checkFiniteProducts(o: OptionValues): void {
  for (const [flag, key] of [
    ['embedding-init', 'embeddingInit'],
    ['forget-bias', 'forgetBias'],
  ] as const) {
    const value = flagValue.number(o, key);
    if (value !== undefined && !(Math.abs(value) <= FLOAT32_MAX)) {
      throw new UsageError(`--${flag} ${value} is not a finite 32-bit number (weights are float32, at most ${FLOAT32_MAX.toPrecision(3)})`);
    }
  }
}

/**
 * Refuses a model whose weights, gradients and optimizer state alone
 * (estimated from its configuration, before anything is allocated) exceed
 * the machine's memory — or the 4 GiB the WebAssembly engine can address —
 * naming the estimate, the limit and the options that size the model.
 */
export async function checkTrainingMemory(config: ModelConfig, o: OptionValues, backend: string | undefined, vocabularyKnown = true): Promise<void> {
  const { estimateTrainingMemory } = await import('@seqloom/seq2seq/tooling');
  const optimizer = OPTIMIZER_TYPES.find((type) => type === o.optimizer) ?? TRAINING_DEFAULTS.optimizer;
  const threads = flagValue.number(o, 'dataParallel') ?? 1;
  const estimate = estimateTrainingMemory(config, { type: optimizer, momentum: flagValue.number(o, 'momentum') }, threads);
  const machine = totalmem();
  const wasm = backend === 'wasm' && WASM_HEAP_BYTES < machine;
  // activations, the runtime and the rest of the machine need the remaining fifth
  const limit = USABLE_SHARE * (wasm ? WASM_HEAP_BYTES : machine);
  if (estimate.bytes <= limit) return;
  const vocab = !vocabularyKnown
    ? 'before counting the vocabulary'
    : config.task === 'seq2seq'
      ? `vocabulary ${config.sourceVocabSize} → ${config.targetVocabSize}`
      : `vocabulary ${config.targetVocabSize}`;
  throw new CliError(
    `this model cannot be trained here: training its ${count(estimate.parameters)} parameters (weights, gradients, ${optimizer} state and a step's temporaries) needs ${vocabularyKnown ? 'about' : 'at least'} ${gib(estimate.bytes)} ` +
      `(--hidden ${config.hiddenSize}, --embedding ${config.embeddingSize}, --layers ${config.layers}, ${vocab}${threads > 1 ? `, --data-parallel ${threads}` : ''}), ` +
      `more than ${USABLE_SHARE * 100}% of ${wasm ? `the ${gib(WASM_HEAP_BYTES)} the wasm backend can address` : `this machine's ${gib(machine)} of memory`}; ` +
      'choose a smaller --hidden, --embedding or --layers',
  );
}

/** The smallest model the options can make (a language model's layout, an 8-token vocabulary): checked before the data is read. */
export async function checkMemoryBeforeData(o: OptionValues, backend: string | undefined, configOf: (o: OptionValues) => ModelConfig): Promise<void> {
  let config: ModelConfig;
  try {
    config = configOf(o);
  } catch {
    return; // options that make no model are reported once the data is read
  }
  await checkTrainingMemory(config, o, backend, false);
}
