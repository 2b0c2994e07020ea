import { addTo, countDown, get, i32, op, set, shuffle, simd, v, v128, v128Load, v128Store, type WasmFunction, whileBelow } from './wasm-binary.js';

/**
 * The whole pointwise LSTM step as one WebAssembly SIMD function, four hidden
 * units at a time, bit-identical to the specification that calls the
 * backend's `Add` and `Sigmoid` (XNNPACK) and finishes in float64 (the
 * TypeScript oracle of the tests, `test/support/lstm-cell-loops.ts`):
 *
 * - z = x + r as float32 (XNNPACK's add), the g block doubled;
 * - σ(z) with XNNPACK's float32 WebAssembly-SIMD sigmoid (range reduction
 *   with a magic bias, exp(−|z|) by a degree-5 polynomial, e/(e+1), the
 *   complement for z ≥ 0, 0 past the cutoff), the same operations in the
 *   same order, so the same bits;
 * - g = 2σ(2g) − 1, c' = σf·c + σi·g, tanh c' = 2σ(2c') − 1, h' = σo·tanh c'
 *   in float64 (f64x2 lanes), rounded once to float32, as the TypeScript
 *   loops do.
 *
 * `lstm_cell(x, r, c, h, cn, gates, tc, rows, hidden)`: byte offsets of
 * x, r [B, 4H], c [B, H] and the outputs h', c' [B, H]; with `gates` ≠ 0 also
 * the activated gates [σi, σf, g, σo] ([B, 4H]) and `tc` = tanh c' ([B, H]).
 * `hidden` must be at least 4. When it is not a multiple of 4, the last four
 * units of each row are computed once more, overlapping the previous group:
 * every unit depends only on its own inputs, so the overlap rewrites the same
 * values.
 */
