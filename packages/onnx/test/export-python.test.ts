import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StepModel } from '@seqloom/decode';
import type { Seq2SeqModel } from '@seqloom/seq2seq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../src/export/index.js';
import { charTokenizer, LM_CASES, SEQ2SEQ_CASES, SOURCE_TEXT, TARGET_TEXT, tempFolder, tinyModel, useTestBackend } from './support/export-models.js';
import { findPython } from './support/find-python.js';

// The exported graphs pass onnx.checker and Python onnxruntime computes the
// logits seqloom computed (test/python/check_export.py). Needs a Python with
// onnx, onnxruntime and numpy ($PYTHON, else the machine's fixture venv, else
// python3); skipped, saying so, without one (as on CI).

const SCRIPT = fileURLToPath(new URL('./python/check_export.py', import.meta.url));
const python = findPython(['onnx', 'onnxruntime', 'numpy']);
if (python === undefined)
  console.log(
    'export-python: skipped: no Python with onnx, onnxruntime and numpy (set PYTHON to one to run onnx.checker and Python onnxruntime on the exports)',
  );

let root: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  await useTestBackend();
  ({ dir: root, cleanup } = await tempFolder('python'));
});
afterAll(() => cleanup());

/** Pads rows into ids and mask lists. */
function padded(rows: readonly (readonly number[])[], pad: number): { input_ids: number[][]; attention_mask: number[][] } {
  const width = Math.max(...rows.map((r) => r.length));
  return {
    input_ids: rows.map((r) => [...r, ...Array<number>(width - r.length).fill(pad)]),
    attention_mask: rows.map((r) => [...r.map(() => 1), ...Array<number>(width - r.length).fill(0)]),
  };
}

/** The feeds and seqloom's logits of a few steps (check.json), as the graphs take them. */
async function checkRecord(model: Seq2SeqModel, sources: number[][]): Promise<unknown> {
  const { config } = model;
  const lm = config.task === 'lm';
  const step = model.asStepModel() as StepModel<unknown>;
  let state = await step.start(sources);
  const encoder = lm
    ? padded(
        sources.map((p) => [config.bosId, ...p.slice(0, -1)]),
        config.padId,
      )
    : padded(sources, config.sourcePadId);
  let previous = Int32Array.from(sources, () => config.bosId);
  const steps = [];
  for (let t = 0; t < 4; t++) {
    const fed = lm && t === 0 ? sources.map((p) => p[p.length - 1]!) : [...previous]; // a prompt's last token comes first
    const out = await step.step(state, previous);
    steps.push({ input_ids: fed, logits: Array.from(out.logits) });
    state = out.state;
    previous = Int32Array.from(previous, (_, r) => 3 + ((t * 5 + r * 3) % (config.targetVocabSize - 3)));
  }
  step.dispose(state);
  return { encoder, steps };
}

describe.skipIf(python === undefined)("exports pass onnx.checker and run in Python onnxruntime with seqloom's logits", () => {
  it('every configuration of the export matrix', async () => {
    const [source, target] = [await charTokenizer(SOURCE_TEXT), await charTokenizer(TARGET_TEXT)];
    const dirs: string[] = [];
    for (const [i, c] of [...SEQ2SEQ_CASES, ...LM_CASES].entries()) {
      const lm = c.config.task === 'lm';
      const src = c.config.shareEmbeddings ? target : source;
      const model = tinyModel(c.config, src, target, 40 + i);
      try {
        const dir = join(root, `case-${i}`);
        await exportOnnx({ model, sourceTokenizer: lm ? target : src, targetTokenizer: target }, dir);
        const texts = lm ? ['THE LAZY DOG', 'Q', 'FOX'] : ['the lazy dog', 'a fox', 'quick brown fox jumps'];
        await writeFile(
          join(dir, 'check.json'),
          JSON.stringify(
            await checkRecord(
              model,
              texts.map((t) => (lm ? target : src).encode(t)),
            ),
          ),
        );
        dirs.push(dir);
      } finally {
        model.dispose();
      }
    }
    const run = spawnSync(python!, [SCRIPT, ...dirs], { encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { onnx: string; onnxruntime: string; cases: { max_diff: number }[] };
    console.log(
      `Python onnx ${report.onnx} checker passed; onnxruntime ${report.onnxruntime}: largest |logit difference| ${Math.max(...report.cases.map((c) => c.max_diff)).toExponential(2)} over ${report.cases.length} exports`,
    );
    expect(run.status).toBe(0);
    expect(report.cases).toHaveLength(dirs.length);
    for (const c of report.cases) expect(c.max_diff).toBeLessThan(1e-4);
  });
});
