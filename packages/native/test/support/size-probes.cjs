// Calls the addon at $SEQLOOM_ADDON with crafted sizes at the int32 and int64
// limits and tiny buffers, in a process of its own (an out-of-bounds access
// ends it instead of the test runner); prints what each call did as JSON.
const addon = require(process.env.SEQLOOM_ADDON);
const f = (n) => new Float32Array(n);
const one = f(1);
const i64 = 2 ** 40; // the largest batch and stride sgemm takes
const i32 = 2 ** 31 - 1; // the GEMM's int
const probes = {
  // batch·m·n = 2⁶⁴ wraps to 0 in int64: unchecked, c passes with 1 element and k = 0 zero-fills 2²⁴ floats per batch
  sgemmWrappedC: () => addon.sgemm(false, false, i64, 2 ** 24, 1, 0, 1, f(0), 0, f(0), 0, 0, one),
  // strideA·(batch − 1) overflows int64
  sgemmSpanA: () => addon.sgemm(false, false, i64, 1, 1, 1, 1, one, i64, one, 0, 0, one),
  sgemmSpanB: () => addon.sgemm(false, false, i64, 1, 1, 1, 1, one, 0, one, i64, 0, one),
  // the largest m the GEMM takes, on tiny buffers
  sgemmIntMax: () => addon.sgemm(false, true, 1, i32, 1, 1, 1, one, 0, one, 0, 0, one),
  sgemmBeyondInt: () => addon.sgemm(false, false, 1, i32 + 1, 1, 1, 1, one, 0, one, 0, 0, one),
  sgemmKBeyondInt: () => addon.sgemm(false, false, 1, 1, 1, 2 ** 32, 1, one, 0, one, 0, 0, one),
  // P = 3·2³⁰ packed rows: beyond the int of dU's product
  sequenceGradRows: () => {
    const active = Int32Array.of(2 ** 30, 2 ** 30, 2 ** 30);
    addon.lstmSequenceGrad(2 ** 30, 1, active, one, one, one, one, one, one, one, one, one, one, one, one);
  },
  sequenceRows: () => addon.lstmSequence(2 ** 30, 2 ** 24, Int32Array.of(2 ** 30, 2 ** 30), one, one, one, one, one, one, null, null),
  lstmCellRows: () => addon.lstmCell(2 ** 30, 2 ** 24, one, one, one, one, one, null, null),
  lstmCellGradFinal: () => addon.lstmCellGrad(1, 1, 0, 2 ** 30, 0, f(4), one, one, one, one, one, f(4), one),
  gruCellRows: () => addon.gruCell(2 ** 30, 2 ** 24, one, one, one, one),
  rnnCellCount: () => addon.rnnCell(i64, one, one, one),
  nllVocab: () => addon.maskedNll(one, i32, new Int32Array(2), f(2), 0),
  segmentWidth: () => addon.segmentSum(new Int32Array(3), one, i32, f(0)),
};
const out = {};
for (const [name, probe] of Object.entries(probes)) {
  try {
    probe();
    out[name] = 'returned';
  } catch (error) {
    out[name] = `${error.name}: ${error.message}`;
  }
}
console.log(JSON.stringify(out));
