// A parser for JavaScript regular expressions in 'u' mode, as far as the
// backtracking analysis of pattern-safety.ts needs: which parts repeat, which
// alternate, which test one character, which are zero-width. Its input is a
// source that `new RegExp(source, 'u')` already accepted (the form
// @huggingface/tokenizers compiles a tokenizer.json pattern to), so it checks
// little syntax itself.

import { SeqloomError } from '@seqloom/core';

interface Span {
  /** Offsets of the node's text in the parsed source. */
  start: number;
  end: number;
}

/** A node of a parsed regular expression. */
export type RegexNode =
  /** One character: a literal, an escape, a class, '.', or `(?:(?=…)…[\s\S])` built only of one-character tests. */
  | (Span & { kind: 'char' })
  | (Span & { kind: 'seq'; items: RegexNode[] })
  | (Span & { kind: 'alt'; branches: RegexNode[] })
  /** A lookahead or lookbehind, positive or negative: zero-width, atomic in JavaScript. */
  | (Span & { kind: 'look'; behind: boolean; body: RegexNode })
  /** `^`, `$`, `\b`, `\B`. */
  | (Span & { kind: 'assert' })
  /** `\1`, `\k<name>`. */
  | (Span & { kind: 'backref' })
  /** `body{min,max}`; `max` is Infinity for `*`, `+`, `{n,}`; lazy forms are the same here. */
  | (Span & { kind: 'repeat'; body: RegexNode; min: number; max: number });

/** Deepest group nesting accepted (deeper patterns are refused rather than risk the stack). */
export const MAX_GROUP_DEPTH = 64;

/** A syntax this parser does not take, with the offset where it stopped. */
export class RegexSyntaxError extends SeqloomError {
  override name = 'RegexSyntaxError';
}

