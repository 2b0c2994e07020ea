import type { StepModel } from '@seqloom/decode';

export interface Enumerated {
  ids: number[];
  logProb: number;
  finishReason: 'eos' | 'length';
}

/** Log-softmax with pad masked (pad ≠ eos), computed independently of the package. */
function distribution(logits: Float32Array, padId: number, eosId: number): number[] {
  const xs = Array.from(logits, (x, v) => (v === padId && padId !== eosId ? -Infinity : x));
  const max = Math.max(...xs);
  const lse = max + Math.log(xs.reduce((s, x) => s + Math.exp(x - max), 0));
  return xs.map((x) => x - lse);
}

/** Logits after feeding bos then `prefix`, from a fresh single-row state. */
async function logitsAfter<S>(model: StepModel<S>, source: readonly number[], prefix: readonly number[]): Promise<Float32Array> {
  let state = await model.start([source]);
  let logits = new Float32Array(0);
  for (const token of [model.bosId, ...prefix]) {
    const out = await model.step(state, Int32Array.of(token));
    state = out.state;
    logits = out.logits;
  }
  model.dispose(state);
  return logits;
}

/**
 * Every sequence of at most maxLength tokens: those ending in eos, and those
 * of exactly maxLength tokens without eos. Each prefix is re-run from scratch,
 * so no decoder code is involved.
 */
export async function enumerateAll<S>(model: StepModel<S>, source: readonly number[], maxLength: number): Promise<Enumerated[]> {
  const out: Enumerated[] = [];
  const visit = async (prefix: number[], logProb: number): Promise<void> => {
    if (prefix.length === maxLength) {
      out.push({ ids: prefix, logProb, finishReason: 'length' });
      return;
    }
    const lp = distribution(await logitsAfter(model, source, prefix), model.padId, model.eosId);
    for (let v = 0; v < lp.length; v++) {
      if (lp[v] === -Infinity) continue;
      if (v === model.eosId) out.push({ ids: [...prefix, v], logProb: logProb + lp[v], finishReason: 'eos' });
      else await visit([...prefix, v], logProb + lp[v]);
    }
  };
  await visit([], 0);
  return out;
}
