import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { selectOpenblasCore } from './openblas-core.js';
import { fixCommand, readInstallFailure } from '../scripts/rebuild-command.mjs';

/** The GEMM library the addon was built on (chosen at build time), as reported by the library itself. */
export interface BlasInfo {
  /** `oneDNN`, `OpenBLAS` or `Accelerate`. */
  library: string;
  /** e.g. `2.6.3`, `0.3.21` (empty for Accelerate). */
  version: string;
  /**
   * The kernel the library runs: OpenBLAS's `openblas_get_corename()` (e.g. `Haswell`, `SkylakeX`),
   * oneDNN's effective ISA (`AVX-512`, `AVX2` …).
   */
  core: string;
  /** GEMM threads in use (OpenBLAS's threads, oneDNN's OpenMP threads). */
  threads: number;
  /** `openblas_get_config()`; for oneDNN its version, commit, CPU runtime and ISA. */
  config: string;
}

/**
 * The compiled addon's functions. Every function checks its arguments and
 * throws a TypeError/RangeError naming the bad one; buffers are row-major
 * Float32Arrays used in place (no copies).
 */
export interface NativeAddon {
  /** C_i = alpha·op(A_i)·op(B_i) + beta·C_i for i < batch; op(A) [m, k], op(B) [k, n], C [m, n]; stride 0 broadcasts. */
  sgemm(transA: boolean, transB: boolean, batch: number, m: number, n: number, k: number, alpha: number,
    a: Float32Array, strideA: number, b: Float32Array, strideB: number, beta: number, c: Float32Array): void;
  /** BLAS threads for the following products; those of fewer than `serialBelow` multiply-adds run on one thread. */
  setThreads(threads: number, serialBelow: number): void;
  info(): BlasInfo;
  lstmCell(rows: number, hidden: number, x: Float32Array, r: Float32Array, c: Float32Array, h: Float32Array,
    cNext: Float32Array, act: Float32Array | null, tanhC: Float32Array | null): void;
  lstmCellGrad(rows: number, hidden: number, outRow: number, finalRow: number, carried: number, act: Float32Array,
    cPrev: Float32Array, tanhC: Float32Array, dy: Float32Array, dhNext: Float32Array, dcNext: Float32Array,
    dG: Float32Array, dcPrev: Float32Array): void;
  gruCell(rows: number, hidden: number, x: Float32Array, r: Float32Array, h: Float32Array, out: Float32Array): void;
  rnnCell(count: number, x: Float32Array, r: Float32Array, out: Float32Array): void;
  /**
   * A whole LSTM layer over a packed sequence (rows sorted by length; step t runs the active[t]
   * leading rows; P = Σ active): gates [P, 4H], h0, c0 [B, H], u [H, 4H]. Writes out
   * [P + 2B, H] (h of every packed row, final h, final c) and cs [P, H]; act [P, 4H] and
   * tanhC [P, H] when given.
   */
  lstmSequence(batch: number, hidden: number, active: Int32Array, gates: Float32Array, h0: Float32Array, c0: Float32Array,
    u: Float32Array, out: Float32Array, cs: Float32Array, act: Float32Array | null, tanhC: Float32Array | null): void;
  /** The backward of {@link NativeAddon.lstmSequence}: writes dG [P, 4H], dh0, dc0 [B, H] and dU [H, 4H] from dy [P + 2B, H]. */
  lstmSequenceGrad(batch: number, hidden: number, active: Int32Array, dy: Float32Array, act: Float32Array, tanhC: Float32Array,
    cs: Float32Array, hs: Float32Array, h0: Float32Array, c0: Float32Array, u: Float32Array, dG: Float32Array,
    dh0: Float32Array, dc0: Float32Array, dU: Float32Array): void;
  /**
   * out = a ∘ b for op 0 +, 1 −, 2 ×, 3 ÷. mode 0: equal sizes; 1: b is a scalar; 2: a is a
   * scalar; 3: b is a row repeated over a; 4: a is a row repeated over b; 5: b holds one value
   * per row of a; 6: a holds one value per row of b.
   */
  binary(op: number, mode: number, a: Float32Array, b: Float32Array, out: Float32Array): void;
  /** out = f(x) for op 0 sqrt, 1 square, 2 exp, 3 log, 4 neg, 5 rsqrt, 6 sigmoid, 7 tanh, 8 relu, 9 abs. */
  unary(op: number, x: Float32Array, out: Float32Array): void;
  /**
   * One Adam step in one pass: g' = scale·g, m' = β1·m + (1−β1)·g', v' = β2·v + (1−β2)·g'²,
   * w' = w − stepSize·m' / (√v' + ε); every buffer holds w's element count (outputs may alias inputs).
   */
  adam(w: Float32Array, m: Float32Array, v: Float32Array, g: Float32Array, wOut: Float32Array, mOut: Float32Array,
    vOut: Float32Array, scale: number, beta1: number, beta2: number, epsilon: number, stepSize: number): void;
  /** Σ x², accumulated in double. */
  sumSquares(x: Float32Array): number;
  /** Zeroes out, then out[ids[i]·width + j] += x[i·width + j] for every row i; ids outside [0, out.length / width) are dropped. */
  segmentSum(ids: Int32Array, x: Float32Array, width: number, out: Float32Array): void;
  /** Σ_i w_i·((1−ε)·(−log softmax(logits_i)[ids_i]) + ε·mean(−log softmax(logits_i))) over rows of logits [ids.length, vocab], in double. */
  maskedNll(logits: Float32Array, vocab: number, ids: Int32Array, weights: Float32Array, smoothing: number): number;
  /** out = scale·w_i·(softmax(logits_i) − (1−ε)·onehot(ids_i) − ε/vocab): the gradient of scale × {@link NativeAddon.maskedNll}. */
  maskedNllGrad(logits: Float32Array, vocab: number, ids: Int32Array, weights: Float32Array, smoothing: number, scale: number, out: Float32Array): void;
}