const QUANTIFIER = /^(?:[*+?]|\{(\d+)(?:(,)(\d*))?\})\??/;
const GROUP_OPEN = /^\((?:\?(?:<[=!]|[=!]|:|<[^>]+>|[a-z]*(?:-[a-z]*)?:))?/;

class Parser {
  private pos = 0;

  constructor(private readonly src: string) {}

  parse(): RegexNode {
    const node = this.disjunction(0);
    if (this.pos < this.src.length) throw this.fail(`unexpected "${this.src[this.pos]}"`);
    return node;
  }

  private fail(what: string): RegexSyntaxError {
    return new RegexSyntaxError(`${what} at offset ${this.pos}`);
  }

  private disjunction(depth: number): RegexNode {
    const start = this.pos;
    const branches = [this.alternative(depth)];
    while (this.src[this.pos] === '|') {
      this.pos += 1;
      branches.push(this.alternative(depth));
    }
    return branches.length === 1 ? branches[0] : { kind: 'alt', branches, start, end: this.pos };
  }

  private alternative(depth: number): RegexNode {
    const start = this.pos;
    const items: RegexNode[] = [];
    while (this.pos < this.src.length && this.src[this.pos] !== '|' && this.src[this.pos] !== ')') {
      items.push(this.term(depth));
    }
    return items.length === 1 ? items[0] : { kind: 'seq', items, start, end: this.pos };
  }

  private term(depth: number): RegexNode {
    const start = this.pos;
    const atom = this.atom(depth);
    const quantifier = QUANTIFIER.exec(this.src.slice(this.pos, this.pos + 48));
    if (quantifier === null) return atom;
    this.pos += quantifier[0].length;
    const [min, max] = quantifierBounds(quantifier);
    return { kind: 'repeat', body: atom, min, max, start, end: this.pos };
  }

  private atom(depth: number): RegexNode {
    const start = this.pos;
    const c = this.src[this.pos];
    if (c === '(') return this.group(depth);
    if (c === '^' || c === '$') return this.take('assert', start, 1);
    if (c === '[') return this.take('char', start, classLength(this.src, start));
    if (c === '\\') return this.escape(start);
    if (c === ')' || c === '|' || c === undefined) throw this.fail('missing atom');
    const code = this.src.codePointAt(start) as number;
    return this.take('char', start, code > 0xffff ? 2 : 1);
  }

  private take(kind: 'char' | 'assert' | 'backref', start: number, length: number): RegexNode {
    this.pos = start + length;
    return { kind, start, end: this.pos };
  }

  private escape(start: number): RegexNode {
    const rest = this.src.slice(start + 1, start + 16);
    const c = rest[0];
    if (c === 'b' || c === 'B') return this.take('assert', start, 2);
    if (c !== undefined && c >= '1' && c <= '9') return this.take('backref', start, 1 + (/^\d+/.exec(rest) as RegExpExecArray)[0].length);
    if (c === 'k') return this.take('backref', start, closing(this.src, start, '>'));
    if (c === 'p' || c === 'P' || rest.startsWith('u{')) return this.take('char', start, closing(this.src, start, '}'));
    if (c === 'c') return this.take('char', start, 3);
    if (c === 'x') return this.take('char', start, 4);
    if (c === 'u') return this.take('char', start, /^u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}/.test(rest) ? 12 : 6);
    if (c === undefined) throw this.fail('lone "\\"');
    return this.take('char', start, (this.src.codePointAt(start + 1) as number) > 0xffff ? 3 : 2);
  }

  private group(depth: number): RegexNode {
    if (depth >= MAX_GROUP_DEPTH) throw this.fail(`groups nested over ${MAX_GROUP_DEPTH} deep`);
    const start = this.pos;
    const open = (GROUP_OPEN.exec(this.src.slice(start, start + 64)) as RegExpExecArray)[0];
    this.pos += open.length;
    const body = this.disjunction(depth + 1);
    if (this.src[this.pos] !== ')') throw this.fail('missing ")"');
    this.pos += 1;
    const end = this.pos;
    if (/^\(\?<?[=!]$/.test(open)) return { kind: 'look', behind: open[2] === '<', body, start, end };
    if (open === '(?:' && isOneCharacterTest(body)) return { kind: 'char', start, end };
    return body.kind === 'seq' || body.kind === 'alt' ? { ...body, start, end } : body;
  }
}

function quantifierBounds(match: RegExpExecArray): [number, number] {
  const head = match[0][0];
  if (head === '*') return [0, Infinity];
  if (head === '+') return [1, Infinity];
  if (head === '?') return [0, 1];
  const min = Number(match[1]);
  if (match[2] === undefined) return [min, min];
  return [min, match[3] === '' ? Infinity : Number(match[3])];
}

/** Length of the class starting at `start` ('[' … ']', escapes honoured). */
function classLength(src: string, start: number): number {
  let i = start + 1;
  while (i < src.length && src[i] !== ']') i += src[i] === '\\' ? 2 : 1;
  if (i >= src.length) throw new RegexSyntaxError(`unterminated class at offset ${start}`);
  return i + 1 - start;
}

/** Length of an escape running from `start` to the first `close` character. */
function closing(src: string, start: number, close: string): number {
  const end = src.indexOf(close, start);
  if (end < 0) throw new RegexSyntaxError(`unterminated escape at offset ${start}`);
  return end + 1 - start;
}

/**
 * True for the shape @huggingface/tokenizers gives class intersections and
 * nested classes: lookaheads that each test one character, then one character.
 */
function isOneCharacterTest(body: RegexNode): boolean {
  if (body.kind !== 'seq' || body.items.length < 2) return false;
  const last = body.items[body.items.length - 1];
  const tests = body.items.slice(0, -1);
  const oneChar = (n: RegexNode): boolean => n.kind === 'char' || (n.kind === 'alt' && n.branches.every((b) => b.kind === 'char'));
  return last.kind === 'char' && tests.every((n) => n.kind === 'look' && oneChar(n.body));
}

/** Parses a 'u'-mode JavaScript regular expression source (one `new RegExp(source, 'u')` accepts). */
export function parseRegex(source: string): RegexNode {
  return new Parser(source).parse();
}
