// The operation and broadcast codes of the native addon's elementwise
// functions (`binary`, `unary`): named here, written into the addon's C header
// (native/contract.h) by the native package's build, so that the numbers live
// in one place.

/** `binary(op, …)`: out = a ∘ b. */
export const BINARY_OPS = { add: 0, sub: 1, mul: 2, div: 3 } as const;

/**
 * `binary(…, mode, …)`: how a and b broadcast. `same`: one size; `scalarB`/`scalarA`: that side
 * is one value; `rowB`/`rowA`: that side is a row repeated over the other; `columnB`/`columnA`:
 * that side holds one value per row of the other.
 */
export const BINARY_MODES = { same: 0, scalarB: 1, scalarA: 2, rowB: 3, rowA: 4, columnB: 5, columnA: 6 } as const;

/** `unary(op, …)`: out = f(x). */
export const UNARY_OPS = { sqrt: 0, square: 1, exp: 2, log: 3, neg: 4, rsqrt: 5, sigmoid: 6, tanh: 7, relu: 8, abs: 9 } as const;

/** A code of {@link BINARY_OPS}. */
export type BinaryOp = (typeof BINARY_OPS)[keyof typeof BINARY_OPS];
/** A code of {@link BINARY_MODES}. */
export type BinaryMode = (typeof BINARY_MODES)[keyof typeof BINARY_MODES];
/** A code of {@link UNARY_OPS}. */
export type UnaryOp = (typeof UNARY_OPS)[keyof typeof UNARY_OPS];
