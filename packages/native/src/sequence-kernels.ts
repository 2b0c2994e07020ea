import { LSTM_SEQUENCE_GRAD_KERNEL, LSTM_SEQUENCE_KERNEL } from '@seqloom/core';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import type { NativeAddon } from './addon.js';
import { check, f32, filledOutput, type NativeBackend } from './backend-data.js';
import { nativeKernel } from './kernel-config.js';

type Args<I, A> = { inputs: I; attrs: A; backend: NativeBackend };

/** Attributes of both kernels: the running rows of each step (non-increasing). */
export interface LstmSequenceAttrs {
  active: number[] | Int32Array;
}

function shapeOf(info: TensorInfo, rows: number, cols: number): boolean {
  return info.shape.length === 2 && info.shape[0] === rows && info.shape[1] === cols;
}

/** Checks the shared inputs and returns [B, H, active]. */
function layout(kernel: string, gatesRows: number, h0: TensorInfo, u: TensorInfo, activeAttr: number[] | Int32Array): [number, number, Int32Array] {
  check(h0.shape.length === 2, kernel, `h0 must be [B, H], got [${h0.shape.join(', ')}]`);
  const [batch, hidden] = h0.shape as [number, number];
  check(shapeOf(u, hidden, 4 * hidden), kernel, `u must be [${hidden}, ${4 * hidden}], got [${u.shape.join(', ')}]`);
  const active = Int32Array.from(activeAttr);
  let total = 0;
  active.forEach((n, t) => {
    check(Number.isInteger(n) && n >= 0 && n <= (t === 0 ? batch : active[t - 1]!), kernel, `active must be non-increasing row counts in [0, ${batch}]`);
    total += n;
  });
  check(total === gatesRows, kernel, `the steps run ${total} rows, the inputs have ${gatesRows}`);
  return [batch, hidden, active];
}

function lstmSequence(addon: NativeAddon) {
  return (args: Args<{ gates: TensorInfo; h0: TensorInfo; c0: TensorInfo; u: TensorInfo }, LstmSequenceAttrs & { full: boolean }>): TensorInfo[] => {
    const k = LSTM_SEQUENCE_KERNEL;
    const { gates, h0, c0, u } = args.inputs;
    check(gates.shape.length === 2, k, `gates must be [P, 4H], got [${gates.shape.join(', ')}]`);
    const rows = gates.shape[0]!;
    const [batch, hidden, active] = layout(k, rows, h0, u, args.attrs.active);
    check(gates.shape[1] === 4 * hidden, k, `gates must be [${rows}, ${4 * hidden}], got [${gates.shape.join(', ')}]`);
    check(shapeOf(c0, batch, hidden), k, `c0 must be [${batch}, ${hidden}] like h0, got [${c0.shape.join(', ')}]`);
    const b = args.backend;
    const [out, ov] = filledOutput(b, [rows + 2 * batch, hidden]);
    // without `full` the c of every row is scratch the caller never sees
    const [cs, cv] = args.attrs.full ? filledOutput(b, [rows, hidden]) : [null, new Float32Array(rows * hidden)];
    const [act, av] = args.attrs.full ? filledOutput(b, [rows, 4 * hidden]) : [null, null];
    const [tanhC, tv] = args.attrs.full ? filledOutput(b, [rows, hidden]) : [null, null];
    addon.lstmSequence(batch, hidden, active, f32(b, gates, k, 'gates'), f32(b, h0, k, 'h0'), f32(b, c0, k, 'c0'), f32(b, u, k, 'u'), ov, cv, av, tv);
    return act === null ? [out] : [out, cs!, act, tanhC!];
  };
}

interface GradInputs {
  dy: TensorInfo;
  act: TensorInfo;
  tanhC: TensorInfo;
  cs: TensorInfo;
  hs: TensorInfo;
  h0: TensorInfo;
  c0: TensorInfo;
  u: TensorInfo;
}

function lstmSequenceGrad(addon: NativeAddon) {
  return (args: Args<GradInputs, LstmSequenceAttrs>): TensorInfo[] => {
    const k = LSTM_SEQUENCE_GRAD_KERNEL;
    const { dy, act, tanhC, cs, hs, h0, c0, u } = args.inputs;
    check(act.shape.length === 2, k, `act must be [P, 4H], got [${act.shape.join(', ')}]`);
    const rows = act.shape[0]!;
    const [batch, hidden, active] = layout(k, rows, h0, u, args.attrs.active);
    const expect: [string, TensorInfo, number, number][] = [
      ['act', act, rows, 4 * hidden],
      ['tanhC', tanhC, rows, hidden],
      ['cs', cs, rows, hidden],
      ['hs', hs, rows + 2 * batch, hidden],
      ['dy', dy, rows + 2 * batch, hidden],
      ['c0', c0, batch, hidden],
    ];
    for (const [name, t, r, c] of expect) check(shapeOf(t, r, c), k, `${name} must be [${r}, ${c}], got [${t.shape.join(', ')}]`);
    const b = args.backend;
    const [dG, gv] = filledOutput(b, [rows, 4 * hidden]);
    const [dh0, hv] = filledOutput(b, [batch, hidden]);
    const [dc0, cv] = filledOutput(b, [batch, hidden]);
    const [dU, uv] = filledOutput(b, [hidden, 4 * hidden]);
    addon.lstmSequenceGrad(
      batch,
      hidden,
      active,
      f32(b, dy, k, 'dy'),
      f32(b, act, k, 'act'),
      f32(b, tanhC, k, 'tanhC'),
      f32(b, cs, k, 'cs'),
      f32(b, hs, k, 'hs'),
      f32(b, h0, k, 'h0'),
      f32(b, c0, k, 'c0'),
      f32(b, u, k, 'u'),
      gv,
      hv,
      cv,
      uv,
    );
    return [dG, dh0, dc0, dU];
  };
}

/** The whole-layer LSTM kernels of the `native` backend. */
export function makeSequenceKernels(addon: NativeAddon): KernelConfig[] {
  return [nativeKernel(LSTM_SEQUENCE_KERNEL, lstmSequence(addon)), nativeKernel(LSTM_SEQUENCE_GRAD_KERNEL, lstmSequenceGrad(addon))];
}
