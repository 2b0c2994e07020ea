import { spawnSync } from 'node:child_process';
import { cpuFlags, isGenericOpenblasCore, preferredOpenblasCore } from '@seqloom/native/internal';

// Read before seqloom's engine loads: it sets OPENBLAS_CORETYPE in this process for itself.
const userCoretype = process.env['OPENBLAS_CORETYPE'];

/** The OpenBLAS kernel the anchor runs on, and the environment that gives it. */
export interface AnchorBlas {
  /** The core OpenBLAS reports (OPENBLAS_VERBOSE=2), e.g. `Haswell`; `unknown` when it printed none. */
  core: string;
  /** OPENBLAS_CORETYPE passed to the anchor, if any. */
  coretype?: string;
  /** How the core was chosen, for the report. */
  how: string;
  generic: boolean;
}

/** The core a Python run reports with OPENBLAS_VERBOSE=2 (it prints `Core: <name>` when the library loads). */
function reportedCore(python: string, script: string, env: NodeJS.ProcessEnv): string {
  const run = spawnSync(python, [script, '--threads', '1', '--probe-sgemm', '8,8,8'], {
    env: { ...env, OPENBLAS_VERBOSE: '2', OPENBLAS_NUM_THREADS: '1' },
    encoding: 'utf8',
  });
  const match = /Core:\s*(\S+)/.exec(`${run.stderr}\n${run.stdout}`);
  return match?.[1] ?? 'unknown';
}

/**
 * Picks the anchor's OpenBLAS kernel: the user's OPENBLAS_CORETYPE if set;
 * else the core OpenBLAS picks by itself, unless that is a generic kernel on
 * a CPU with AVX2/AVX-512, when the matching one (Haswell / SkylakeX) is forced.
 */
export function chooseAnchorBlas(python: string, script: string): AnchorBlas {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['OPENBLAS_CORETYPE'];
  if (userCoretype !== undefined && userCoretype !== '') {
    const core = reportedCore(python, script, { ...env, OPENBLAS_CORETYPE: userCoretype });
    return { core, coretype: userCoretype, how: `OPENBLAS_CORETYPE=${userCoretype} (set by the user)`, generic: isGenericOpenblasCore(core) };
  }
  const picked = reportedCore(python, script, env);
  const preferred = preferredOpenblasCore(cpuFlags());
  if ((isGenericOpenblasCore(picked) || picked === 'unknown') && preferred !== undefined) {
    const core = reportedCore(python, script, { ...env, OPENBLAS_CORETYPE: preferred });
    return { core, coretype: preferred, how: `OPENBLAS_CORETYPE=${preferred} (OpenBLAS picked ${picked} by itself)`, generic: isGenericOpenblasCore(core) };
  }
  return { core: picked, how: 'chosen by OpenBLAS', generic: isGenericOpenblasCore(picked) };
}
