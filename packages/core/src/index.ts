// @seqloom/core: the primitives every seqloom package shares, with no
// dependencies and no `node:` import (it runs in browsers). Node-only helpers
// (atomic file and folder writes) are under `@seqloom/core/node`.
export { SEQLOOM_CORE_VERSION } from './version.js';
export * from './kernel-contract/index.js';
export { SeqloomError, type SeqloomErrorOptions } from './seqloom-error.js';
export { createRng, isRngState, RNG_STATE_FORM, type Rng, type RngState } from './rng.js';
export { SeededRng } from './seeded-rng.js';
export { deriveSeed } from './derive-seed.js';
export { mix32 } from './mix32.js';
export { fnv1a, FNV1A_OFFSET } from './fnv1a.js';
export { decodeUtf8, firstInvalidUtf8, Utf8DecodeError } from './utf8.js';
export { boundLines, MAX_LINE_BYTES, type CutLine } from './bounded-lines.js';
export * from './wasm-module-bytes.js';
