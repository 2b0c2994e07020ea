import { nativeUnavailableReason } from '@seqloom/native';

/**
 * The engine the backend-independent suites run on: `native` when the addon
 * is built (seqloom's default engine), else `wasm`. `SEQLOOM_TEST_BACKEND=wasm`
 * runs them on wasm. Suites about one engine's kernels set that engine
 * themselves.
 */
export const TEST_BACKEND: 'native' | 'wasm' = process.env['SEQLOOM_TEST_BACKEND'] === 'wasm' || nativeUnavailableReason() !== undefined ? 'wasm' : 'native';

/** Both engines when the addon is built (for suites that compare them), else wasm alone. */
export const ENGINES: readonly ('native' | 'wasm')[] = nativeUnavailableReason() === undefined ? ['native', 'wasm'] : ['wasm'];
