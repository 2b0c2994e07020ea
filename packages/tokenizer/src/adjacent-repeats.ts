// Two long repetitions in a row that can take the same characters, with
// something after them that can fail — `\s*\s*$`, `a*a*b`, `\w+\s*\w+$`. When
// the match fails, a backtracking engine tries every way of sharing the run
// between them: time that grows with the square of the run at each start
// position, the cube over a whole text.
//
// A part that must match between them does not stop the trade when it shares
// characters with both (`.*foo.*bar` over "foofoofoo…"). Only the case where
// what follows can fail counts: GPT-4o's
// `[\p{Lu}…]*[\p{Ll}…]+(?i:'s|…)?` has two such repetitions, but nothing after
// them can fail, so the first way tried succeeds.

import type { RegexNode } from './regex-syntax.js';

/** A repetition is "long" when it can take more than this many iterations beyond its minimum. */
const LONG_SPAN = 16;

/** The two repetitions found. */
export interface Trade {
  first: RegexNode;
  second: RegexNode;
}

type Repeat = Extract<RegexNode, { kind: 'repeat' }>;

function isLong(node: Repeat): boolean {
  return node.max - node.min > LONG_SPAN;
}

/** Can match the empty text (zero-width tests count as passing). */
export function nullable(node: RegexNode): boolean {
  switch (node.kind) {
    case 'char':
      return false;
    case 'seq':
      return node.items.every(nullable);
    case 'alt':
      return node.branches.some(nullable);
    case 'repeat':
      return node.min === 0 || nullable(node.body);
    default:
      return true;
  }
}

/** Can match the empty text without any test that could fail. */
function skippable(node: RegexNode): boolean {
  switch (node.kind) {
    case 'seq':
      return node.items.every(skippable);
    case 'alt':
      return node.branches.some(skippable);
    case 'repeat':
      return node.min === 0 || skippable(node.body);
    default:
      return false;
  }
}

/** Long repetitions that can take the first (or, `fromEnd`, the last) characters the node matches. */
function edgeRepeats(node: RegexNode, fromEnd: boolean): Repeat[] {
  if (node.kind === 'repeat') return isLong(node) ? [node] : edgeRepeats(node.body, fromEnd);
  if (node.kind === 'alt') return node.branches.flatMap((b) => edgeRepeats(b, fromEnd));
  if (node.kind !== 'seq') return [];
  const out: Repeat[] = [];
  const items = fromEnd ? [...node.items].reverse() : node.items;
  for (const item of items) {
    out.push(...edgeRepeats(item, fromEnd));
    if (!nullable(item)) break;
  }
  return out;
}

function contains(node: RegexNode, inner: RegexNode): boolean {
  if (node === inner) return true;
  if (node.kind === 'seq') return node.items.some((n) => contains(n, inner));
  if (node.kind === 'alt') return node.branches.some((n) => contains(n, inner));
  return node.kind === 'repeat' && contains(node.body, inner);
}

/** Whether, inside `node`, everything after `inner` can be skipped. */
function endsWith(node: RegexNode, inner: RegexNode): boolean {
  if (node === inner) return true;
  if (node.kind === 'alt') return node.branches.some((b) => contains(b, inner) && endsWith(b, inner));
  if (node.kind === 'repeat') return node.min <= 1 && endsWith(node.body, inner);
  if (node.kind !== 'seq') return false;
  const at = node.items.findIndex((n) => contains(n, inner));
  return at >= 0 && endsWith(node.items[at], inner) && node.items.slice(at + 1).every(skippable);
}

/** Sources of the one-character atoms a node can consume (zero-width tests left out). */
export function atomSources(node: RegexNode, src: string, into: string[] = []): string[] {
  if (node.kind === 'char') into.push(src.slice(node.start, node.end));
  else if (node.kind === 'seq') for (const n of node.items) atomSources(n, src, into);
  else if (node.kind === 'alt') for (const n of node.branches) atomSources(n, src, into);
  else if (node.kind === 'repeat') atomSources(node.body, src, into);
  return into;
}

type Shares = (sets: readonly (readonly string[])[]) => boolean;

/** Whether `first` and `second` share characters, and each part between them shares some with both. */
function canTrade(first: string[], between: readonly string[][], second: string[], shares: Shares): boolean {
  return shares([first, second]) && between.every((part) => shares([first, part]) && shares([part, second]));
}

/** A trade within one sequence, whose own continuation can fail when `tailCanFail`. */
function tradeInSequence(items: RegexNode[], tailCanFail: boolean, src: string, shares: Shares): Trade | null {
  const canFailAfter = items.map((_, i) => tailCanFail || items.slice(i + 1).some((n) => !skippable(n)));
  for (let i = 0; i < items.length; i++) {
    const firsts = edgeRepeats(items[i], true).map((node) => ({ node, atoms: atomSources(node.body, src) }));
    const between: string[][] = [];
    for (let j = i + 1; j < items.length && firsts.length > 0; j++) {
      for (const second of edgeRepeats(items[j], false)) {
        if (!canFailAfter[j] && endsWith(items[j], second)) continue;
        const atoms = atomSources(second.body, src);
        const first = firsts.find((f) => canTrade(f.atoms, between, atoms, shares));
        if (first) return { first: first.node, second };
      }
      if (nullable(items[j])) continue;
      // A part that must match stands between: trading goes on across it only over characters it shares with both.
      const part = atomSources(items[j], src);
      if (!firsts.some((f) => shares([f.atoms, part]))) break;
      between.push(part);
    }
  }
  return null;
}

/**
 * The first pair of long repetitions that can trade characters before a part
 * that can fail, or null. `tailCanFail` says whether what follows `node` can fail.
 */
export function findTrade(node: RegexNode, src: string, shares: Shares, tailCanFail: boolean): Trade | null {
  if (node.kind === 'alt') {
    for (const branch of node.branches) {
      const found = findTrade(branch, src, shares, tailCanFail);
      if (found) return found;
    }
    return null;
  }
  if (node.kind === 'repeat') return findTrade(node.body, src, shares, tailCanFail || node.min > 1);
  if (node.kind !== 'seq') return null;
  const own = tradeInSequence(node.items, tailCanFail, src, shares);
  if (own) return own;
  for (let i = 0; i < node.items.length; i++) {
    const after = tailCanFail || node.items.slice(i + 1).some((n) => !skippable(n));
    const found = findTrade(node.items[i], src, shares, after);
    if (found) return found;
  }
  return null;
}
