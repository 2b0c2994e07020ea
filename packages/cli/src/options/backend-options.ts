import type { OptionSpec, OptionValues } from '../option-spec.js';

const BACKEND_CHOICES = ['auto', 'tensorflow', 'native', 'wasm', 'cpu'] as const;

/** `--backend` and `--threads`, under the given help heading. */
export function backendOptions(
  group: string | undefined,
  describe = 'TensorFlow.js backend (auto: tensorflow if installed, else native if built, else wasm, else cpu)',
  threads = 'threads of the native (BLAS) or wasm backend (2+ speeds up large models on idle cores, slows everything on a busy machine)',
): OptionSpec[] {
  return [
    { name: 'backend', kind: 'choice', choices: BACKEND_CHOICES, default: 'auto', describe, ...(group ? { group } : {}) },
    {
      name: 'threads',
      kind: 'integer',
      min: 1,
      max: 4,
      default: 1,
      describe: threads,
      ...(group ? { group } : {}),
    },
  ];
}

/** Starts the backend `--backend`/`--threads` name; returns it as a log line, e.g. `wasm (2 threads)`. */
export async function startBackend(o: OptionValues): Promise<string> {
  const { describeBackend, setBackend } = await import('@seqloom/seq2seq');
  const name = (o.backend as (typeof BACKEND_CHOICES)[number] | undefined) ?? 'auto';
  await setBackend(name, { threads: (o.threads as number | undefined) ?? 1 });
  return describeBackend();
}
