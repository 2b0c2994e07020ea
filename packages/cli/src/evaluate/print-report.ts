import type { G2pScores } from '@seqloom/metrics';
import type { EvaluationReport } from '@seqloom/seq2seq';
import type { Output } from '../output.js';
import { formatDuration } from '../progress/progress-events.js';

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/** The machine-readable form of a report (`--json`). */
export function reportJson(report: EvaluationReport, decoder: Record<string, unknown>): Record<string, unknown> {
  const s = report.scores;
  return {
    task: report.task,
    examples: report.examples,
    tokens: report.tokens,
    loss: report.loss,
    perplexity: report.perplexity,
    tokenAccuracy: report.tokenAccuracy,
    ...(report.carryState !== undefined ? { carryState: report.carryState } : {}),
    ...(s
      ? {
          exactMatch: s.exactMatch.accuracy,
          sentenceErrorRate: 1 - s.exactMatch.accuracy,
          tokenErrorRate: s.tokenErrorRate?.rate ?? null,
          characterErrorRate: s.characterErrorRate.rate,
          wordErrorRate: s.wordErrorRate.rate,
          bleu: s.bleu.score,
          chrF: s.chrF.score,
        }
      : {}),
    ...(report.g2p ? { g2p: g2pJson(report.g2p) } : {}),
    decoding: decoder,
    elapsedMs: report.elapsedMs,
  };
}

function g2pJson(g: G2pScores): Record<string, unknown> {
  return {
    words: g.words,
    wordErrorRate: g.wordErrorRate,
    wordErrors: g.wordErrors,
    phonemeErrorRate: g.phonemeErrorRate,
    phonemeErrors: g.phonemeErrors,
    referencePhonemes: g.referencePhonemes,
    ...(g.oracle ? { oracle: { nBest: g.oracle.nBest, wordErrorRate: g.oracle.wordErrorRate, wordErrors: g.oracle.wordErrors } } : {}),
  };
}

/** The G2P line: word error rate, phoneme error rate and the n-best oracle. */
function g2pLine(g: G2pScores): string {
  const oracle = g.oracle ? `  oracle WER (${g.oracle.nBest}-best) ${pct(g.oracle.wordErrorRate)} (${g.oracle.wordErrors}/${g.words})` : '';
  return (
    `G2P: WER ${pct(g.wordErrorRate)} (${g.wordErrors}/${g.words} words wrong)  ` +
    `PER ${pct(g.phonemeErrorRate)} (${g.phonemeErrors}/${g.referencePhonemes} phonemes)${oracle}`
  );
}

/** Prints a report for people. */
export function printReport(out: Output, report: EvaluationReport, decoderName: string, show: number): void {
  const lines = [
    `evaluated ${report.examples} ${report.task === 'lm' ? 'windows' : 'sources'} in ${formatDuration(report.elapsedMs / 1000)}` +
      (report.task === 'seq2seq' ? ` (${decoderName} decoding)` : ''),
    `loss ${report.loss.toFixed(4)}  perplexity ${report.perplexity.toFixed(3)}  token accuracy ${pct(report.tokenAccuracy)}`,
  ];
  const s = report.scores;
  if (s) {
    lines.push(
      `exact match ${pct(s.exactMatch.accuracy)} (${s.exactMatch.matches}/${s.exactMatch.total}; any reference counts)`,
      `token error rate ${s.tokenErrorRate ? pct(s.tokenErrorRate.rate) : 'n/a'}  character error rate ${pct(s.characterErrorRate.rate)}  word error rate ${pct(s.wordErrorRate.rate)}`,
      `BLEU ${s.bleu.score.toFixed(2)}  chrF ${s.chrF.score.toFixed(2)}`,
    );
  }
  if (report.g2p) lines.push(g2pLine(report.g2p));
  for (const e of (report.outputs ?? []).slice(0, show)) {
    lines.push(`${e.correct ? '✓' : '✗'} ${e.source} → ${e.hypothesis}   (reference: ${e.references.join(' | ')})`);
  }
  out.result(lines.join('\n'));
}
