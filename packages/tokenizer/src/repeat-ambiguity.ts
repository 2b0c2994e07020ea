// Whether a repeated group can match one text as more than one sequence of
// iterations — `(a|a)*`, `(a|aa)+`, `(a?b?)*`, `(\w|\d)+`. A backtracking
// engine tries every such sequence when what follows fails, which takes time
// exponential in the text's length.
//
// The group's body has no unbounded part here (nested unbounded repetition is
// refused before), so it matches a finite set of atom sequences ("paths"). Iterating
// the body is an automaton that leaves a hub state along a path and comes back
// to it; the repetition is ambiguous exactly when two different runs of that
// automaton read the same characters from the hub back to the hub, which a
// search over pairs of states finds.

import type { RegexNode } from './regex-syntax.js';

/** Most paths, and most atoms over all paths, that a repeated body may have. */
export const MAX_BODY_PATHS = 256;
export const MAX_BODY_ATOMS = 512;

type Path = RegexNode[];

/** Atom sequences the node matches (zero-width parts dropped), or null when over the limits. */
export function atomPaths(node: RegexNode): Path[] | null {
  switch (node.kind) {
    case 'char':
      return [[node]];
    case 'assert':
    case 'look':
    case 'backref':
      return [[]];
    case 'alt': {
      const out: Path[] = [];
      for (const branch of node.branches) {
        const paths = atomPaths(branch);
        if (paths === null || out.length + paths.length > MAX_BODY_PATHS) return null;
        out.push(...paths);
      }
      return withinLimits(out);
    }
    case 'seq':
      return node.items.reduce<Path[] | null>((acc, item) => (acc === null ? null : concat(acc, atomPaths(item))), [[]]);
    case 'repeat': {
      if (node.max === Infinity || node.max > MAX_BODY_ATOMS) return null;
      const body = atomPaths(node.body);
      const out: Path[] = [];
      let power: Path[] | null = [[]];
      for (let k = 0; k <= node.max && power !== null; k++) {
        if (k >= node.min) out.push(...power);
        if (out.length > MAX_BODY_PATHS) return null;
        if (k < node.max) power = concat(power, body);
      }
      return power === null ? null : withinLimits(out);
    }
  }
}

function concat(left: Path[], right: Path[] | null): Path[] | null {
  if (right === null || left.length * right.length > MAX_BODY_PATHS) return null;
  return withinLimits(left.flatMap((a) => right.map((b) => [...a, ...b])));
}

function withinLimits(paths: Path[]): Path[] | null {
  let atoms = 0;
  for (const p of paths) atoms += p.length;
  return paths.length <= MAX_BODY_PATHS && atoms <= MAX_BODY_ATOMS ? paths : null;
}

interface Edge {
  atom: RegexNode;
  from: number;
  to: number;
}

/** The loop automaton: state 0 is the hub; each path leaves it and returns to it. */
function loopAutomaton(paths: readonly Path[]): { out: Edge[][]; into: Edge[][] } {
  const out: Edge[][] = [[]];
  const into: Edge[][] = [[]];
  for (const path of paths) {
    if (path.length === 0) continue; // an iteration that matches nothing is not repeated by JavaScript
    let from = 0;
    path.forEach((atom, i) => {
      const to = i === path.length - 1 ? 0 : out.push([]) - 1;
      if (to !== 0) into.push([]);
      const edge = { atom, from, to };
      out[from].push(edge);
      into[to].push(edge);
      from = to;
    });
  }
  return { out, into };
}

type Step = (a: Edge, b: Edge) => number;

/** Marks every pair reached from `start` through `next(pair)` (pairs are s * n + t). */
function search(start: number, size: number, next: (pair: number, visit: (target: number) => void) => void): Uint8Array {
  const seen = new Uint8Array(size);
  const queue = [start];
  seen[start] = 1;
  while (queue.length > 0) {
    next(queue.pop() as number, (target) => {
      if (seen[target] === 0) {
        seen[target] = 1;
        queue.push(target);
      }
    });
  }
  return seen;
}

/**
 * True when repeating a body with these paths is ambiguous: some pair of runs
 * leaves the hub together, differs in one step, and comes back to the hub
 * together. `overlap(a, b)` says whether two one-character atoms can match a
 * common character.
 */
export function isAmbiguousLoop(paths: readonly Path[], overlap: (a: RegexNode, b: RegexNode) => boolean): boolean {
  const { out, into } = loopAutomaton(paths);
  const n = out.length;
  const same = memoized(overlap);
  const step: Step = (a, b) => (a === b || same(a.atom, b.atom) ? 1 : 0);
  const toHub = search(0, n * n, (pair, visit) => {
    for (const a of into[Math.floor(pair / n)]) for (const b of into[pair % n]) if (step(a, b)) visit(a.from * n + b.from);
  });
  let ambiguous = false;
  search(0, n * n, (pair, visit) => {
    for (const a of out[Math.floor(pair / n)]) {
      for (const b of out[pair % n]) {
        if (ambiguous || !step(a, b)) continue;
        const target = a.to * n + b.to;
        if (a !== b && toHub[target] === 1) ambiguous = true;
        visit(target);
      }
    }
  });
  return ambiguous;
}

/** `overlap`, asked once per pair of atoms. */
function memoized(overlap: (a: RegexNode, b: RegexNode) => boolean): (a: RegexNode, b: RegexNode) => boolean {
  const ids = new Map<RegexNode, number>();
  const id = (node: RegexNode) => ids.get(node) ?? (ids.set(node, ids.size), ids.size - 1);
  const known = new Map<number, boolean>();
  return (a, b) => {
    const key = id(a) * 65_536 + id(b);
    let answer = known.get(key);
    if (answer === undefined) {
      answer = overlap(a, b);
      known.set(key, answer);
    }
    return answer;
  };
}
