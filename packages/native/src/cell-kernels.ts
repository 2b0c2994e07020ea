import { GRU_CELL_KERNEL, LSTM_CELL_GRAD_KERNEL, LSTM_CELL_KERNEL, RNN_CELL_KERNEL } from '@seqloom/core';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import type { NativeAddon } from './addon.js';
import { check, f32, filledOutput, type NativeBackend } from './backend-data.js';
import { nativeKernel } from './kernel-config.js';

type Args<I, A = Record<string, never>> = { inputs: I; attrs: A; backend: NativeBackend };

function rows2d(info: TensorInfo, kernel: string, name: string): [number, number] {
  check(info.shape.length === 2, kernel, `${name} must be 2-D, got shape [${info.shape.join(', ')}]`);
  return info.shape as [number, number];
}

function lstmCell(addon: NativeAddon) {
  return (args: Args<{ x: TensorInfo; r: TensorInfo; c: TensorInfo }, { full: boolean }>): TensorInfo[] => {
    const k = LSTM_CELL_KERNEL;
    const { x, r, c } = args.inputs;
    const [rows, width] = rows2d(x, k, 'x');
    const hidden = width / 4;
    check(Number.isInteger(hidden) && hidden > 0, k, `x must be [B, 4H], got [${x.shape.join(', ')}]`);
    check(r.shape.length === 2 && r.shape[0] === rows && r.shape[1] === width, k, `r must be [${rows}, ${width}] like x, got [${r.shape.join(', ')}]`);
    check(
      c.shape.length === 2 && c.shape[0]! >= rows && c.shape[1] === hidden,
      k,
      `c must be [≥${rows}, ${hidden}] (its first rows are read), got [${c.shape.join(', ')}]`,
    );
    const b = args.backend;
    const [h, hv] = filledOutput(b, [rows, hidden]);
    const [cNext, cv] = filledOutput(b, [rows, hidden]);
    const [act, av] = args.attrs.full ? filledOutput(b, [rows, width]) : [null, null];
    const [tanhC, tv] = args.attrs.full ? filledOutput(b, [rows, hidden]) : [null, null];
    addon.lstmCell(rows, hidden, f32(b, x, k, 'x'), f32(b, r, k, 'r'), f32(b, c, k, 'c'), hv, cv, av, tv);
    return act === null ? [h, cNext] : [h, cNext, act, tanhC!];
  };
}

interface GradInputs {
  act: TensorInfo;
  cPrev: TensorInfo;
  tanhC: TensorInfo;
  dy: TensorInfo;
  dhNext: TensorInfo;
  dcNext: TensorInfo;
}

function lstmCellGrad(addon: NativeAddon) {
  return (args: Args<GradInputs, { outRow: number; finalRow: number; carried: number }>): TensorInfo[] => {
    const k = LSTM_CELL_GRAD_KERNEL;
    const { act, cPrev, tanhC, dy, dhNext, dcNext } = args.inputs;
    const [rows, width] = rows2d(act, k, 'act');
    const hidden = width / 4;
    check(Number.isInteger(hidden) && hidden > 0, k, `act must be [n, 4H], got [${act.shape.join(', ')}]`);
    for (const [name, t] of [
      ['cPrev', cPrev],
      ['tanhC', tanhC],
      ['dy', dy],
      ['dhNext', dhNext],
      ['dcNext', dcNext],
    ] as const) {
      check(t.shape.length === 2 && t.shape[1] === hidden, k, `${name} must be [*, ${hidden}], got [${t.shape.join(', ')}]`);
    }
    const { outRow, finalRow, carried } = args.attrs;
    const b = args.backend;
    const [dG, gv] = filledOutput(b, [rows, width]);
    const [dcPrev, pv] = filledOutput(b, [rows, hidden]);
    addon.lstmCellGrad(
      rows,
      hidden,
      outRow,
      finalRow,
      carried,
      f32(b, act, k, 'act'),
      f32(b, cPrev, k, 'cPrev'),
      f32(b, tanhC, k, 'tanhC'),
      f32(b, dy, k, 'dy'),
      f32(b, dhNext, k, 'dhNext'),
      f32(b, dcNext, k, 'dcNext'),
      gv,
      pv,
    );
    return [dG, dcPrev];
  };
}

function gruCell(addon: NativeAddon) {
  return (args: Args<{ x: TensorInfo; r: TensorInfo; h: TensorInfo }>): TensorInfo => {
    const k = GRU_CELL_KERNEL;
    const { x, r, h } = args.inputs;
    const [rows, width] = rows2d(x, k, 'x');
    const hidden = width / 3;
    check(Number.isInteger(hidden) && hidden > 0, k, `x must be [B, 3H], got [${x.shape.join(', ')}]`);
    check(r.shape.length === 2 && r.shape[0] === rows && r.shape[1] === width, k, `r must be [${rows}, ${width}] like x, got [${r.shape.join(', ')}]`);
    check(
      h.shape.length === 2 && h.shape[0]! >= rows && h.shape[1] === hidden,
      k,
      `h must be [≥${rows}, ${hidden}] (its first rows are read), got [${h.shape.join(', ')}]`,
    );
    const [out, ov] = filledOutput(args.backend, [rows, hidden]);
    addon.gruCell(rows, hidden, f32(args.backend, x, k, 'x'), f32(args.backend, r, k, 'r'), f32(args.backend, h, k, 'h'), ov);
    return out;
  };
}

function rnnCell(addon: NativeAddon) {
  return (args: Args<{ x: TensorInfo; r: TensorInfo }>): TensorInfo => {
    const k = RNN_CELL_KERNEL;
    const { x, r } = args.inputs;
    check(
      x.shape.length === r.shape.length && x.shape.every((d, i) => d === r.shape[i]),
      k,
      `x and r must have one shape, got [${x.shape.join(', ')}] and [${r.shape.join(', ')}]`,
    );
    const [out, ov] = filledOutput(args.backend, [...x.shape]);
    addon.rnnCell(ov.length, f32(args.backend, x, k, 'x'), f32(args.backend, r, k, 'r'), ov);
    return out;
  };
}

/** The fused cell kernels of the `native` backend. */
export function makeCellKernels(addon: NativeAddon): KernelConfig[] {
  const config = nativeKernel;
  return [
    config(LSTM_CELL_KERNEL, lstmCell(addon)),
    config(LSTM_CELL_GRAD_KERNEL, lstmCellGrad(addon)),
    config(GRU_CELL_KERNEL, gruCell(addon)),
    config(RNN_CELL_KERNEL, rnnCell(addon)),
  ];
}
