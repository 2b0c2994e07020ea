#!/usr/bin/env node
import { processIo } from './cli-io.js';
import { EXIT } from './cli-error.js';
import { runCli } from './run-cli.js';

const io = processIo();
// A second Ctrl-C quits at once; the first one asks the running command to stop cleanly.
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts += 1;
  if (interrupts > 1) process.exit(EXIT.interrupted);
});
process.exitCode = await runCli(process.argv.slice(2), io);
// A command stopped while waiting for input leaves stdin open; nothing more will be read.
process.stdin.destroy();
