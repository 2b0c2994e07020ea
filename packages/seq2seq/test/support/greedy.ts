import type { StepModel } from '@seqloom/decode';

/** Minimal batched greedy decoding over a StepModel (argmax until eos or maxLength). */
export async function greedy<S>(model: StepModel<S>, sources: number[][], maxLength: number): Promise<number[][]> {
  let state = await model.start(sources);
  const outputs: number[][] = sources.map(() => []);
  const done = new Array(sources.length).fill(false);
  let previous = new Int32Array(sources.length).fill(model.bosId);
  for (let t = 0; t < maxLength && done.some((d) => !d); t++) {
    const { logits, state: next } = await model.step(state, previous);
    state = next;
    previous = new Int32Array(sources.length);
    for (let r = 0; r < sources.length; r++) {
      let best = 0;
      for (let v = 1; v < model.vocabSize; v++) if (logits[r * model.vocabSize + v] > logits[r * model.vocabSize + best]) best = v;
      previous[r] = best;
      if (done[r]) continue;
      if (best === model.eosId) done[r] = true;
      else outputs[r].push(best);
    }
  }
  model.dispose(state);
  return outputs;
}
