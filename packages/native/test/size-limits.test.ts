import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ADDON_PATH } from '../src/internal.js';
import { unavailable } from './native-available.js';

const PROBES = fileURLToPath(new URL('./support/size-probes.cjs', import.meta.url));

/** What each probe of support/size-probes.cjs did, run against the addon at `addon` in a process of its own. */
function probe(addon: string): Record<string, string> {
  const run = spawnSync(process.execPath, [PROBES], { env: { ...process.env, SEQLOOM_ADDON: addon }, encoding: 'utf8', timeout: 60_000 });
  expect(run.signal, `the probes crashed the process: ${run.stderr}`).toBeNull();
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Record<string, string>;
}

describe.skipIf(unavailable !== undefined)('sizes at the int32 and int64 limits are RangeErrors, never an out-of-bounds access', () => {
  it('every size product is checked for overflow before any pointer arithmetic, and GEMM dimensions stay within its int', () => {
    const said = probe(ADDON_PATH);
    expect(said['sgemmWrappedC']).toMatch(/^RangeError: @seqloom\/native sgemm: the size of c \(batch·m·n\) overflows 64-bit integers/);
    expect(said['sgemmSpanA']).toMatch(/^RangeError: @seqloom\/native sgemm: the size of a \(strideA·\(batch − 1\) \+ m·k\) overflows/);
    expect(said['sgemmSpanB']).toMatch(/^RangeError: @seqloom\/native sgemm: the size of b \(strideB·\(batch − 1\) \+ k·n\) overflows/);
    expect(said['sgemmIntMax']).toBe('RangeError: @seqloom/native sgemm: a has 1 elements, the shapes need 2147483647');
    expect(said['sgemmBeyondInt']).toBe('RangeError: @seqloom/native sgemm: m must be in [0, 2147483647], got 2147483648');
    expect(said['sgemmKBeyondInt']).toBe('RangeError: @seqloom/native sgemm: k must be in [0, 2147483647], got 4294967296');
    expect(said['sequenceGradRows']).toMatch(
      /^RangeError: @seqloom\/native lstmSequenceGrad: the packed rows P \(Σ active\) is 3221225472, beyond the GEMM's largest dimension 2147483647/,
    );
    expect(said['sequenceRows']).toMatch(/^RangeError: @seqloom\/native lstmSequence: gates has 1 elements, the shapes need 144115188075855872$/);
    expect(said['lstmCellRows']).toMatch(/^RangeError: @seqloom\/native lstmCell: x has 1 elements, the shapes need 72057594037927936$/);
    expect(said['lstmCellGradFinal']).toMatch(/^RangeError: @seqloom\/native lstmCellGrad: dy \(final rows\) has 1 elements/);
    expect(said['gruCellRows']).toMatch(/^RangeError: @seqloom\/native gruCell: x has 1 elements, the shapes need 54043195528445952$/);
    expect(said['rnnCellCount']).toMatch(/^RangeError: @seqloom\/native rnnCell: x has 1 elements, the shapes need 1099511627776$/);
    expect(said['nllVocab']).toMatch(/^RangeError: @seqloom\/native maskedNll: logits has 1 elements, the shapes need 4294967294$/);
    expect(said['segmentWidth']).toMatch(/^RangeError: @seqloom\/native segmentSum: x has 1 elements, the shapes need 6442450941$/);
  });
});
