import { totalmem } from 'node:os';
import type { ModelConfig } from '@seqloom/seq2seq';
import { TRAINING_DEFAULTS } from '@seqloom/seq2seq/defaults';
import { CliError, UsageError } from '../cli-error.js';
import type { OptionValues } from '../option-spec.js';

/** The largest float32 (weights and optimizer state are float32). */
const FLOAT32_MAX = 3.4028234663852886e38;

/** The share of memory the weights, gradients and optimizer state may take. */
const USABLE_SHARE = 0.8;

/** What the WebAssembly engine can address (a 32-bit heap). */
const WASM_HEAP_BYTES = 4 * 1024 ** 3;

type Optimizer = 'adam' | 'rmsprop' | 'sgd';

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(bytes < 10 * 1024 ** 3 ? 1 : 0)} GiB`;
const count = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(1)} billion` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} million` : String(n));

/**
 * The largest factor an optimizer puts on the learning rate before it meets
 * a gradient: Adam's bias-corrected step √(1−β2)/(1−β1) at its first step
 * (1 later), RMSProp's 1/√(1−ρ) on its first step, and momentum's 1/(1−μ).
 */
function stepFactor(o: OptionValues, optimizer: Optimizer): number {
  const momentum = (o.momentum as number | undefined) ?? 0;
  const accumulated = momentum > 0 && momentum < 1 ? 1 / (1 - momentum) : 1;
  if (optimizer === 'adam') {
    const beta1 = (o.beta1 as number | undefined) ?? TRAINING_DEFAULTS.optimizers.adam.beta1;
    const beta2 = (o.beta2 as number | undefined) ?? TRAINING_DEFAULTS.optimizers.adam.beta2;
    return Math.max(1, Math.sqrt(1 - beta2) / (1 - beta1));
  }
  if (optimizer === 'rmsprop') {
    const rho = (o.rho as number | undefined) ?? TRAINING_DEFAULTS.optimizers.rmsprop.rho;
    return accumulated / Math.sqrt(1 - rho);
  }
  return accumulated;
}

/**
 * Refuses, before anything is read or allocated, option values whose
 * products cannot be float32 numbers: a learning rate whose update step
 * (`lr` times the optimizer's largest factor) overflows float32, where the
 * weights live (`--lr 1e308` would otherwise fail inside the optimizer with an
 * internal error), and initial values that do (`--embedding-init`,
 * `--forget-bias`). A finite but huge rate is left to training, which stops
 * with "the loss became NaN" when it diverges.
 */
export function checkFiniteProducts(o: OptionValues): void {
  const optimizer = ((o.optimizer as Optimizer | undefined) ?? 'adam') as Optimizer;
  const lr = o.lr as number | undefined;
  if (lr !== undefined) {
    const step = lr * stepFactor(o, optimizer);
    if (!(Math.abs(Math.fround(step)) <= FLOAT32_MAX)) {
      throw new UsageError(
        `--lr ${lr}: the update step it makes (${optimizer}: up to ${step.toPrecision(3)} times the gradient) is not a finite 32-bit number ` +
          `(weights are float32, at most ${FLOAT32_MAX.toPrecision(3)}); give a learning rate such as ${TRAINING_DEFAULTS.optimizers[optimizer].learningRate}`,
      );
    }
  }
  for (const [flag, key] of [['embedding-init', 'embeddingInit'], ['forget-bias', 'forgetBias']] as const) {
    const value = o[key];
    if (typeof value === 'number' && !(Math.abs(value) <= FLOAT32_MAX)) {
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
  const { estimateTrainingMemory } = await import('@seqloom/seq2seq/pipeline');
  const optimizer = ((o.optimizer as Optimizer | undefined) ?? 'adam') as Optimizer;
  const threads = (o.dataParallel as number | undefined) ?? 1;
  const estimate = estimateTrainingMemory(config, { type: optimizer, momentum: o.momentum as number | undefined }, threads);
  const machine = totalmem();
  const wasm = backend === 'wasm' && WASM_HEAP_BYTES < machine;
  // activations, the runtime and the rest of the machine need the remaining fifth
  const limit = USABLE_SHARE * (wasm ? WASM_HEAP_BYTES : machine);
  if (estimate.bytes <= limit) return;
  const vocab = !vocabularyKnown
    ? 'before counting the vocabulary'
    : config.task === 'seq2seq' ? `vocabulary ${config.sourceVocabSize} → ${config.targetVocabSize}` : `vocabulary ${config.targetVocabSize}`;
  throw new CliError(
    `this model cannot be trained here: training its ${count(estimate.parameters)} parameters (weights, gradients, ${optimizer} state and a step's temporaries) needs ${vocabularyKnown ? 'about' : 'at least'} ${gib(estimate.bytes)} ` +
      `(--hidden ${config.hiddenSize}, --embedding ${config.embeddingSize}, --layers ${config.layers}, ${vocab}${threads > 1 ? `, --data-parallel ${threads}` : ''}), ` +
      `more than ${USABLE_SHARE * 100}% of ${wasm ? `the ${gib(WASM_HEAP_BYTES)} the wasm backend can address` : `this machine's ${gib(machine)} of memory`}; ` +
      'choose a smaller --hidden, --embedding or --layers',
  );
}

/** The smallest model the options can make (a language model's layout, an 8-token vocabulary): checked before the data is read. */
export async function checkMemoryBeforeData(
  o: OptionValues,
  backend: string | undefined,
  configOf: (o: OptionValues) => ModelConfig,
): Promise<void> {
  let config: ModelConfig;
  try {
    config = configOf(o);
  } catch {
    return; // options that make no model are reported once the data is read
  }
  await checkTrainingMemory(config, o, backend, false);
}
