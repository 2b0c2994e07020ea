import { nativeUnavailableReason } from '../src/index.js';

/** Why the addon cannot load here (printed once by the suites that skip), or undefined when it is built. */
export const unavailable = nativeUnavailableReason();
if (unavailable !== undefined) console.log(`@seqloom/native tests skipped: ${unavailable}`);
