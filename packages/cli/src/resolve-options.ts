import type { Selection } from './build-parser.js';
import { UsageError } from './cli-error.js';
import { readConfigFile } from './config-file.js';
import { camelCase, checkValue, type OptionSpec, type OptionValues } from './option-spec.js';

/** Validated option values and which of them the user set. */
export interface ResolvedOptions {
  options: OptionValues;
  given: Set<string>;
  positionals: Record<string, unknown>;
}

/**
 * Layers option values — flags over the `--config` file over defaults —
 * and validates each one against its spec.
 */
export async function resolveOptions(selection: Selection, specs: readonly OptionSpec[], cwd: string): Promise<ResolvedOptions> {
  const { argv, command } = selection;
  const options: OptionValues = {};
  const given = new Set<string>();
  for (const spec of specs) {
    const raw = argv[camelCase(spec.name)] ?? argv[spec.name];
    if (raw === undefined) continue;
    options[camelCase(spec.name)] = checkValue(spec, raw);
    given.add(spec.name);
  }
  const configPath = options.config as string | undefined;
  if (configPath) {
    const fromFile = await readConfigFile(configPath, cwd, specs, selection.path.join(' '));
    for (const [name, value] of fromFile) {
      if (given.has(name)) continue;
      const spec = specs.find((s) => s.name === name)!;
      options[camelCase(name)] = checkValue(spec, value, ` (in ${configPath})`);
      given.add(name);
    }
  }
  for (const spec of specs) {
    const key = camelCase(spec.name);
    if (options[key] === undefined && spec.default !== undefined) options[key] = spec.default;
  }
  const depth = selection.path.length;
  const extra = extraWords(argv, depth);
  const positionals: Record<string, unknown> = {};
  for (const p of command.positionals ?? []) {
    const value = argv[camelCase(p.name)] ?? argv[p.name];
    positionals[p.name] = p.array ? [...toList(value), ...extra] : value;
  }
  if (!command.positionals?.some((p) => p.array) && extra.length > 0) {
    throw new UsageError(`unexpected argument "${extra[0]}" for seqloom ${selection.path.join(' ')}`);
  }
  return { options, given, positionals };
}

function toList(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** Words after `--` (yargs leaves them in `_` after the command words). */
function extraWords(argv: Record<string, unknown>, depth: number): string[] {
  const rest = (argv._ as unknown[] | undefined) ?? [];
  return rest.slice(depth).map(String);
}
