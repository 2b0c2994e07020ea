import { describe, expect, it } from 'vitest';
import { type DecodeStepSpec, type DecodeStepWeights, nativeDecodeStep } from '../src/index.js';
import { loadNativeAddon } from '../src/internal.js';
import { unavailable } from './native-available.js';

// A one-layer RNN decoder (G = 1) with dot attention: E = 2, H = 2, V = 3.
const spec: DecodeStepSpec = { cell: 'rnn', layers: 1, embeddingSize: 2, hiddenSize: 2, vocabSize: 3, attention: 'dot', inputFeeding: false, output: 'untied' };
const identity = () => Float32Array.of(1, 0, 0, 1);
function weights(): DecodeStepWeights {
  return {
    embedding: Float32Array.of(0, 0, 1, 0, 0, 1),
    layers: [{ kernel: identity(), recurrent: new Float32Array(4), bias: new Float32Array(2) }],
    combine: Float32Array.of(1, 0, 0, 1, 0, 0, 0, 0), // attentional = tanh(context)
    outputKernel: Float32Array.of(1, 0, 0, 0, 1, 0),
    outputBias: Float32Array.of(0, 0, 0.5),
  };
}

describe.skipIf(unavailable !== undefined)('the fused decoder step in the addon', () => {
  it('computes a step by hand: rnn cell, masked dot attention, output projection, reorder by parents', () => {
    const engine = nativeDecodeStep();
    const model = engine.createModel(spec, weights());
    // two source rows of length 2 (row 1 has one real position)
    const memory = Float32Array.of(1, 0, 0, 1, /* row 1 */ 0, 2, 5, 5);
    const session = engine.createSession(model, { rows: 2, sourceLength: 2, memory, lengths: Int32Array.of(2, 1), initial: new Float32Array(4), table: false });
    const logits = new Float32Array(3 * 3);
    const attention = new Float32Array(3 * 2);
    // three rows: 0 and 1 continue source row 1, row 2 continues source row 0
    engine.step(session, Int32Array.of(1, 2, 2), Int32Array.of(1, 1, 0), logits, attention);
    // h = tanh(embedding): row 0 [tanh 1, 0], rows 1, 2 [0, tanh 1]
    const t = Math.tanh(1);
    // source row 1 has one real position: weight 1 on it, context [0, 2]; source row 0: softmax of [0, t]
    const w = 1 / (1 + Math.exp(t));
    expect(Array.from(attention)).toEqual([1, 0, 1, 0, expect.closeTo(w, 6), expect.closeTo(1 - w, 6)]);
    const expected = [
      [0, Math.tanh(2), 0.5],
      [0, Math.tanh(2), 0.5],
      [Math.tanh(w), Math.tanh(1 - w), 0.5],
    ].flat();
    expected.forEach((value, i) => expect(logits[i]).toBeCloseTo(value, 5));
    engine.free(session);
    expect(() => engine.step(session, Int32Array.of(0, 0, 0), null, logits, null)).toThrow(/decodeStep: the session was freed/);
  });

  it('runs the ReLU RNN cell: h = max(0, x·K + b + h·U)', () => {
    const engine = nativeDecodeStep();
    const model = engine.createModel(
      { ...spec, cell: 'relu', attention: 'none' },
      { ...weights(), embedding: Float32Array.of(0, 0, 1, -1, -2, 3), combine: undefined },
    );
    const session = engine.createSession(model, { rows: 2, sourceLength: 0, memory: null, lengths: null, initial: new Float32Array(4), table: true });
    const logits = new Float32Array(6);
    engine.step(session, Int32Array.of(1, 2), null, logits, null);
    expect(Array.from(logits)).toEqual([1, 0, 0.5, 0, 3, 0.5]);
    engine.free(session);
  });

  it('checks the weights against the shape, naming the entry', () => {
    const engine = nativeDecodeStep();
    expect(() => engine.createModel(spec, { ...weights(), outputBias: new Float32Array(2) })).toThrow(
      /decodeStepModel: weights\[11\] has 2 elements, the shapes need 3/,
    );
    expect(() => engine.createModel(spec, { ...weights(), combine: new Float32Array(9) })).toThrow(
      /weights\[8\] has 9 elements, the model's shape needs exactly 8/,
    );
    expect(() => engine.createModel({ ...spec, output: 'tied', embeddingSize: 3 }, weights())).toThrow(/dims\[7\] \(output\)/);
    expect(() => engine.createModel({ ...spec, attention: 'none', inputFeeding: true }, weights())).toThrow(/dims\[6\] \(inputFeeding\)/);
    expect(() => engine.createModel({ ...spec, layers: 2 }, weights())).toThrow(/weights has 1 layers, spec.layers is 2/);
    expect(() => loadNativeAddon().decodeStepModel(Int32Array.of(0, 1, 2), [])).toThrow(/dims must hold 8 values/);
  });

  it('checks sessions and steps, naming the argument', () => {
    const engine = nativeDecodeStep();
    const model = engine.createModel(spec, weights());
    const init = { rows: 2, sourceLength: 2, memory: new Float32Array(8), lengths: Int32Array.of(2, 1), initial: new Float32Array(4), table: true };
    expect(() => engine.createSession(model, { ...init, lengths: Int32Array.of(2, 3) })).toThrow(/lengths\[1\] = 3 is outside \[1, sourceLength = 2\]/);
    expect(() => engine.createSession(model, { ...init, memory: new Float32Array(7) })).toThrow(/memory has 7 elements, rows × sourceLength × hidden = 8/);
    expect(() => engine.createSession(model, { ...init, initial: new Float32Array(3) })).toThrow(/initial has 3 elements/);
    expect(() => engine.createSession({} as never, init)).toThrow(/model must be a handle from decodeStepModel/);
    const session = engine.createSession(model, init);
    const logits = new Float32Array(6);
    expect(() => engine.step(model as never, Int32Array.of(0, 0), null, logits, null)).toThrow(/session must be a handle from decodeStepSession/);
    expect(() => engine.step(session, Int32Array.of(0, 3), null, logits, null)).toThrow(/ids\[1\] = 3 is outside the vocabulary \[0, 3\)/);
    expect(() => engine.step(session, Int32Array.of(0, 0, 0), null, logits, null)).toThrow(/ids has 3 rows but the session has 2/);
    expect(() => engine.step(session, Int32Array.of(0, 0), Int32Array.of(0, 2), logits, null)).toThrow(/parents\[1\] = 2 is not a row of the session/);
    expect(() => engine.step(session, Int32Array.of(0, 0), null, new Float32Array(5), null)).toThrow(/logits has 5 elements, the shapes need 6/);
    expect(() => engine.step(session, Int32Array.of(0, 0), null, logits, new Float32Array(3))).toThrow(/weights has 3 elements, the shapes need 4/);
    expect(() => engine.step(session, new Int32Array(0), null, logits, null)).toThrow(/ids must hold between 1 and 2\^24 rows/);
    engine.step(session, Int32Array.of(0, 1), null, logits, null); // still usable after the rejected calls
    expect(logits.every(Number.isFinite)).toBe(true);
    engine.free(session);
  });
});
