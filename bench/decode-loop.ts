// `pnpm bench decode-loop [--steps N] [--repeats R] [--small] [--json]`
import { runDecodeLoopBench } from './decode-loop-lib.js';

await runDecodeLoopBench(process.argv.slice(2));
