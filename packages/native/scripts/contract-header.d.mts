/** native/contract.h's path. */
export declare const HEADER_PATH: string;
/** The text of native/contract.h for @seqloom/core's kernel contract. */
export declare function contractHeader(contract: {
  ADDON_FUNCTIONS: Readonly<Record<string, string>>;
  BINARY_OPS: Readonly<Record<string, number>>;
  BINARY_MODES: Readonly<Record<string, number>>;
  UNARY_OPS: Readonly<Record<string, number>>;
  GEMM_DIM_MAX: number;
}): string;
