// @seqloom/core: the primitives every seqloom package shares, with no
// dependencies and no `node:` import (it runs in browsers). Node-only helpers
// (atomic file and folder writes) are under `@seqloom/core/node`.
export { SEQLOOM_CORE_VERSION } from './version.js';
