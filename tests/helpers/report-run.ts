import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { reversePairs, TINY_MODEL, writeLines } from './fixtures.js';
import { seqloomInProcess } from './run-seqloom.js';

/** Trains a small attention model on the reverse task in `dir/model` and returns that folder. */
export async function trainSmallRun(dir: string, extra: readonly string[] = []): Promise<string> {
  await mkdir(dir, { recursive: true });
  const data = await writeLines(dir, 'pairs.tsv', reversePairs(240, 3));
  const out = join(dir, 'model');
  const run = await seqloomInProcess([
    'train',
    '--data',
    data,
    '--out',
    out,
    ...TINY_MODEL,
    '--max-steps',
    '40',
    '--eval-every',
    '10',
    '--log-every',
    '5',
    '--valid-fraction',
    '0.1',
    ...extra,
  ]);
  if (run.code !== 0) throw new Error(`training the report fixture failed (${run.code}): ${run.stderr}`);
  return out;
}
