// @seqloom/core/node: the Node-only primitives (file system).
export { SEQLOOM_CORE_VERSION } from '../version.js';
