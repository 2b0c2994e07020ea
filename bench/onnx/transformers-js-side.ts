// The transformers.js side of `pnpm bench onnx`: @huggingface/transformers 4.x
// generate() on the same export folder (its merged decoder graph), on the same
// onnxruntime-node, one onnxruntime thread. It has no beam search (num_beams > 1
// keeps the best candidate of each step: the greedy output), so only greedy is timed.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { loadTransformersJs, ORT_FROM, packageVersion, type TransformersJs } from './deps.js';
import { chunks, lengths, readRequest, type SideRow, type TimeSplit, timePasses, writeResult } from './protocol.js';
import { type Clock, timeOrtRuns } from './time-split.js';

const request = readRequest();
const hf: TransformersJs = await loadTransformersJs();
// local files only: the fixture's parent folder is the model root; nothing is fetched or cached
hf.env.allowRemoteModels = false;
hf.env.allowLocalModels = true;
hf.env.localModelPath = dirname(request.folder);
hf.env.useFSCache = false;
const model = await hf.AutoModelForSeq2SeqLM.from_pretrained(basename(request.folder), {
  local_files_only: true,
  dtype: 'fp32',
  device: 'cpu',
  session_options: { intraOpNumThreads: 1, interOpNumThreads: 1 },
});

/** A [rows, width] int64 tensor of the sources padded with `pad` at the end, and its attention mask. */
function padded(chunk: number[][], pad: number): { inputs: unknown; attention_mask: unknown } {
  const width = Math.max(...chunk.map((s) => s.length));
  const ids = new BigInt64Array(chunk.length * width).fill(BigInt(pad));
  const mask = new BigInt64Array(chunk.length * width);
  chunk.forEach((s, i) =>
    s.forEach((id, j) => {
      ids[i * width + j] = BigInt(id);
      mask[i * width + j] = 1n;
    }),
  );
  return { inputs: new hf.Tensor('int64', ids, [chunk.length, width]), attention_mask: new hf.Tensor('int64', mask, [chunk.length, width]) };
}

const config = JSON.parse(readFileSync(join(request.folder, 'config.json'), 'utf8')) as { pad_token_id?: number };
const padId = config.pad_token_id ?? 0;

async function greedy(chunk: number[][]): Promise<number[][]> {
  const out = await model.generate({
    ...padded(chunk, padId),
    do_sample: false,
    num_beams: 1,
    max_new_tokens: request.newTokens,
    min_new_tokens: request.newTokens,
  });
  // the sequences start with the decoder start token; seqloom's ids do not
  return out.tolist().map((row) => row.slice(1).map(Number));
}

/** One more greedy pass with onnxruntime's run() timed: its share of transformers.js's time. */
async function profile(batch: number): Promise<TimeSplit> {
  const clock: Clock = { run: 0, runCalls: 0, model: 0 };
  const restore = timeOrtRuns(clock, ORT_FROM.transformersJs());
  const t0 = performance.now();
  try {
    for (const chunk of chunks(request.inputs, batch)) await greedy(chunk);
  } finally {
    restore();
  }
  const total = (performance.now() - t0) / 1000;
  return {
    strategy: 'greedy',
    batch,
    total,
    runCalls: clock.runCalls,
    parts: [
      ['onnxruntime run()', clock.run],
      ['transformers.js outside run()', total - clock.run],
    ],
  };
}

const rows: SideRow[] = [];
const digests: Record<string, string> = {};
for (const batch of request.batches) {
  const pass = await timePasses(request, batch, greedy);
  rows.push({ batch, greedy: pass.perSecond, beam: null, tokensPerOutput: lengths(pass.outputs) });
  digests[String(batch)] = createHash('sha1').update(JSON.stringify(pass.outputs)).digest('hex');
}
const split = await profile(request.batches[0]);
await model.dispose();
writeResult({
  side: 'transformers.js',
  versions: { 'transformers.js': hf.env.version, 'onnxruntime-node': packageVersion('onnxruntime-node', ORT_FROM.transformersJs()) },
  rows,
  digests,
  split: [split],
  notes: ['transformers.js 4.3.2 has no beam search: num_beams > 1 returns the greedy sequence (one per input), so its beam column is empty'],
});
