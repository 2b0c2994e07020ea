import type { CliIo } from './cli-io.js';
import type { OptionSpec, OptionValues } from './option-spec.js';
import type { Output } from './output.js';

/** A positional argument of a command (`generate [inputs..]`). */
export interface PositionalSpec {
  name: string;
  describe: string;
  /** Collects all remaining words. */
  array?: boolean;
}

/** What a command's `run` receives. */
export interface CommandContext {
  io: CliIo;
  /** Every option of the command, camelCase, validated, defaults applied. */
  options: OptionValues;
  /** kebab-case names of the options set by a flag or the config file (not by a default). */
  given: ReadonlySet<string>;
  /** Positional values by name (arrays for `..` positionals). */
  positionals: Record<string, unknown>;
  /** Human messages, results and JSON lines, honouring --quiet/--log-json. */
  out: Output;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
}

/**
 * One `seqloom` command. `options` drives help, config files, defaults and
 * validation; `run` calls the libraries and prints. A command with
 * `subcommands` only groups them (`seqloom tokenizer train`).
 */
export interface CliCommand {
  /** The command word, e.g. `generate`. */
  name: string;
  /** Positionals in yargs syntax after the name, e.g. `[inputs..]`. */
  usage?: string;
  describe: string;
  options: readonly OptionSpec[];
  positionals?: readonly PositionalSpec[];
  examples?: readonly (readonly [string, string])[];
  subcommands?: readonly CliCommand[];
  run?(context: CommandContext): Promise<number | void>;
}
