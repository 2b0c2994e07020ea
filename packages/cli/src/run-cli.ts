import { readFileSync } from 'node:fs';
import { StoppedError } from './abortable.js';
import { buildParser, type Selection } from './build-parser.js';
import type { CliCommand } from './cli-command.js';
import { EXIT, UsageError } from './cli-error.js';
import { type CliIo, type StopSignal, signalExitCode } from './cli-io.js';
import { COMMANDS } from './commands/index.js';
import { describeError } from './describe-error.js';
import { type OptionSpec } from './option-spec.js';
import { GLOBAL_OPTIONS } from './options/global-options.js';
import { Output } from './output.js';
import { resolveOptions } from './resolve-options.js';
import { closestName } from './suggest.js';

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * Runs one `seqloom` command line (`argv` without `node` and the script) and
 * resolves to its exit code: 0 ok, 1 failure, 2 usage error, 130 interrupted
 * (Ctrl-C), 143 terminated (SIGTERM).
 * Errors are printed as one line on `io.stderr` (with the stack under
 * `--verbose`); nothing is thrown.
 */
export async function runCli(argv: readonly string[], io: CliIo, commands: readonly CliCommand[] = COMMANDS): Promise<number> {
  const verbose = argv.includes('--verbose');
  try {
    return await runParsed(argv, io, commands);
  } catch (error) {
    const described = describeError(error);
    io.stderr.write(`seqloom: ${described.line}\n`);
    if (verbose && described.stack) io.stderr.write(`${described.stack}\n`);
    return described.exitCode;
  }
}

async function runParsed(argv: readonly string[], io: CliIo, commands: readonly CliCommand[]): Promise<number> {
  if (argv.length === 0) {
    // A bare `seqloom`: the overview of commands, as a usage error.
    const help: string[] = [];
    await runParsed(['--help'], { ...io, stdout: { write: (t) => void help.push(t) } }, commands);
    io.stderr.write(help.join(''));
    return EXIT.usage;
  }
  let selection: Selection | undefined;
  const parser = buildParser(commands, packageVersion(), io.stdout.columns, (s) => (selection = s));
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      try {
        parser.parse([...argv], {}, (error: Error | undefined, _argv: unknown, text: string) => {
          output = text;
          if (error) reject(error);
          else resolve();
        });
      } catch (error) {
        reject(error);
      }
    });
  } catch (error) {
    if (error instanceof UsageError) throw explainUsage(error, argv, commands);
    throw error;
  }
  if (output) {
    io.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
    return EXIT.ok;
  }
  if (!selection) throw new UsageError('name a command: ' + commands.map((c) => c.name).join(', ') + ' (see seqloom --help)');
  return runSelection(selection, io);
}

async function runSelection(selection: Selection, io: CliIo): Promise<number> {
  const { command } = selection;
  if (!command.run) throw new UsageError(`seqloom ${selection.path.join(' ')} needs an action (see --help)`);
  const specs: OptionSpec[] = [...GLOBAL_OPTIONS, ...command.options];
  const resolved = await resolveOptions(selection, specs, io.cwd);
  const out = new Output(io, Boolean(resolved.options.quiet), Boolean(resolved.options.logJson));
  const controller = new AbortController();
  let stoppedBy: StopSignal | undefined;
  const removeHandler = io.onInterrupt((signal) => {
    if (stoppedBy) return;
    stoppedBy = signal;
    // a closed standard output (SIGPIPE) ends the command quietly, as it ends `cat`
    if (signal !== 'SIGPIPE') out.info(`\nstopping… (${signal === 'SIGINT' ? 'press Ctrl-C again' : 'send the signal again'} to quit at once)`);
    controller.abort(signal);
  });
  try {
    let code: number | void;
    try {
      code = await command.run({ io, ...resolved, out, signal: controller.signal });
    } catch (error) {
      if (!(error instanceof StoppedError) || !stoppedBy) throw error;
      code = EXIT.interrupted;
    }
    if (!stoppedBy) return code ?? EXIT.ok;
    // a command stopped by the signal reports it as the signal's exit status (130 for SIGINT, 143 for SIGTERM)
    return code === undefined || code === EXIT.interrupted ? signalExitCode(stoppedBy) : code;
  } finally {
    removeHandler();
  }
}

/** Rewrites yargs' messages into one line with a suggestion. */
function explainUsage(error: UsageError, argv: readonly string[], commands: readonly CliCommand[]): UsageError {
  const message = error.message.replace(/\s+/g, ' ').trim();
  const unknown = /^Unknown arguments?: (.*)$/.exec(message);
  const path = commandPath(argv, commands);
  const where = path.length > 0 ? `seqloom ${path.map((c) => c.name).join(' ')}` : 'seqloom';
  if (unknown) {
    const names = unknown[1].split(', ');
    const flag = names.find((n) => argv.some((a) => a === `--${n}` || a.startsWith(`--${n}=`) || a === `-${n}`)) ?? names[0];
    const isFlag = argv.some((a) => a === `--${flag}` || a.startsWith(`--${flag}=`) || a === `-${flag}`);
    if (!isFlag) return new UsageError(`unexpected argument "${flag}" for ${where} (see ${where} --help)`);
    const known = [...GLOBAL_OPTIONS, ...(path.at(-1)?.options ?? [])].map((o) => o.name);
    const hint = closestName(flag, known);
    return new UsageError(`unknown option --${flag} for ${where}${hint ? `; did you mean --${hint}?` : ''} (see ${where} --help)`);
  }
  const didYouMean = /^Did you mean (.*)\?$/.exec(message);
  if (didYouMean) {
    const word = argv.find((a) => !a.startsWith('-') && !path.some((c) => c.name === a)) ?? '';
    return new UsageError(`unknown command "${word}" for ${where}; did you mean ${didYouMean[1]}?`);
  }
  if (/^Not enough arguments following: (.*)$/.test(message)) {
    const name = message.split(': ')[1];
    return new UsageError(`--${name} needs a value (see ${where} --help)`);
  }
  if (/^Unknown command/.test(message) || /^name a/.test(message)) return new UsageError(`${message} (see ${where} --help)`);
  return new UsageError(`${message} (see ${where} --help)`);
}

function commandPath(argv: readonly string[], commands: readonly CliCommand[]): CliCommand[] {
  const path: CliCommand[] = [];
  let level = commands;
  for (const word of argv) {
    if (word.startsWith('-')) continue;
    const next = level.find((c) => c.name === word);
    if (!next) break;
    path.push(next);
    level = next.subcommands ?? [];
  }
  return path;
}
