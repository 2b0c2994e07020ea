import type { CliIo } from '../cli-io.js';
import { JsonProgressLog, SilentProgress } from './json-progress-log.js';
import { PlainProgressLog } from './plain-progress-log.js';
import type { ProgressReporter } from './progress-events.js';
import { TtyProgressBar } from './tty-progress-bar.js';

/**
 * The progress display for this run: JSON lines on stdout with --log-json,
 * nothing with --quiet, a live bar when stderr is a terminal, plain periodic
 * lines otherwise.
 */
export function createProgressReporter(io: CliIo, options: { quiet: boolean; logJson: boolean; intervalMs?: number }): ProgressReporter {
  if (options.logJson) return new JsonProgressLog(io.stdout);
  if (options.quiet) return new SilentProgress();
  if (io.stderr.isTTY) return new TtyProgressBar(io.stderr, () => io.now());
  return new PlainProgressLog(io.stderr, () => io.now(), options.intervalMs);
}
