// The check every `{"Regex": …}` pattern of a tokenizer.json passes before the
// tokenizer is built. @huggingface/tokenizers compiles these patterns to
// JavaScript regular expressions, which backtrack: a pattern such as `(a+)+$`
// takes time exponential in the text's length, and tokenizer files come from
// anyone. This module looks at the expression exactly as it will run (the
// library's own compilation of it) and refuses the shapes that backtrack badly:
//
// - backreferences;
// - a repetition inside a repeated group whose own repetition is unbounded
//   (`(a+)+`, `(\w+\s?)*`, `(a*)*`, `(?:a+)+b`);
// - a repeated group that can match one text as different sequences of
//   iterations (`(a|a)*`, `(a|aa)+`, `(\w|\d)+`, `(a{1,30}){1,30}`);
// - two long repetitions in a row over common characters before something that
//   can fail (`\s*\s*$`, `a*a*b`) — see adjacent-repeats.ts;
// - more than PATTERN_LIMITS.ways ways to match at one position (`a?a?a?…`,
//   `(a|a)(a|a)…`), patterns over PATTERN_LIMITS.length characters and counted
//   repetitions over PATTERN_LIMITS.count.
//
// What passes can still take time proportional to the square of one run of
// characters when the pattern fails at every start position of that run
// (`\s*x` over 100,000 spaces): every tokenizer pattern in use has that shape.

import * as tokenizers from '@huggingface/tokenizers';
import { findTrade } from './adjacent-repeats.js';
import { sharesCharacter } from './char-overlap.js';
import type { RegexNode } from './regex-syntax.js';
import { parseRegex, RegexSyntaxError } from './regex-syntax.js';
import { atomPaths, isAmbiguousLoop, MAX_BODY_ATOMS, MAX_BODY_PATHS } from './repeat-ambiguity.js';

/** Bounds on what a tokenizer.json pattern may be. */
export const PATTERN_LIMITS = {
  /** Characters of the pattern as written. */
  length: 4096,
  /** Characters once compiled to JavaScript (shorthands such as `\w` grow). */
  compiledLength: 65_536,
  /** Largest count of a counted repetition `{n}`, `{n,}`, `{n,m}`. */
  count: 1000,
  /** Ways (alternatives × optional parts) to match at one position. */
  ways: 10_000,
} as const;

/** Why a pattern is refused, and what to do about it. */
export interface PatternHazard {
  reason: string;
  fix: string;
}

/** The library's Split pre-tokenizer (exported at run time; its type declarations lose it under NodeNext resolution). */
type SplitClass = new (config: object) => { pattern: unknown };

/** The JavaScript expression @huggingface/tokenizers runs for a `{"Regex": pattern}`. */
function compileAsTokenizersDoes(pattern: string): RegExp {
  const Split = (tokenizers as unknown as { SplitPreTokenizer: SplitClass }).SplitPreTokenizer;
  const split = new Split({ type: 'Split', pattern: { Regex: pattern }, behavior: 'Isolated' });
  if (!(split.pattern instanceof RegExp)) throw new Error('it compiles to nothing');
  return split.pattern;
}

/** How a part of the compiled expression is quoted in a message. */
type Quote = (node: RegexNode) => string;

function quoter(original: string, compiled: string): Quote {
  return (node) => {
    const text = compiled.slice(node.start, node.end);
    const short = text.length > 60 ? `${text.slice(0, 59)}…` : text;
    return original.includes(text) ? JSON.stringify(short) : `${JSON.stringify(short)} (as compiled for JavaScript)`;
  };
}

/**
 * Why `pattern` (a tokenizer.json `Regex`, in the Oniguruma syntax of Hugging
 * Face tokenizers) may not run on JavaScript's backtracking engine, or null
 * when it may.
 */
export function findPatternHazard(pattern: string): PatternHazard | null {
  if (pattern.length > PATTERN_LIMITS.length) {
    return {
      reason: `it is ${pattern.length} characters long (the limit is ${PATTERN_LIMITS.length})`,
      fix: 'shorten it, or split the work between several Split or Replace steps',
    };
  }
  let compiled: string;
  try {
    compiled = compileAsTokenizersDoes(pattern).source;
  } catch (error) {
    return {
      reason: `@huggingface/tokenizers cannot compile it (${error instanceof Error ? error.message : String(error)})`,
      fix: 'write it in the regular expression syntax of Hugging Face tokenizers (Oniguruma)',
    };
  }
  if (compiled.length > PATTERN_LIMITS.compiledLength) {
    return { reason: `it compiles to ${compiled.length} characters of JavaScript (the limit is ${PATTERN_LIMITS.compiledLength})`, fix: 'shorten it' };
  }
  let root: RegexNode;
  try {
    root = parseRegex(compiled);
  } catch (error) {
    const why = error instanceof RegexSyntaxError ? error.message : String(error);
    return { reason: `its compiled form cannot be checked (${why})`, fix: 'simplify it' };
  }
  return hazardIn(root, compiled, quoter(pattern, compiled));
}

