// Every name a public entry point exports has a TSDoc comment, so the API
// reference (`pnpm docs`, TypeDoc) documents all of it.
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { apiEntries } from '../scripts/api-entries.mjs';

/**
 * Exports that still lack a comment, in packages whose owners are adding them:
 * each must leave this list when it gets one (the test fails on a stale entry
 * as well as on a new undocumented export).
 */
const NOT_YET_DOCUMENTED: Record<string, string[]> = {};

function documented(symbol: ts.Symbol, checker: ts.TypeChecker): boolean {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  if (ts.displayPartsToString(target.getDocumentationComment(checker)).trim() !== '') return true;
  return (target.declarations ?? []).some((d) => ts.getJSDocCommentsAndTags(d).length > 0);
}

describe('the API reference', () => {
  it('every exported name of every public entry point has a TSDoc comment', () => {
    const entries = apiEntries();
    const program = ts.createProgram(
      entries.map((e) => e.file),
      {
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        target: ts.ScriptTarget.ES2022,
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        customConditions: ['source'],
        types: ['node'],
      },
    );
    const checker = program.getTypeChecker();
    const undocumented: Record<string, string[]> = {};
    let count = 0;
    for (const entry of entries) {
      const module = checker.getSymbolAtLocation(program.getSourceFile(entry.file)!)!;
      for (const symbol of checker.getExportsOfModule(module)) {
        count += 1;
        if (!documented(symbol, checker)) (undocumented[entry.name] ??= []).push(symbol.name);
      }
    }
    for (const names of Object.values(undocumented)) names.sort();
    expect(count).toBeGreaterThan(500);
    expect(undocumented).toEqual(NOT_YET_DOCUMENTED);
  }, 120_000);
});
