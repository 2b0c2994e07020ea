import type { GenerationResult, Hypothesis } from './hypothesis.js';

/**
 * What `stream` yields, in order of occurrence:
 * - `token`: greedy and sampling: row `sample` of source `source` generated
 *   `token` with log-probability `logProb` at `step` (0-based);
 * - `hypothesis`: a hypothesis finished (for beam and exhaustive search: it
 *   entered the current n-best, which a better one may still displace);
 * - `result`: the final result of a source, once generation has ended.
 */
export type StepEvent =
  | { type: 'token'; source: number; sample: number; step: number; token: number; logProb: number }
  | { type: 'hypothesis'; source: number; hypothesis: Hypothesis }
  | { type: 'result'; source: number; result: GenerationResult };
