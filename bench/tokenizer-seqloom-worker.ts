// Child process of `pnpm bench tokenizer`: trains seqloom's byte-level BPE on a corpus
// file (one text per line), encodes the file, and prints a JSON line of timings and
// this process's peak RSS, so the memory figure covers seqloom's work alone.
// Usage: node --conditions=source --import tsx bench/tokenizer-seqloom-worker.ts <corpus.txt> <vocabSize> <out-dir>
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tokenizerFromJson, trainBpeTokenizer } from '../packages/tokenizer/src/index.js';

const [corpusPath, vocabArg, outDir] = process.argv.slice(2);
if (!corpusPath || !vocabArg || !outDir) {
  console.error('usage: tokenizer-seqloom-worker.ts <corpus.txt> <vocabSize> <out-dir> (run through `pnpm bench tokenizer`)');
  process.exit(2);
}

const trainStart = performance.now();
const lines = readFileSync(corpusPath, 'utf8')
  .split('\n')
  .filter((line) => line !== '');
let countMs = 0;
const json = await trainBpeTokenizer(lines, {
  vocabSize: Number(vocabArg),
  onProgress: (p) => {
    if (p.phase === 'merge' && countMs === 0) countMs = performance.now() - trainStart;
  },
});
const tokenizer = tokenizerFromJson(json);
await tokenizer.save(join(outDir, 'tokenizer.json'));
const trainMs = performance.now() - trainStart;
const trainCpu = process.cpuUsage();

const encodeStart = performance.now();
const text = readFileSync(corpusPath, 'utf8')
  .split('\n')
  .filter((line) => line !== '');
const loaded = tokenizerFromJson(readFileSync(join(outDir, 'tokenizer.json'), 'utf8'));
let tokens = 0;
let chars = 0;
for (const line of text) {
  tokens += loaded.encode(line).length;
  chars += line.length;
}
const encodeMs = performance.now() - encodeStart;
const encodeCpu = process.cpuUsage(trainCpu);
const cpuSeconds = (usage: NodeJS.CpuUsage): number => (usage.user + usage.system) / 1e6;

console.log(
  JSON.stringify({
    trainMs,
    countMs,
    encodeMs,
    trainCpuS: cpuSeconds(trainCpu),
    encodeCpuS: cpuSeconds(encodeCpu),
    tokens,
    chars,
    vocabSize: tokenizer.vocabSize,
    merges: (json.model.merges ?? []).length,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);
