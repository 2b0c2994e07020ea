// The seqloom side of `pnpm bench onnx`: @seqloom/onnx on onnxruntime-node (one
// thread), greedy and beam search through @seqloom/decode's generate(), with the
// export's generation_config.json as Hugging Face generate() reads it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type GenerateOptions, generate } from '@seqloom/decode';
import { hfGenerationOptions, loadOnnxSeq2Seq, type OnnxSeq2Seq, ORT_FROM, packageVersion } from './deps.js';
import { lengths, readRequest, type SideRequest, type SideRow, type TimeSplit, timePasses, writeResult } from './protocol.js';
import { type Clock, timedStepModel, timeOrtRuns } from './time-split.js';

type Strategy = 'greedy' | 'beam';

function options(request: SideRequest, strategy: Strategy): GenerateOptions {
  const config = JSON.parse(readFileSync(join(request.folder, 'generation_config.json'), 'utf8')) as Record<string, unknown>;
  const beams = strategy === 'beam' ? request.beam : 1;
  return hfGenerationOptions(
    { ...config, do_sample: false, num_beams: beams, num_return_sequences: 1, max_new_tokens: request.newTokens, min_new_tokens: request.newTokens },
    'bench onnx',
  );
}

async function decodeAll(loaded: OnnxSeq2Seq, chunk: number[][], opts: GenerateOptions): Promise<number[][]> {
  const results = await generate(loaded.model, chunk, opts);
  return results.map((r) => r.best.ids);
}

/** One profiled pass over the inputs: time in run(), in the StepModel around it, and in the loop. */
async function profile(loaded: OnnxSeq2Seq, request: SideRequest, strategy: Strategy, batch: number): Promise<TimeSplit> {
  const clock: Clock = { run: 0, runCalls: 0, model: 0 };
  const model = timedStepModel(loaded.model, clock);
  const opts = options(request, strategy);
  const restore = timeOrtRuns(clock, ORT_FROM.seqloom);
  const t0 = performance.now();
  try {
    for (let i = 0; i < request.inputs.length; i += batch) await generate(model, request.inputs.slice(i, i + batch), opts);
  } finally {
    restore();
  }
  const total = (performance.now() - t0) / 1000;
  return {
    strategy,
    batch,
    total,
    runCalls: clock.runCalls,
    parts: [
      ['onnxruntime run()', clock.run],
      ['OnnxStepModel around run()', clock.model - clock.run],
      ['decode loop', total - clock.model],
    ],
  };
}

const request = readRequest();
const decoder = (process.env['SEQLOOM_ONNX_DECODER'] ?? 'merged') as 'merged' | 'split';
const loaded = await loadOnnxSeq2Seq(request.folder, { decoder, sessionOptions: { intraOpNumThreads: 1, interOpNumThreads: 1 } });
const rows: SideRow[] = [];
const digests: Record<string, string> = {};
for (const batch of request.batches) {
  const greedy = await timePasses(request, batch, (c) => decodeAll(loaded, c, options(request, 'greedy')));
  const beam = await timePasses(request, batch, (c) => decodeAll(loaded, c, options(request, 'beam')));
  const all = [...greedy.outputs, ...beam.outputs];
  rows.push({ batch, greedy: greedy.perSecond, beam: beam.perSecond, tokensPerOutput: lengths(all) });
  digests[String(batch)] = createHash('sha1').update(JSON.stringify(greedy.outputs)).digest('hex');
}
const split: TimeSplit[] = [];
for (const strategy of ['greedy', 'beam'] as const) split.push(await profile(loaded, request, strategy, request.batches[0]));
await loaded.dispose();
writeResult({
  side: `seqloom (${decoder} decoder)`,
  versions: { node: process.version, 'onnxruntime-node': packageVersion('onnxruntime-node', ORT_FROM.seqloom) },
  rows,
  digests,
  split,
});
