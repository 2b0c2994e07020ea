import type { StepModel } from '@seqloom/decode';
import { planEvaluation } from '../data/batching.js';
import type { SequenceExample } from '../data/sequence-example.js';
import type { EvaluationMetrics } from '../train/evaluate.js';

/**
 * Teacher-forced NLL, perplexity and token accuracy of any {@link StepModel}
 * (an ensemble, say) on seq2seq examples: each batch is started on its
 * sources and stepped with the gold `targetIn` tokens; position t of a row
 * scores `targetOut[t]` under the log-softmax of the step's logits. Rows past
 * their length are fed the pad token and not scored. Gives the numbers
 * `evaluate` gives for a single model, through the decoding contract.
 */
export async function scoreWithStepModel(model: StepModel<unknown>, examples: readonly SequenceExample[], batchSize: number): Promise<EvaluationMetrics> {
  let lossSum = 0;
  let correct = 0;
  let tokens = 0;
  for (const indices of planEvaluation(examples, batchSize)) {
    const rows = indices.map((i) => examples[i]);
    const steps = Math.max(...rows.map((r) => r.targetIn.length));
    let state = await model.start(rows.map((r) => r.source));
    try {
      for (let t = 0; t < steps; t++) {
        const previous = Int32Array.from(rows, (r) => (t < r.targetIn.length ? r.targetIn[t] : model.padId));
        const out = await model.step(state, previous);
        state = out.state;
        rows.forEach((r, b) => {
          if (t >= r.targetOut.length) return;
          const scored = scoreRow(out.logits, b * model.vocabSize, model.vocabSize, r.targetOut[t]);
          lossSum -= scored.logProb;
          if (scored.argmax === r.targetOut[t]) correct++;
          tokens++;
        });
      }
    } finally {
      model.dispose(state);
    }
  }
  const loss = tokens > 0 ? lossSum / tokens : NaN;
  return { loss, perplexity: Math.exp(loss), accuracy: tokens > 0 ? correct / tokens : NaN, tokens };
}

/** log-softmax of one row at `target`, and the row's argmax (lowest id on ties). */
function scoreRow(logits: Float32Array, base: number, V: number, target: number): { logProb: number; argmax: number } {
  let max = -Infinity;
  let argmax = 0;
  for (let v = 0; v < V; v++) {
    if (logits[base + v] > max) {
      max = logits[base + v];
      argmax = v;
    }
  }
  let sum = 0;
  for (let v = 0; v < V; v++) sum += Math.exp(logits[base + v] - max);
  return { logProb: logits[base + target] - max - Math.log(sum), argmax };
}
