#!/usr/bin/env node
import { processIo } from './cli-io.js';
import { runCli } from './run-cli.js';

// The first Ctrl-C or SIGTERM asks the running command to stop cleanly; a second one quits at once.
const io = processIo();
process.exitCode = await runCli(process.argv.slice(2), io);
// A command stopped while waiting for input leaves stdin open; nothing more will be read.
process.stdin.destroy();
