import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CellParams, createCell, zeroState } from '../src/cells/cell.js';
import { CELL_REGISTRY } from '../src/cells/cell-registry.js';
import { CELL_TYPES, DEFAULT_CELL } from '../src/cells/cell-types.js';
import { steppedSequence } from '../src/cells/stepped-sequence.js';
import { CHECKPOINT_FORMAT_VERSION, checkCheckpointConfig } from '../src/checkpoint/checkpoint-config.js';
import type { KernelPass } from '../src/kernels/kernel-set.js';
import { referenceKernels } from '../src/kernels/reference-kernels.js';
import { ModelConfigError, validateModelConfig } from '../src/model/config.js';
import { WeightStore } from '../src/model/weight-store.js';
import type { CellType } from '../src/model-contract.js';

const KEYS = Object.keys(CELL_REGISTRY) as CellType[];
const H = 5;

function checkpointConfig(cell: string): Record<string, unknown> {
  const model = { ...validateModelConfig({ sourceVocabSize: 6, targetVocabSize: 6 }), cell };
  return {
    format: 'seqloom-checkpoint',
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    model,
    training: {},
    files: { tokenizer: null, sourceTokenizer: null, optimizer: null, state: null },
  };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the cell registry', () => {
  it('CELL_TYPES (what the command line and the ONNX loader read) names exactly its rows, in order, the default among them', () => {
    expect([...CELL_TYPES]).toEqual(KEYS);
    expect(KEYS).toContain(DEFAULT_CELL);
  });

  it("CELL_TYPES loads without TensorFlow.js (the command line's help reads it): cell-types.ts imports nothing", () => {
    const source = readFileSync(new URL('../src/cells/cell-types.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/^\s*(import|export\s.*\sfrom)\s/m);
  });

  it('model config validation accepts every registered cell and, rejecting another, lists exactly the registered ones', () => {
    for (const cell of KEYS) expect(validateModelConfig({ cell, sourceVocabSize: 6, targetVocabSize: 6 }).cell).toBe(cell);
    expect(validateModelConfig({ sourceVocabSize: 6, targetVocabSize: 6 }).cell).toBe(DEFAULT_CELL);
    const bad = () => validateModelConfig({ cell: 'transformer' as CellType, sourceVocabSize: 6, targetVocabSize: 6 });
    expect(bad).toThrow(ModelConfigError);
    expect(bad).toThrow(`Invalid model option "cell": got "transformer", expected one of ${KEYS.join(', ')}.`);
  });

  it('checkpoint config.json validation accepts every registered cell and, rejecting another, lists exactly the registered ones', () => {
    for (const cell of KEYS) expect(checkCheckpointConfig('run/config.json', checkpointConfig(cell)).model.cell).toBe(cell);
    expect(() => checkCheckpointConfig('run/config.json', checkpointConfig('transformer'))).toThrow(
      `model.cell is "transformer"; expected ${KEYS.map((k) => `"${k}"`).join(' | ')}`,
    );
  });

  it.each(KEYS)('%s: weights, initial state and ONNX gate order follow its gate and state counts', (kind) => {
    const definition = CELL_REGISTRY[kind];
    const width = definition.gates * H;
    const store = new WeightStore(1);
    const cell = createCell(store, 'l', kind, 3, H, 0.5);
    expect([cell.kernel.shape, cell.recurrent.shape, cell.bias.shape]).toEqual([[3, width], [H, width], [width]]);
    expect(cell.recurrentBias?.shape).toEqual(definition.recurrentBias ? [width] : undefined);
    expect(Array.from(cell.bias.dataSync())).toEqual(Array.from(definition.initialBias(H, { forgetBias: 0.5 })));
    const state = zeroState(cell, 2);
    expect(state.map((s) => s.shape)).toEqual(definition.states.map(() => [2, H]));
    expect([...definition.onnx.gateOrder].sort()).toEqual(Array.from({ length: definition.gates }, (_, g) => g));
    tf.dispose(state);
    store.dispose();
  });
});

/** The layer op of `kind` (or `steppedSequence` of its step) over packed rows: its value and the gradients of a weighted sum of it. */
function runSequence(kind: CellType, stepped: boolean, differentiable: boolean) {
  const definition = CELL_REGISTRY[kind];
  const sequence = stepped ? steppedSequence(definition.step) : definition.sequence;
  const active = Int32Array.from([3, 3, 2, 1, 0]); // rows 3, steps 5 (the last runs no row)
  const store = new WeightStore(7);
  const cell = createCell(store, 'l', kind, 4, H);
  const gates = tf.randomNormal([9, definition.gates * H], 0, 1, 'float32', 2) as tf.Tensor2D;
  const initial = definition.states.map((_, k) => tf.randomNormal([3, H], 0, 1, 'float32', 3 + k) as tf.Tensor2D);
  const weights = tf.randomNormal([9 + 3 * definition.states.length, H], 0, 1, 'float32', 9);
  const pass: KernelPass = { kernels: referenceKernels, differentiable };
  const inputs = [gates, cell.recurrent, ...(cell.recurrentBias ? [cell.recurrentBias] : []), ...initial] as tf.Tensor[];
  const values = tf.tidy(() => {
    const f = (g: tf.Tensor, u: tf.Tensor, ...rest: tf.Tensor[]) => {
      const bias = cell.recurrentBias ? rest.shift() : undefined;
      const params = { ...cell, recurrent: u, recurrentBias: bias } as CellParams;
      return sequence(params, g as tf.Tensor2D, rest as tf.Tensor2D[], active, pass);
    };
    if (!differentiable) return [f(inputs[0]!, inputs[1]!, ...inputs.slice(2))].map((t) => Array.from(t.dataSync()));
    const { value, grads } = tf.valueAndGrads((...a: tf.Tensor[]) => tf.sum(tf.mul(f(a[0]!, a[1]!, ...a.slice(2)), weights)) as tf.Scalar)(inputs);
    return [value, ...grads].map((t) => Array.from(t.dataSync()));
  });
  tf.dispose([gates, ...initial, weights]);
  store.dispose();
  return values;
}

describe('steppedSequence (the layer op of a cell without a fused one)', () => {
  for (const kind of KEYS) {
    for (const differentiable of [false, true]) {
      it(`${kind}, ${differentiable ? 'differentiable (value and every gradient)' : 'inference'}: the same as the cell's own layer op, and no tensor left behind`, () => {
        const before = tf.memory().numTensors;
        const want = runSequence(kind, false, differentiable);
        const got = runSequence(kind, true, differentiable);
        expect(tf.memory().numTensors).toBe(before);
        expect(got.map((v) => v.length)).toEqual(want.map((v) => v.length));
        got.forEach((values, i) => values.forEach((v, j) => expect(Math.abs(v - want[i]![j]!)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(want[i]![j]!)))));
      });
    }
  }
});
