import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CliError, UsageError } from './cli-error.js';
import { kebabCase, type OptionSpec } from './option-spec.js';
import { closestName } from './suggest.js';

/**
 * Reads a `--config` file (JSON, or YAML for `.yaml`/`.yml`) whose keys are
 * option names (`hidden: 256`; `learning-rate`, `learningRate` and `learning_rate` all
 * work, as do aliases). Returns the
 * values keyed by kebab-case option name. Unknown keys are errors that name
 * the file and suggest the closest option.
 */
export async function readConfigFile(path: string, cwd: string, specs: readonly OptionSpec[], command: string): Promise<Map<string, unknown>> {
  const file = resolve(cwd, path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`--config ${path}: ${code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? String(error)})`}`);
  }
  const data = parseConfigText(text, path);
  const known = new Map(specs.map((s) => [s.name, s]));
  const aliases = new Map(specs.filter((s) => s.alias).map((s) => [s.alias!, s.name]));
  const values = new Map<string, unknown>();
  for (const [key, value] of Object.entries(data)) {
    const written = kebabCase(key.replace(/^--/, '')).replaceAll('_', '-');
    const name = aliases.get(written) ?? written;
    if (name === 'config') throw new UsageError(`${path}: a config file cannot name another config file ("${key}")`);
    if (!known.has(name)) {
      const hint = closestName(name, [...known.keys()]);
      throw new UsageError(
        `${path}: unknown option "${key}" for \`seqloom ${command}\`${hint ? `; did you mean "${hint}"?` : ''} (see seqloom ${command} --help)`,
      );
    }
    values.set(name, value);
  }
  return values;
}

function parseConfigText(text: string, path: string): Record<string, unknown> {
  const yaml = ['.yaml', '.yml'].includes(extname(path).toLowerCase());
  let data: unknown;
  try {
    data = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new CliError(`--config ${path}: not valid ${yaml ? 'YAML' : 'JSON'} (${detail})`);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new CliError(`--config ${path}: expected a mapping of option names to values, e.g. {"hidden": 256}`);
  }
  return data as Record<string, unknown>;
}
