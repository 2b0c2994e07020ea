// @seqloom/core/node: the Node-only primitives (file system).
export { SEQLOOM_CORE_VERSION } from '../version.js';
export { writeFileAtomic, writeFileAtomicSync } from './atomic-file.js';
export { restoreAbandonedDir, writeDirAtomic } from './atomic-dir.js';
