// One side of `pnpm bench export`, in its own pinned process: `--side seqloom`
// decodes with the checkpoint on seqloom's engine (native when built, else
// wasm), `--side onnxruntime` with the ONNX export on onnxruntime-node (one
// intra-op thread); both through @seqloom/decode's generate(), so the decode
// loop is the same and only the model step differs.
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { type GenerateOptions, generate, type StepModel } from '@seqloom/decode';
import { describeBackend, loadTrainedModel, setBackend } from '@seqloom/seq2seq';
import { loadOnnxSeq2Seq } from '../../packages/onnx/src/index.js';
import { type ExportBenchRow, readRequest, timePass } from './protocol.js';
import { packageVersion, ROOT } from './versions.js';

const { values } = parseArgs({ options: { side: { type: 'string' }, request: { type: 'string' } } });
const request = readRequest();

function options(strategy: 'greedy' | 'beam'): GenerateOptions {
  const n = request.newTokens;
  return { strategy, ...(strategy === 'beam' ? { beamWidth: request.beam } : {}), numReturn: 1, maxNewTokens: n, minNewTokens: n };
}

async function open(): Promise<{ side: string; model: StepModel<unknown>; close: () => Promise<void>; versions: Record<string, string> }> {
  if (values.side === 'onnxruntime') {
    const loaded = await loadOnnxSeq2Seq(request.exported, { sessionOptions: { intraOpNumThreads: 1, interOpNumThreads: 1 } });
    const version = packageVersion('onnxruntime-node', `${ROOT}/packages/onnx`);
    return {
      side: `onnxruntime-node ${version}`,
      model: loaded.model as StepModel<unknown>,
      close: () => loaded.dispose(),
      versions: { 'onnxruntime-node': version },
    };
  }
  await setBackend('native', { threads: 1 }).catch(() => setBackend('wasm', { threads: 1 }));
  const trained = await loadTrainedModel(request.checkpoint);
  const backend = describeBackend();
  return {
    side: `seqloom ${backend}`,
    model: trained.stepModel,
    close: async () => trained.dispose(),
    versions: { backend, '@tensorflow/tfjs': packageVersion('@tensorflow/tfjs', `${ROOT}/packages/seq2seq`) },
  };
}

const { side, model, close, versions } = await open();
const rows: ExportBenchRow[] = [];
for (const batch of request.batches) {
  const decode = (strategy: 'greedy' | 'beam') => (chunk: number[][]) => generate(model, chunk, options(strategy)).then((rs) => rs.map((r) => r.best.ids));
  const greedy = await timePass(request.inputs, batch, request.warmup, decode('greedy'));
  const beam = await timePass(request.inputs, batch, request.warmup, decode('beam'));
  const digest = createHash('sha1')
    .update(JSON.stringify([greedy.outputs, beam.outputs]))
    .digest('hex')
    .slice(0, 12);
  rows.push({ batch, greedy: greedy.perSecond, beam: beam.perSecond, digest });
}
await close();
console.log(JSON.stringify({ side, versions: { node: process.version, ...versions }, rows }));
