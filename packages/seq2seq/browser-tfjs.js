// `@tensorflow/tfjs` in a browser bundle of @seqloom/seq2seq: the "browser"
// field of package.json maps it here for bundlers (esbuild, webpack, Vite,
// Rollup's node-resolve with `browser: true`). In a page the package runs
// inference on the wasm backend (cpu as the fallback) and uses only
// tfjs-core's ops, so it does not pull in the layers, converter, data and
// WebGL parts of the full tfjs (about 0.55 MB of a minified bundle). Node
// loads the full `@tensorflow/tfjs`, unchanged.
export * from '@tensorflow/tfjs-core';

import '@tensorflow/tfjs-backend-cpu';
