#!/usr/bin/env node
import { EXIT } from './cli-error.js';
import { processIo, stdoutFailure } from './cli-io.js';
import { runCli } from './run-cli.js';

// The first Ctrl-C or SIGTERM asks the running command to stop cleanly; a second one quits at once.
const io = processIo();
const code = await runCli(process.argv.slice(2), io);
// output lost to a write error (not a closed pipe) fails the command even if it finished
process.exitCode = code === EXIT.ok && stdoutFailure() !== undefined ? EXIT.failure : code;
// A command stopped while waiting for input leaves stdin open; nothing more will be read.
process.stdin.destroy();
if (code === EXIT.interrupted || code === EXIT.terminated) {
  // Stopped by a signal: whatever the command left waiting (a read of a silent pipe, a file a library
  // opens) must not keep the process alive. Once this timer fires, something still holds it: end it
  // by the signal itself, whose default action cannot wait (process.exit can, on a blocked thread).
  setTimeout(() => {
    const signal = code === EXIT.terminated ? 'SIGTERM' : 'SIGINT';
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }, 500).unref();
}
