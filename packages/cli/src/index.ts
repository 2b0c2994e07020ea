// @seqloom/cli: the `seqloom` command line as a library (runCli) for embedding and tests.
export { runCli } from './run-cli.js';
export { processIo, readLines, type CliIo, type TextSink } from './cli-io.js';
export { CliError, UsageError, EXIT } from './cli-error.js';
export type { CliCommand, CommandContext, PositionalSpec } from './cli-command.js';
export type { OptionSpec, OptionKind } from './option-spec.js';
export { COMMANDS } from './commands/index.js';
export { readConfigFile } from './config-file.js';
export { makeReport, writeChartPngs, type Report, type ReportOptions } from './report/make-report.js';
export type { ReportChart } from './report/report-charts.js';
export type { ReportExample, ReportExampleOptions } from './report/report-examples.js';
export { startPlaygroundServer, type PlaygroundServer, type PlaygroundServerOptions } from './serve/playground-server.js';