/**
 * The one command that builds the addon here, on Debian/Ubuntu: OpenBLAS, then the build
 * as it runs where this copy of the package is (`pnpm --filter @seqloom/native build` in the
 * seqloom monorepo, `npm rebuild @seqloom/native` in an npm project, `npm rebuild -g
 * @seqloom/native` for a global install, else `node <this package>/scripts/build.mjs`).
 */
export const ENABLE_NATIVE_COMMAND: string = fixCommand('no BLAS');

/** Where the install step writes the addon. */
export const ADDON_PATH = fileURLToPath(new URL('../build/seqloom_native.node', import.meta.url));

/** The addon could not be loaded (not built, or its BLAS is missing). */
export class NativeUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NativeUnavailableError';
  }
}

let loaded: NativeAddon | undefined;
let failure: string | undefined;

function load(): NativeAddon {
  if (!existsSync(ADDON_PATH)) {
    const failed = readInstallFailure();
    if (failed !== undefined) {
      throw new NativeUnavailableError(`the addon was not built when @seqloom/native was installed (${failed}); build it with \`${fixCommand(failed)}\``);
    }
    throw new NativeUnavailableError(`the addon is not built (no ${ADDON_PATH}); build it with \`${ENABLE_NATIVE_COMMAND}\``);
  }
  selectOpenblasCore(); // before the library initialises
  try {
    return createRequire(import.meta.url)(ADDON_PATH) as NativeAddon;
  } catch (error) {
    throw new NativeUnavailableError(`cannot load ${ADDON_PATH} (${(error as Error).message.split('\n')[0]}); rebuild it with \`${ENABLE_NATIVE_COMMAND}\``);
  }
}

/** The addon, loaded once (setting OPENBLAS_CORETYPE first); throws {@link NativeUnavailableError}. */
export function loadNativeAddon(): NativeAddon {
  if (loaded !== undefined) return loaded;
  if (failure !== undefined) throw new NativeUnavailableError(failure);
  try {
    loaded = load();
    loaded.setThreads(1, 0);
    return loaded;
  } catch (error) {
    failure = (error as Error).message;
    throw error;
  }
}

/** Why the addon cannot load, or undefined when it can. */
export function nativeUnavailableReason(): string | undefined {
  try {
    loadNativeAddon();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
