/** The version of `@seqloom/core` (kept equal to its package.json by a test). */
export const SEQLOOM_CORE_VERSION = '0.1.0';
