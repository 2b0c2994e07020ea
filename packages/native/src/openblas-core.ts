import { readFileSync } from 'node:fs';

/**
 * OpenBLAS kernels for CPUs older than AVX2: on a CPU that has AVX2 or
 * AVX-512 they run several times below the machine's speed (Debian's
 * OpenBLAS 0.3.21 falls back to `Prescott` on processors it does not know).
 */
export const GENERIC_OPENBLAS_CORES: readonly string[] = [
  'Katmai',
  'Coppermine',
  'Northwood',
  'Prescott',
  'Banias',
  'Core2',
  'Penryn',
  'Dunnington',
  'Nehalem',
  'Atom',
  'Athlon',
  'Opteron',
  'Opteron_SSE3',
  'Barcelona',
  'Bobcat',
  'Nano',
  'generic',
  'unknown',
];

/** True when `core` (as `openblas_get_corename()` or OPENBLAS_VERBOSE=2 names it) is a generic, pre-AVX2 kernel. */
export function isGenericOpenblasCore(core: string): boolean {
  return GENERIC_OPENBLAS_CORES.some((name) => name.toLowerCase() === core.trim().toLowerCase());
}

/** The CPU feature flags of the first processor in /proc/cpuinfo (empty where there is none, e.g. macOS). */
export function cpuFlags(cpuinfo?: string): Set<string> {
  let text = cpuinfo;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return new Set();
    }
  }
  const line = text.split('\n').find((l) => /^flags\s*:/.test(l));
  return new Set(
    line === undefined
      ? []
      : line
          .slice(line.indexOf(':') + 1)
          .trim()
          .split(/\s+/),
  );
}

/**
 * The OpenBLAS core to force for a CPU with these flags: `SkylakeX` with
 * AVX-512 (F, BW, VL, DQ), `Haswell` with AVX2 and FMA, else undefined (let
 * OpenBLAS choose).
 */
export function preferredOpenblasCore(flags: Set<string>): string | undefined {
  if (['avx512f', 'avx512bw', 'avx512vl', 'avx512dq'].every((f) => flags.has(f))) return 'SkylakeX';
  if (flags.has('avx2') && flags.has('fma')) return 'Haswell';
  return undefined;
}

/**
 * Sets `env.OPENBLAS_CORETYPE` to the preferred core for this CPU unless the
 * user set it; must run before OpenBLAS is loaded (it reads the variable once,
 * when the library initialises). Returns the value in effect, if any.
 */
export function selectOpenblasCore(env: Record<string, string | undefined> = process.env, flags: Set<string> = cpuFlags()): string | undefined {
  const given = env['OPENBLAS_CORETYPE'];
  if (given !== undefined && given !== '') return given;
  const core = preferredOpenblasCore(flags);
  if (core !== undefined) env['OPENBLAS_CORETYPE'] = core;
  return core;
}
