// `pnpm bench decode-loop [--steps N] [--repeats R] [--small] [--json] [--cpu N | --no-pin] [--anchor-python PATH | --no-anchor] [--plain]`
import { runDecodeLoopBench } from './decode-loop-lib.js';

await runDecodeLoopBench(process.argv.slice(2));
