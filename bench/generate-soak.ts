// `pnpm bench generate-soak [--lines 1000000] [--from stdin|input] [--heap 64]`:
// resident memory of one `seqloom generate` process (the real binary) while
// it decodes many input lines with a tiny model, read from standard input or
// from an --input file, under a small JavaScript heap (--max-old-space-size).
// RSS is sampled every half second against the lines done so far. Memory is
// flat when the process ends normally and the peak RSS of the second half is
// within 10 % of the first half's (after the first tenth: start-up); exits 1
// otherwise. (An input loop that kept ~300 bytes a line, issue 25 item 5,
// ran out of a 96 MB heap within a million lines.) On two cores: about 10,000
// lines/s from --input (batched), 2,000 from stdin (one line at a time), so
// 10M lines take some 20 minutes from --input.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: flags } = parseArgs({
  options: { lines: { type: 'string', default: '1000000' }, from: { type: 'string', default: 'stdin' }, heap: { type: 'string', default: '64' } },
});
const lines = Number(flags.lines);
const heap = Number(flags.heap);
if (!Number.isInteger(lines) || lines < 1000 || !Number.isInteger(heap) || heap < 16 || !['stdin', 'input'].includes(flags.from!)) {
  console.error('pnpm bench generate-soak: --lines must be an integer ≥ 1000, --heap (MB) ≥ 16, --from stdin or input');
  process.exit(2);
}
const root = fileURLToPath(new URL('..', import.meta.url));
const MAIN = ['--conditions=source', '--import', 'tsx', 'packages/cli/src/main.ts'];
const dir = await mkdtemp(join(tmpdir(), 'seqloom-generate-soak-'));
const words = ['abc', 'hello', 'defg', 'gab', 'cafe', 'bead'];
const lineAt = (i: number) => `${words[i % words.length]}\n`;

try {
  const data = join(dir, 'pairs.tsv');
  await writeFile(data, Array.from({ length: 200 }, (_, i) => `${words[i % 6]}${i % 7}\t${[...`${words[i % 6]}${i % 7}`].reverse().join('')}`).join('\n'));
  const model = join(dir, 'model');
  const trained = spawnSync(
    process.execPath,
    [...MAIN, 'train', '--data', data, '--out', model, '--hidden', '16', '--embedding', '8', '--max-steps', '2', '--quiet'],
    { cwd: root, encoding: 'utf8' },
  );
  if (trained.status !== 0) throw new Error(`training the soak model failed: ${trained.stderr}`);

  const args = ['generate', '--model', model, '--max-length', '4'];
  if (flags.from === 'input') {
    const input = join(dir, 'input.txt');
    const out = createWriteStream(input);
    for (let i = 0; i < lines; i++) if (!out.write(lineAt(i))) await new Promise<void>((r) => out.once('drain', () => r()));
    await new Promise<void>((r) => out.end(() => r()));
    args.push('--input', input);
  }
  const child = spawn(process.execPath, [`--max-old-space-size=${heap}`, ...MAIN, ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  if (flags.from === 'stdin') {
    let i = 0;
    Readable.from(
      (function* () {
        while (i < lines) yield lineAt(i++);
      })(),
    ).pipe(child.stdin);
  } else child.stdin.end();
  let done = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    for (const byte of chunk) if (byte === 10) done++;
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const samples: { lines: number; rssMb: number }[] = [];
  const timer = setInterval(() => {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
      samples.push({ lines: done, rssMb: kb / 1024 });
    } catch {
      // not on Linux, or the process has ended
    }
  }, 500);
  const [code, signal] = (await new Promise((r) => child.on('close', (c, s) => r([c, s])))) as [number | null, string | null];
  clearInterval(timer);

  const peak = (from: number, to: number) => Math.max(0, ...samples.filter((s) => s.lines >= from && s.lines < to).map((s) => s.rssMb));
  const first = peak(lines * 0.1, lines * 0.55);
  const second = peak(lines * 0.55, lines + 1);
  for (let k = 0; k < samples.length; k += Math.max(1, Math.floor(samples.length / 20))) {
    console.log(`${String(samples[k].lines).padStart(10)} lines  ${samples[k].rssMb.toFixed(1).padStart(7)} MB RSS`);
  }
  const ended = code === 0 && done === lines;
  const flat = samples.length === 0 || second <= first * 1.1;
  console.log(
    `generate (${flags.from}, --max-old-space-size=${heap}): ${done}/${lines} lines, exit ${code ?? signal}; ` +
      `peak RSS ${first.toFixed(1)} MB (10–55 %) → ${second.toFixed(1)} MB (55–100 %): ${ended && flat ? 'flat' : 'NOT flat'}`,
  );
  if (!ended) console.log(stderr.slice(-800));
  process.exitCode = ended && flat ? 0 : 1;
} finally {
  await rm(dir, { recursive: true, force: true });
}
