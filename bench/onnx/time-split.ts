// Where seqloom's time goes when it decodes an ONNX export: inside onnxruntime's
// run(), in the StepModel around it, or in the decode loop; and transformers.js's
// time inside run().
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { StepModel } from '@seqloom/decode';

/** Seconds spent so far, by where. */
export interface Clock {
  run: number;
  runCalls: number;
  model: number;
}

type Run = (...args: unknown[]) => Promise<unknown>;

/**
 * Times every InferenceSession.run() of the onnxruntime-node that the package
 * in folder `from` loads (the same CommonJS module, so the same class) into
 * `clock`; returns the function that removes the wrapper.
 */
export function timeOrtRuns(clock: Clock, from: string): () => void {
  const ort = createRequire(join(from, 'package.json'))('onnxruntime-node') as { InferenceSession: { prototype: { run: Run } } };
  const proto = ort.InferenceSession.prototype;
  const original = proto.run;
  proto.run = async function timedRun(this: unknown, ...args: unknown[]): Promise<unknown> {
    const t0 = performance.now();
    try {
      return await original.apply(this, args);
    } finally {
      clock.run += (performance.now() - t0) / 1000;
      clock.runCalls++;
    }
  };
  return () => {
    proto.run = original;
  };
}

/** `model` with the time of its start, step and reorder calls added to `clock.model`. */
export function timedStepModel<S>(model: StepModel<S>, clock: Clock): StepModel<S> {
  const add = (t0: number) => (clock.model += (performance.now() - t0) / 1000);
  return {
    vocabSize: model.vocabSize,
    bosId: model.bosId,
    eosId: model.eosId,
    padId: model.padId,
    async start(sources) {
      const t0 = performance.now();
      try {
        return await model.start(sources);
      } finally {
        add(t0);
      }
    },
    async step(state, previous) {
      const t0 = performance.now();
      try {
        return await model.step(state, previous);
      } finally {
        add(t0);
      }
    },
    reorder(state, rows) {
      const t0 = performance.now();
      try {
        return model.reorder(state, rows);
      } finally {
        add(t0);
      }
    },
    dispose: (state) => model.dispose(state),
  };
}
