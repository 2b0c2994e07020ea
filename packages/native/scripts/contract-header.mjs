#!/usr/bin/env node
// native/contract.h, written from @seqloom/core's kernel contract: the C names
// of the elementwise op and mode codes, the largest GEMM dimension, and the
// addon's functions as one X-macro table (prototypes and registration both
// expand it). Run by `pnpm --filter @seqloom/native build` (it reads the
// TypeScript contract, so it runs under tsx); the header is committed, so an
// install from npm compiles without it. A test checks the committed header
// equals what the contract gives.
//
//   node --conditions=source --import tsx scripts/contract-header.mjs          write native/contract.h
//   node --conditions=source --import tsx scripts/contract-header.mjs --check  exit 1 when it differs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the header is. */
export const HEADER_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'native', 'contract.h');

/** `scalarB` → `SCALAR_B`. */
function upperSnake(name) {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

function codes(kind, prefix, table) {
  const rows = Object.entries(table).map(([name, code]) => `  ${prefix}_${upperSnake(name)} = ${code},`);
  const count = Math.max(...Object.values(table)) + 1;
  return [`enum ${kind} {`, ...rows, `  ${prefix}_COUNT = ${count}`, '};'];
}

/**
 * The text of native/contract.h for a contract (@seqloom/core's exports:
 * ADDON_FUNCTIONS, BINARY_OPS, BINARY_MODES, UNARY_OPS, GEMM_DIM_MAX, BUFFER_ALIGNMENT).
 */
export function contractHeader(contract) {
  const functions = Object.entries(contract.ADDON_FUNCTIONS).map(([js, c]) => `  X("${js}", ${c})`);
  return [
    "/* Generated from @seqloom/core's kernel contract (packages/core/src/kernel-contract/) by",
    ' * scripts/contract-header.mjs: do not edit; change the contract and run the build. */',
    '#ifndef SEQLOOM_CONTRACT_H',
    '#define SEQLOOM_CONTRACT_H',
    '',
    '#include "args.h"',
    '',
    '/* binary(op, mode, a, b, out): the op (BINARY_OPS) and how a and b broadcast (BINARY_MODES). */',
    ...codes('seqloom_binary_op', 'SEQLOOM_BINARY', contract.BINARY_OPS),
    ...codes('seqloom_binary_mode', 'SEQLOOM_MODE', contract.BINARY_MODES),
    '/* unary(op, x, out) (UNARY_OPS). */',
    ...codes('seqloom_unary_op', 'SEQLOOM_UNARY', contract.UNARY_OPS),
    '',
    "/* The largest GEMM dimension, stride or leading dimension (GEMM_DIM_MAX: cblas_sgemm's int). */",
    `#define SEQLOOM_GEMM_DIM_MAX ${contract.GEMM_DIM_MAX}`,
    '/* The boundary (bytes) every scratch buffer of the addon starts on (BUFFER_ALIGNMENT). */',
    `#define SEQLOOM_ALIGNMENT ${contract.BUFFER_ALIGNMENT}`,
    '',
    '/* X(js name, C function) for every function the addon exports (ADDON_FUNCTIONS). */',
    '#define SEQLOOM_ADDON_FUNCTIONS(X) \\',
    functions.join(' \\\n'),
    '',
    '#define SEQLOOM_DECLARE_FUNCTION(js, c) napi_value c(napi_env env, napi_callback_info info);',
    'SEQLOOM_ADDON_FUNCTIONS(SEQLOOM_DECLARE_FUNCTION)',
    '#undef SEQLOOM_DECLARE_FUNCTION',
    '',
    '#endif',
    '',
  ].join('\n');
}

async function main() {
  const contract = await import('@seqloom/core');
  const text = contractHeader(contract);
  if (process.argv.includes('--check')) {
    if (readFileSync(HEADER_PATH, 'utf8') === text) return;
    console.error(`${HEADER_PATH} differs from @seqloom/core's kernel contract; run: pnpm --filter @seqloom/native build`);
    process.exit(1);
  }
  writeFileSync(HEADER_PATH, text);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
