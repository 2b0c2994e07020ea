import type { BenchOptions, BenchShape } from './bench-options.js';
import { probeShapes, probeSpec, probeTfMatMul, trainStepFlops } from './blas-probe.js';
import { anchorBlas, anchorPython, runAnchorProbe } from './torch-anchor.js';

/** What the fair-anchor checks add to a report. */
export interface FairAnchor {
  /** False when the anchor ran on a generic OpenBLAS kernel and --allow-generic-blas was not given. */
  showRatios: boolean;
  notes: string[];
  /** seqloom's GFLOP/s per probe shape (the first is the recurrent step). */
  seqloomProbe: number[];
  anchorProbe: Record<string, number[]>;
  anchorCore?: string;
}

const fmt = (v: number) => v.toFixed(1);

/**
 * The anchor's OpenBLAS core (forced off a generic kernel where the CPU has
 * AVX2/AVX-512), and a raw matMul GFLOP/s probe at the workload's shapes on
 * both sides: tf.matMul on seqloom's backend, torch.mm per anchor thread setting.
 */
export function fairAnchor(shape: BenchShape, options: BenchOptions, backend: string, anchorRuns: boolean): FairAnchor {
  const shapes = probeShapes(shape);
  const seqloomProbe = probeTfMatMul(shapes);
  const notes: string[] = [];
  const anchorProbe: Record<string, number[]> = {};
  let showRatios = true;
  let anchorCore: string | undefined;
  if (anchorRuns) {
    const blas = anchorBlas();
    anchorCore = blas.core;
    notes.push(`BLAS: seqloom ${backend}; PyTorch ${anchorPython()?.openblas ? `OpenBLAS ${blas.core}` : blas.core} (${blas.how})`);
    if (blas.generic && !options.allowGenericBlas) {
      showRatios = false;
      notes.push(
        `ratios withheld: the anchor runs on OpenBLAS's generic ${blas.core} kernel, several times below this CPU's speed; ` +
          'set OPENBLAS_CORETYPE to a kernel for this CPU, or pass --allow-generic-blas to print them anyway',
      );
    }
    for (const threads of options.anchorThreads) anchorProbe[`${threads}t`] = runAnchorProbe(probeSpec(shapes), threads);
  }
  const settings = Object.keys(anchorProbe);
  const width = Math.max(...shapes.map((s) => s.label.length));
  notes.push(`sgemm probe (GFLOP/s, one matMul in a loop): ${'shape'.padEnd(width - 5)}  seqloom${settings.map((t) => `  PyTorch ${t}`).join('')}`);
  shapes.forEach((s, i) => {
    notes.push(`  ${s.label.padEnd(width)}  ${fmt(seqloomProbe[i]!).padStart(7)}${settings.map((t) => fmt(anchorProbe[t]![i]!).padStart(11)).join('')}`);
  });
  return { showRatios, notes, seqloomProbe, anchorProbe, ...(anchorCore === undefined ? {} : { anchorCore }) };
}

/** The training step's nominal matMul GFLOP/s and its fraction of the recurrent-shape probe, as a report line. */
export function trainingFraction(shape: BenchShape, msPerStep: number, probe: number[]): string {
  const gflops = trainStepFlops(shape) / (msPerStep / 1000) / 1e9;
  return (
    `training step: ${fmt(gflops)} GFLOP/s of nominal matMul work (3× the forward matMuls at full lengths) = ` +
    `${((100 * gflops) / probe[0]!).toFixed(0)} % of seqloom's recurrent-shape sgemm probe (${fmt(probe[0]!)} GFLOP/s)`
  );
}