/**
 * The first hazard of an expression, or of a lookaround's body, checked as an
 * expression of its own (a lookbehind's is matched backwards: its end is no end).
 */
function hazardIn(root: RegexNode, src: string, quote: Quote, backwards = false): PatternHazard | null {
  const local = firstNodeHazard(root, src, quote);
  if (local) return local;
  if (ways(root) > PATTERN_LIMITS.ways) {
    return {
      reason: `it can match at one position in more than ${PATTERN_LIMITS.ways} ways (alternatives times optional parts)`,
      fix: 'use fewer alternatives or optional parts',
    };
  }
  const trade = findTrade(root, src, sharesCharacter, backwards);
  if (trade) {
    return {
      reason: `${quote(trade.first)} and then ${quote(trade.second)} can take the same characters and what follows them can fail, so matching can take time that grows with the cube of the text's length`,
      fix: 'merge the two into one repetition, or make the part after them always match',
    };
  }
  return null;
}

function firstNodeHazard(node: RegexNode, src: string, quote: Quote): PatternHazard | null {
  switch (node.kind) {
    case 'backref':
      return {
        reason: `it uses the backreference ${quote(node)}, which a backtracking engine can take exponential time to match`,
        fix: 'rewrite it without backreferences',
      };
    case 'look':
      return hazardIn(node.body, src, quote, node.behind);
    case 'seq':
    case 'alt':
      for (const child of node.kind === 'seq' ? node.items : node.branches) {
        const found = firstNodeHazard(child, src, quote);
        if (found) return found;
      }
      return null;
    case 'repeat':
      return repeatHazard(node, src, quote) ?? firstNodeHazard(node.body, src, quote);
    default:
      return null;
  }
}

function repeatHazard(node: Extract<RegexNode, { kind: 'repeat' }>, src: string, quote: Quote): PatternHazard | null {
  const count = node.max === Infinity ? node.min : node.max;
  if (count > PATTERN_LIMITS.count) {
    return {
      reason: `the counted repetition ${quote(node)} allows ${count} (the limit is ${PATTERN_LIMITS.count})`,
      fix: 'use a smaller count, or an unbounded repetition',
    };
  }
  if (node.max <= 1) return null;
  const inner = unboundedRepeatIn(node.body);
  if (inner) {
    return {
      reason: `${quote(node)} repeats ${quote(inner)}, itself an unbounded repetition, so a run of characters can be split between the two in exponentially many ways`,
      fix: 'let only one of them repeat (for example "(a+)+" matches what "a+" matches)',
    };
  }
  const paths = atomPaths(node.body);
  if (paths === null) {
    return {
      reason: `the repeated group ${quote(node)} is too complex to check (over ${MAX_BODY_PATHS} forms or ${MAX_BODY_ATOMS} characters in one iteration)`,
      fix: 'simplify the repeated group',
    };
  }
  if (isAmbiguousLoop(paths, atomOverlap(src))) {
    return {
      reason: `the repeated group ${quote(node)} can match the same text as different sequences of its parts, so backtracking can try exponentially many of them`,
      fix: 'make the alternatives or optional parts of the repeated group unable to match the same characters',
    };
  }
  return null;
}

/** Whether two one-character atoms share a character, remembered per pair of atom texts. */
function atomOverlap(src: string): (a: RegexNode, b: RegexNode) => boolean {
  const known = new Map<string, boolean>();
  return (a, b) => {
    const pair = [src.slice(a.start, a.end), src.slice(b.start, b.end)].sort();
    const key = JSON.stringify(pair);
    let answer = known.get(key);
    if (answer === undefined) {
      answer = sharesCharacter([[pair[0]], [pair[1]]]);
      known.set(key, answer);
    }
    return answer;
  };
}

/** An unbounded repetition inside `node`, lookarounds (atomic in JavaScript) aside. */
function unboundedRepeatIn(node: RegexNode): RegexNode | null {
  if (node.kind === 'repeat') return node.max === Infinity ? node : unboundedRepeatIn(node.body);
  const children = node.kind === 'seq' ? node.items : node.kind === 'alt' ? node.branches : [];
  for (const child of children) {
    const found = unboundedRepeatIn(child);
    if (found) return found;
  }
  return null;
}

/** Ways to match at one position, counting each alternative and each optional part (capped). */
function ways(node: RegexNode): number {
  const cap = PATTERN_LIMITS.ways + 1;
  switch (node.kind) {
    case 'seq':
      return node.items.reduce((n, item) => Math.min(cap, n * ways(item)), 1);
    case 'alt':
      return node.branches.reduce((n, branch) => Math.min(cap, n + ways(branch)), 0);
    case 'repeat':
      return Math.min(cap, ways(node.body) + (node.min === 0 ? 1 : 0));
    default:
      return 1;
  }
}
