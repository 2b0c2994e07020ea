import { describe, expect, it } from 'vitest';
import { fuzzPatterns, patternCases } from './fuzz/pattern-fuzz.js';

describe('fuzzed tokenizer.json regular expressions', () => {
  it('cases mix pathological shapes and random combinations, with 5,000-character texts', () => {
    const cases = patternCases(36, 7);
    expect(cases).toHaveLength(36);
    expect(cases.some((c) => /\(\?:.*\)[*+]/.test(c.pattern))).toBe(true);
    expect(cases.some((c) => c.place === 'split') && cases.some((c) => c.place === 'replace')).toBe(true);
    for (const c of cases) for (const text of c.texts) expect(text.length).toBe(5001);
  });

  it('every pattern is refused with a TokenizerFormatError naming the file and field, or loads and encodes within 2 s', async () => {
    // A fixed seed: the same cases on every run.
    const report = await fuzzPatterns({ runs: 36, seed: 7, timeoutMs: 2000 });
    expect(report.failures).toEqual([]);
    expect(report.cases).toBe(36);
    expect(report.refused).toBeGreaterThan(0);
    expect(report.encoded).toBeGreaterThan(0);
  });
});
