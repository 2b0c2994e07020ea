import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * A Python that imports `modules`: $PYTHON, the machine's fixture venv
 * (/work/venv-fixtures), or python3 — or undefined (CI has none).
 */
export function findPython(modules: readonly string[]): string | undefined {
  const candidates = [process.env['PYTHON'], '/work/venv-fixtures/bin/python', 'python3'].filter(
    (p): p is string => !!p && (!p.includes('/') || existsSync(p)),
  );
  return candidates.find((python) => spawnSync(python, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore', timeout: 60_000 }).status === 0);
}
