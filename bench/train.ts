// `pnpm bench train [--config A|B] [flags]`: training speed of seqloom's public
// API (Seq2SeqModel + trainStep: masked NLL, Adam, clip-norm 1.0, teacher
// forcing) against a PyTorch nn.LSTM encoder-decoder of the same shape on the
// same batches, measured in the same run. See bench/README.md.
import { makeBenchData } from './lib/bench-data.js';
import { parseBenchOptions } from './lib/bench-options.js';
import { fairAnchor, trainingFraction } from './lib/fair-anchor.js';
import { type FigureRow, report } from './lib/report.js';
import { measureTraining, peakRssMiB, startBackend } from './lib/seqloom-side.js';
import { type AnchorResult, anchorUnavailable, runAnchor, setUpSides } from './lib/torch-anchor.js';

const options = parseBenchOptions(process.argv.slice(2));
const { shape } = options;
const sides = setUpSides(options);
const data = makeBenchData(shape);
const backend = await startBackend(options.threads, options.pool, 'training', options.backend);

const skipped = anchorUnavailable();
// seqloom is measured before the anchor runs: while this process waits on the anchor (tens of seconds), the
// host's idle-memory reclaim (DAMON "pageout" on these machines) drops its code and library pages, and the
// runs that follow pay for them again (7 Dec: greedy A on two cores 2,376–2,485 sent/s measured after the
// anchor, 3,179–3,529 before it). The anchor is a fresh process either way.
const seqloom = await measureTraining(shape, data, options.pool);
const anchors: AnchorResult[] = skipped === undefined ? options.anchorThreads.map((threads) => runAnchor(shape, data, threads, 'train')) : [];
const fair = fairAnchor(shape, options, backend, skipped === undefined);

const by = (pick: (a: AnchorResult) => number | undefined) =>
  Object.fromEntries(anchors.map((a) => [`${a.threads} thread${a.threads > 1 ? 's' : ''}`, pick(a)]));
const rows: FigureRow[] = [
  { figure: 'train', unit: 'tok/s', seqloom: seqloom.trainTokPerSec, torch: by((a) => a.trainTokPerSec), better: 'higher' },
  { figure: 'step', unit: 'ms', seqloom: seqloom.msPerStep, torch: by((a) => a.msPerStep), better: 'lower' },
  { figure: 'peak RSS', unit: 'MiB', seqloom: peakRssMiB(), torch: by((a) => a.peakRssMiB), better: 'lower' },
];
const notes = [
  `live-tensor drift over ${shape.steps} steps: seqloom ${seqloom.tensorDrift} (PyTorch has none to track)`,
  `loss first → last step: seqloom ${seqloom.firstLoss.toFixed(3)} → ${seqloom.lastLoss.toFixed(3)}` +
    anchors.map((a) => `; PyTorch ${a.threads}t ${a.firstLoss?.toFixed(3)} → ${a.lastLoss?.toFixed(3)}`).join(''),
  'ratio: seqloom ÷ the faster PyTorch setting as a speed factor (> 1: seqloom faster); for peak RSS seqloom ÷ PyTorch.',
  ...sides,
  ...fair.notes,
  trainingFraction(shape, seqloom.msPerStep, fair.seqloomProbe),
  ...(skipped === undefined ? [] : [skipped]),
];
report('pnpm bench train', shape, backend, rows, anchors, notes, options.json, { seqloom, probe: fair }, fair.showRatios);
