import yargs, { type Argv, type Options } from 'yargs';
import type { CliCommand } from './cli-command.js';
import { UsageError } from './cli-error.js';
import { defaultLabel, describeOption, type OptionSpec } from './option-spec.js';
import { GLOBAL_OPTIONS } from './options/global-options.js';

/** The command yargs selected and its raw parsed arguments. */
export interface Selection {
  command: CliCommand;
  /** Command words, e.g. `['tokenizer', 'train']`. */
  path: string[];
  argv: Record<string, unknown>;
}

/** yargs' view of one option: help text and how to parse it (validation is ours). */
function yargsOption(spec: OptionSpec): Options {
  const label = defaultLabel(spec);
  const type: Options['type'] =
    spec.kind === 'boolean' ? 'boolean' : spec.kind === 'string' || spec.kind === 'path' || spec.kind === 'choice' ? 'string' : undefined;
  // Numbers are left untyped so a bad value reaches our validator as typed ("abc"), not as NaN.
  const options: Options = { describe: describeOption(spec) + (type === undefined ? ` [${spec.kind}]` : '') };
  if (type) options.type = type;
  else options.requiresArg = true;
  if (label !== undefined) options.defaultDescription = label;
  if (spec.alias) options.alias = spec.alias;
  if (spec.group) options.group = spec.group;
  if (spec.array) options.array = true;
  return options;
}

function addCommand(parent: Argv, command: CliCommand, path: string[], onSelect: (s: Selection) => void): Argv {
  const usage = command.usage ? `${command.name} ${command.usage}` : command.name;
  return parent.command(
    usage,
    command.describe,
    (y: Argv) => {
      let builder = y;
      for (const p of command.positionals ?? []) {
        builder = builder.positional(p.name, { describe: p.describe, type: 'string', ...(p.array ? { array: true } : {}) });
      }
      for (const spec of command.options) builder = builder.option(spec.name, yargsOption(spec));
      for (const [example, text] of command.examples ?? []) builder = builder.example(example, text);
      for (const sub of command.subcommands ?? []) builder = addCommand(builder, sub, [...path, sub.name], onSelect);
      if (command.subcommands) builder = builder.demandCommand(1, `name a ${command.name} action: ${command.subcommands.map((s) => s.name).join(', ')}`);
      return builder;
    },
    (argv) => onSelect({ command, path, argv: argv as Record<string, unknown> }),
  );
}

/**
 * Builds a fresh yargs parser for `commands` (yargs instances keep state
 * between parses, so every run gets its own). Parse failures throw
 * {@link UsageError}; `onSelect` receives the chosen command.
 */
export function buildParser(commands: readonly CliCommand[], version: string, columns: number | undefined, onSelect: (s: Selection) => void): Argv {
  let y = yargs()
    .scriptName('seqloom')
    .usage('seqloom <command> [options]\n\nTrain, run and evaluate recurrent sequence-to-sequence text generators.')
    .parserConfiguration({ 'strip-dashed': true, 'strip-aliased': true, 'halt-at-non-option': false })
    .exitProcess(false)
    .strict()
    .recommendCommands()
    .version(version)
    .help()
    .alias('help', 'h')
    .wrap(Math.min(110, columns ?? 100));
  for (const spec of GLOBAL_OPTIONS) y = y.option(spec.name, { ...yargsOption(spec), global: true });
  for (const command of commands) y = addCommand(y, command, [command.name], onSelect);
  return y
    .demandCommand(1, 'name a command')
    .epilogue('Run `seqloom <command> --help` for the options of a command.')
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    });
}