export function lstmCellSimdFunction(): WasmFunction {
  // params
  const X = 0,
    R = 1,
    C = 2,
    Hp = 3,
    CN = 4,
    GATES = 5,
    TC = 6,
    ROWS = 7,
    HIDDEN = 8;
  // i32 locals
  const HB = 9,
    END = 10,
    FULL = 11,
    MAIN = 12,
    BACK = 13;
  // v128 locals: constants, then working values
  const firstVector = 14;
  let next = firstVector;
  const local = () => next++;
  const K = {
    magic: local(),
    minusLog2e: local(),
    ln2Hi: local(),
    ln2Lo: local(),
    c5: local(),
    c4: local(),
    c3: local(),
    c2: local(),
    c1: local(),
    one: local(),
    cutoff: local(),
    twoF: local(),
    twoD: local(),
    oneD: local(),
  };
  const ZI = local(),
    ZF = local(),
    ZG = local(),
    ZO = local(),
    CV = local(),
    TW = local(),
    SQ = local();
  const Z = local(),
    N = local(),
    S = local(),
    T = local(),
    P = local(),
    E = local();
  const GL = local(),
    GH = local(),
    VL = local(),
    VH = local(),
    TL = local(),
    TH = local();
  const v128Count = next - firstVector;

  const f32x4 = (value: number) => [0xfd, simd.const, ...new Uint8Array(new Float32Array(4).fill(value).buffer)];
  const f64x2 = (value: number) => [0xfd, simd.const, ...new Uint8Array(new Float64Array(2).fill(value).buffer)];
  const constants = [
    ...f32x4(12583039),
    ...set(K.magic), // 0x1.8000FEp23
    ...f32x4(-1.4426950216293335),
    ...set(K.minusLog2e),
    ...f32x4(0.693145751953125),
    ...set(K.ln2Hi),
    ...f32x4(1.428606765330187e-6),
    ...set(K.ln2Lo),
    ...f32x4(-0.008289290592074394),
    ...set(K.c5),
    ...f32x4(0.04189782217144966),
    ...set(K.c4),
    ...f32x4(-0.16667652130126953),
    ...set(K.c3),
    ...f32x4(0.4999915063381195),
    ...set(K.c2),
    ...f32x4(-0.9999997019767761),
    ...set(K.c1),
    ...f32x4(1),
    ...set(K.one),
    ...f32x4(87.33654022216797),
    ...set(K.cutoff),
    ...f32x4(2),
    ...set(K.twoF),
    ...f64x2(2),
    ...set(K.twoD),
    ...f64x2(1),
    ...set(K.oneD),
  ];

  const f32Add = v(simd.f32x4Add),
    f32Sub = v(simd.f32x4Sub),
    f32Mul = v(simd.f32x4Mul);
  const f64Add = v(simd.f64x2Add),
    f64Sub = v(simd.f64x2Sub),
    f64Mul = v(simd.f64x2Mul);
  const promote = v(simd.f64x2PromoteLowF32x4),
    demote = v(simd.f32x4DemoteF64x2Zero);
  const high = shuffle([8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15]); // lanes 2, 3 → 0, 1
  const merge = shuffle([0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]); // lanes 0, 1 of each
  const at = (ptr: number, blocks: number) => (blocks === 0 ? get(ptr) : [...get(ptr), ...get(HB), op.i32Const, blocks, op.i32Mul, op.i32Add]);
  const load = (ptr: number, blocks: number) => [...at(ptr, blocks), ...v128Load];
  const promoted = (l: number, upper: boolean) => [...get(l), ...(upper ? [...get(l), ...high] : []), ...promote];

  /** dst = σ(src) (float32x4), XNNPACK's operations in its order; dst may be src. */
  const sigmoid = (src: number, dst: number) => [
    ...get(src),
    ...v(simd.f32x4Abs),
    ...set(Z),
    ...get(K.magic),
    ...get(Z),
    ...get(K.minusLog2e),
    ...f32Mul,
    ...f32Add,
    ...set(N),
    ...get(N),
    op.i32Const,
    23,
    ...v(simd.i32x4Shl),
    ...set(S),
    ...get(N),
    ...get(K.magic),
    ...f32Sub,
    ...set(N),
    ...get(Z),
    ...get(N),
    ...get(K.ln2Hi),
    ...f32Mul,
    ...f32Add,
    ...set(T),
    ...get(T),
    ...get(N),
    ...get(K.ln2Lo),
    ...f32Mul,
    ...f32Add,
    ...set(T),
    ...get(K.c4),
    ...get(T),
    ...get(K.c5),
    ...f32Mul,
    ...f32Add,
    ...set(P),
    ...[K.c3, K.c2, K.c1].flatMap((c) => [...get(c), ...get(T), ...get(P), ...f32Mul, ...f32Add, ...set(P)]),
    ...get(T),
    ...get(S),
    ...f32Mul,
    ...set(T),
    ...get(S),
    ...get(T),
    ...get(P),
    ...f32Mul,
    ...f32Add,
    ...set(E),
    ...get(E),
    ...get(E),
    ...get(K.one),
    ...f32Add,
    ...v(simd.f32x4Div),
    ...set(E),
    ...get(E),
    ...get(Z),
    ...get(K.cutoff),
    ...v(simd.f32x4Gt),
    ...v(simd.andnot),
    ...set(E),
    ...get(E),
    ...get(K.one),
    ...get(E),
    ...f32Sub,
    ...get(src),
    op.i32Const,
    31,
    ...v(simd.i32x4ShrS),
    ...v(simd.bitselect),
    ...set(dst),
  ];
  const twoMinusOne = (l: number, upper: boolean) => [...get(K.twoD), ...promoted(l, upper), ...f64Mul, ...get(K.oneD), ...f64Sub];
  const cellValue = (g: number, upper: boolean) => [
    ...promoted(ZF, upper),
    ...promoted(CV, upper),
    ...f64Mul,
    ...promoted(ZI, upper),
    ...get(g),
    ...f64Mul,
    ...f64Add,
  ];
  const store = (ptr: number, blocks: number, value: number[]) => [...at(ptr, blocks), ...value, ...v128Store];
  const rounded = (lo: number[], hi: number[]) => [...lo, ...demote, ...hi, ...demote, ...merge];

  const inner = [
    ...load(X, 0),
    ...load(R, 0),
    ...f32Add,
    ...set(ZI),
    ...load(X, 1),
    ...load(R, 1),
    ...f32Add,
    ...set(ZF),
    ...load(X, 2),
    ...load(R, 2),
    ...f32Add,
    ...get(K.twoF),
    ...f32Mul,
    ...set(ZG),
    ...load(X, 3),
    ...load(R, 3),
    ...f32Add,
    ...set(ZO),
    ...sigmoid(ZI, ZI),
    ...sigmoid(ZF, ZF),
    ...sigmoid(ZG, ZG),
    ...sigmoid(ZO, ZO),
    ...load(C, 0),
    ...set(CV),
    ...twoMinusOne(ZG, false),
    ...set(GL),
    ...twoMinusOne(ZG, true),
    ...set(GH),
    ...cellValue(GL, false),
    ...set(VL),
    ...cellValue(GH, true),
    ...set(VH),
    ...store(CN, 0, rounded(get(VL), get(VH))),
    ...rounded([...get(K.twoD), ...get(VL), ...f64Mul], [...get(K.twoD), ...get(VH), ...f64Mul]),
    ...set(TW),
    ...sigmoid(TW, SQ),
    ...twoMinusOne(SQ, false),
    ...set(TL),
    ...twoMinusOne(SQ, true),
    ...set(TH),
    ...store(Hp, 0, rounded([...promoted(ZO, false), ...get(TL), ...f64Mul], [...promoted(ZO, true), ...get(TH), ...f64Mul])),
    ...get(FULL),
    op.if,
    op.void,
    ...store(GATES, 0, get(ZI)),
    ...store(GATES, 1, get(ZF)),
    ...store(GATES, 2, rounded(get(GL), get(GH))),
    ...store(GATES, 3, get(ZO)),
    ...store(TC, 0, rounded(get(TL), get(TH))),
    op.end,
    ...[X, R, GATES, C, Hp, CN, TC].flatMap((p) => addTo(p, [op.i32Const, 16])),
  ];
  // the row's last units when 4 ∤ H: step every pointer back to the last full group of 4 and run it
  const tail = [
    ...get(C),
    ...get(END),
    op.i32GeU,
    op.i32Eqz,
    op.if,
    op.void,
    ...get(END),
    op.i32Const,
    16,
    op.i32Sub,
    ...get(C),
    op.i32Sub,
    ...set(BACK),
    ...[X, R, GATES, C, Hp, CN, TC].flatMap((p) => addTo(p, get(BACK))),
    ...inner,
    op.end,
  ];
  const skipBlocks = (p: number) => addTo(p, [...get(HB), op.i32Const, 3, op.i32Mul]);
  return {
    name: 'lstm_cell',
    params: 9,
    locals: [
      { count: 5, type: i32 },
      { count: v128Count, type: v128 },
    ],
    body: [
      ...get(HIDDEN),
      op.i32Const,
      2,
      op.i32Shl,
      ...set(HB),
      ...get(GATES),
      op.i32Const,
      0,
      op.i32Ne,
      ...set(FULL),
      ...constants,
      ...countDown(ROWS, [
        ...get(C),
        ...get(HB),
        op.i32Add,
        ...set(END),
        ...get(END),
        op.i32Const,
        12,
        op.i32Sub,
        ...set(MAIN), // C < END − 12: four units remain
        ...whileBelow(C, MAIN, inner),
        ...tail,
        ...skipBlocks(X),
        ...skipBlocks(R),
        ...skipBlocks(GATES),
      ]),
    ],
  };
}
