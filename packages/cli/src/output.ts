import type { CliIo } from './cli-io.js';

/**
 * How a command talks to the user: `info` is for humans (stderr, silenced by
 * --quiet and --log-json), `result` is the command's answer (stdout),
 * `json` writes one JSON object per line to stdout.
 */
export class Output {
  constructor(
    private readonly io: CliIo,
    readonly quiet: boolean,
    readonly logJson: boolean,
  ) {}

  /** A progress or status message for people. */
  info(text: string): void {
    if (!this.quiet && !this.logJson) this.io.stderr.write(`${text}\n`);
  }

  /** A warning: shown even with --quiet (and as a JSON event with --log-json). */
  warn(text: string): void {
    if (this.logJson) this.json({ event: 'warning', message: text });
    else this.io.stderr.write(`warning: ${text}\n`);
  }

  /** The command's output proper. */
  result(text: string): void {
    this.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** One JSON object on its own line on stdout. */
  json(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value)}\n`);
  }

  /** A machine event: written only with --log-json. */
  event(value: Record<string, unknown>): void {
    if (this.logJson) this.json(value);
  }
}
