// `pnpm bench decode [--config A|B] [flags]`: greedy and beam-search speed of
// seqloom's public API (Seq2SeqModel.asStepModel() driven by @seqloom/decode's
// generate()) against a batched PyTorch greedy/beam decoder of the same shape
// on the same sources, measured in the same run; then the decode-loop
// overhead bench. See bench/README.md.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { activeKernelSet } from '@seqloom/seq2seq/kernels';
import { makeBenchData } from './lib/bench-data.js';
import { parseBenchOptions } from './lib/bench-options.js';
import { fairAnchor } from './lib/fair-anchor.js';
import { type FigureRow, report } from './lib/report.js';
import { measureDecoding, peakRssMiB, startBackend } from './lib/seqloom-side.js';
import { type AnchorResult, anchorUnavailable, runAnchor, setUpSides } from './lib/torch-anchor.js';

const options = parseBenchOptions(process.argv.slice(2));
const { shape } = options;
const sides = setUpSides(options);
const data = makeBenchData(shape);
const backend = await startBackend(options.threads, options.pool, 'decoding', options.backend);

const skipped = anchorUnavailable();
// seqloom is measured before the anchor runs: while this process waits on the anchor (tens of seconds), the
// host's idle-memory reclaim (DAMON "pageout" on these machines) drops its code and library pages, and the
// runs that follow pay for them again (7 Dec: greedy A on two cores 2,376–2,485 sent/s measured after the
// anchor, 3,179–3,529 before it). The anchor is a fresh process either way.
const seqloom = await measureDecoding(shape, data, options.pool, options.tensorStep);
const anchors: AnchorResult[] = skipped === undefined ? options.anchorThreads.map((threads) => runAnchor(shape, data, threads, 'decode')) : [];
// decoding's own peak, before this process runs the in-process sgemm probe (the anchor's probe runs in a process of its own)
const decodingPeakRss = peakRssMiB();
const fair = fairAnchor(shape, options, backend, skipped === undefined);

const by = (pick: (a: AnchorResult) => number | undefined) =>
  Object.fromEntries(anchors.map((a) => [`${a.threads} thread${a.threads > 1 ? 's' : ''}`, pick(a)]));
const rows: FigureRow[] = [
  { figure: 'greedy', unit: 'sent/s', seqloom: seqloom.greedySentPerSec, torch: by((a) => a.greedySentPerSec), better: 'higher' },
  { figure: `beam-${shape.beam}`, unit: 'sent/s', seqloom: seqloom.beamSentPerSec, torch: by((a) => a.beamSentPerSec), better: 'higher' },
  { figure: 'peak RSS', unit: 'MiB', seqloom: decodingPeakRss, torch: by((a) => a.peakRssMiB), better: 'lower' },
];
const notes = [
  `${shape.decodeSources} sources of length ${shape.sourceLen}, ${shape.targetLen} tokens each (stop token held back), median of ${shape.decodeRepeats} runs after ${shape.decodeWarmup} warm-up runs, on both sides`,
  `live-tensor drift over all decoding runs: seqloom ${seqloom.tensorDrift}`,
  `seqloom's decoding step: ${!options.tensorStep && activeKernelSet().fusedDecoder !== undefined ? 'one fused native call per step' : 'tfjs ops per step'}${options.tensorStep ? ' (--tensor-step)' : ''}`,
  'ratio: seqloom ÷ the faster PyTorch setting (> 1: seqloom faster); for peak RSS seqloom ÷ PyTorch.',
  ...sides,
  ...fair.notes,
  ...(skipped === undefined ? [] : [skipped]),
];
report('pnpm bench decode', shape, backend, rows, anchors, notes, options.json, { seqloom, probe: fair }, fair.showRatios);

// The decode part's loop-overhead bench (time outside model.step), when present.
const loopBench = new URL('./decode-loop-lib.ts', import.meta.url);
if (existsSync(loopBench)) {
  console.log('\ndecode-loop overhead (pnpm bench decode-loop):');
  const { runDecodeLoopBench } = (await import(loopBench.href)) as { runDecodeLoopBench(argv: string[]): Promise<unknown> };
  const pin = options.pin ? ['--cpu', String(options.cpu ?? availableParallelism() - 1)] : ['--no-pin'];
  await runDecodeLoopBench([...pin, ...(options.noAnchor ? ['--no-anchor'] : []), ...(options.anchorPython ? ['--anchor-python', options.anchorPython] : [])]);
}
