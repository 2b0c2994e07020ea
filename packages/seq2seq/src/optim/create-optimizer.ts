import * as tf from '@tensorflow/tfjs';
import { activeKernelSet } from '../kernels/kernel-registry.js';
import type { SeqKernels } from '../kernels/kernel-set.js';
import { TrainingError } from '../training-error.js';
import { type Optimizer, type OptimizerOptions, type OptimizerState, resolveOptimizerOptions } from './optimizer.js';

type Slots = Map<string, tf.Variable>;

function slotNames(options: Required<OptimizerOptions>): string[] {
  if (options.type === 'adam') return ['m', 'v'];
  if (options.type === 'rmsprop') return options.momentum > 0 ? ['ms', 'mom'] : ['ms'];
  return options.momentum > 0 ? ['buf'] : [];
}

/**
 * One update of weight `w` by gradient `scale`·`raw` at iteration `t`
 * (1-based); Adam runs on the kernel set's fused update when it has one.
 * Call inside `tf.tidy`.
 */
function applyRule(
  o: Required<OptimizerOptions>,
  slot: (name: string) => tf.Variable,
  w: tf.Variable,
  raw: tf.Tensor,
  step: { lr: number; t: number; scale: tf.Scalar | undefined; fused: SeqKernels['adamUpdate'] },
): void {
  const { lr, t, scale, fused } = step;
  if (o.type === 'adam' && fused !== undefined) {
    const stepSize = (lr * Math.sqrt(1 - o.beta2 ** t)) / (1 - o.beta1 ** t);
    const [wNext, mNext, vNext] = fused(
      { w, m: slot('m'), v: slot('v'), g: raw, scale: scale! },
      { beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon, stepSize },
    );
    w.assign(wNext);
    slot('m').assign(mNext);
    slot('v').assign(vNext);
    return;
  }
  const g = scale === undefined ? raw : tf.mul(raw, scale);
  if (o.type === 'adam') {
    const m = slot('m');
    const v = slot('v');
    m.assign(tf.add(tf.mul(m, o.beta1), tf.mul(g, 1 - o.beta1)));
    v.assign(tf.add(tf.mul(v, o.beta2), tf.mul(tf.square(g), 1 - o.beta2)));
    const stepSize = (lr * Math.sqrt(1 - o.beta2 ** t)) / (1 - o.beta1 ** t);
    w.assign(tf.sub(w, tf.mul(tf.div(m, tf.add(tf.sqrt(v), o.epsilon)), stepSize)));
  } else if (o.type === 'rmsprop') {
    const ms = slot('ms');
    ms.assign(tf.add(tf.mul(ms, o.rho), tf.mul(tf.square(g), 1 - o.rho)));
    const delta = tf.mul(tf.div(g, tf.add(tf.sqrt(ms), o.epsilon)), lr);
    if (o.momentum > 0) {
      const mom = slot('mom');
      mom.assign(tf.add(tf.mul(mom, o.momentum), delta));
      w.assign(tf.sub(w, mom));
    } else {
      w.assign(tf.sub(w, delta));
    }
  } else if (o.momentum > 0) {
    const buf = slot('buf');
    buf.assign(t === 1 ? g : tf.add(tf.mul(buf, o.momentum), g));
    const direction = o.nesterov ? tf.add(g, tf.mul(buf, o.momentum)) : buf;
    w.assign(tf.sub(w, tf.mul(direction, lr)));
  } else {
    w.assign(tf.sub(w, tf.mul(g, lr)));
  }
}

/**
 * Creates an optimizer for the given variables, allocating its slots (zeros)
 * now. Updates are written with tfjs-core ops so that every number of the
 * state is visible and can be checkpointed; Adam runs on `kernels`' fused
 * `adamUpdate` where the set has one (default: the active backend's set,
 * chosen here once).
 */
export function createOptimizer(options: OptimizerOptions, variables: ReadonlyMap<string, tf.Variable>, kernels: SeqKernels = activeKernelSet()): Optimizer {
  const fused = kernels.adamUpdate;
  const resolved = resolveOptimizerOptions(options);
  const names = slotNames(resolved);
  const slots: Slots = new Map();
  for (const [weight, variable] of variables) {
    for (const slot of names) {
      slots.set(
        `${weight}/${slot}`,
        tf.tidy(() => tf.variable(tf.zerosLike(variable), false)),
      );
    }
  }
  let iterations = 0;

  const update = (weight: string, g: tf.Tensor, step: Parameters<typeof applyRule>[4]): void => {
    const w = variables.get(weight);
    if (!w) throw new TrainingError(`gradient for unknown weight "${weight}"`);
    applyRule(resolved, (name) => slots.get(`${weight}/${name}`)!, w, g, step);
  };

  return {
    options: resolved,
    apply(grads, learningRate, scale) {
      iterations += 1;
      // the fused update always takes a factor (1: the gradients as given)
      const step = { lr: learningRate, t: iterations, scale: scale ?? (fused !== undefined ? tf.scalar(1) : undefined), fused };
      for (const [weight, g] of grads) update(weight, g, step);
    },
    getState(): OptimizerState {
      const copies = new Map<string, tf.Tensor>();
      for (const [name, value] of slots) copies.set(name, tf.clone(value));
      return { type: resolved.type, iterations, slots: copies };
    },
    setState(state) {
      if (state.type !== resolved.type) {
        throw new TrainingError(
          `optimizer state is for "${state.type}" but the optimizer is "${resolved.type}"; ` + 'resume with the optimizer type the checkpoint was trained with',
        );
      }
      for (const [name, variable] of slots) {
        const saved = state.slots.get(name);
        if (!saved) throw new TrainingError(`optimizer state has no slot "${name}"`);
        if (!tf.util.arraysEqual(saved.shape, variable.shape)) {
          throw new TrainingError(`optimizer slot "${name}" has shape [${saved.shape}] but the weight is [${variable.shape}]`);
        }
        variable.assign(saved);
      }
      iterations = state.iterations;
    },
    dispose() {
      for (const variable of slots.values()) variable.dispose();
      slots.clear();
    },
  };
}
