import { CorpusError } from './errors.js';

/** Training text: any iterable or async iterable of strings (lines, paragraphs, documents). */
export type Corpus = Iterable<string> | AsyncIterable<string>;

/** Progress reported by trainers: counting the corpus, then building the vocabulary. */
export interface TrainingProgress {
  phase: 'count' | 'merge';
  /** texts read (count) or vocabulary entries/merges made (merge). */
  done: number;
  /** the total when known (merge target), else null. */
  total: number | null;
}

/** Options every trainer accepts. */
export interface ProgressOptions {
  /** Called now and then while training; never required. */
  onProgress?: (progress: TrainingProgress) => void;
}

const COUNT_REPORT_EVERY = 10_000;

function isAsync(corpus: Corpus): corpus is AsyncIterable<string> {
  return typeof (corpus as Iterable<string>)[Symbol.iterator] !== 'function';
}

function checkText(text: unknown, index: number): asserts text is string {
  if (typeof text !== 'string') {
    throw new CorpusError(`corpus item ${index} is ${text === null ? 'null' : typeof text}; expected a string (one line or document per item)`);
  }
}

/**
 * Feed every text of `corpus` to `visit`, streaming (nothing is buffered). Throws
 * {@link CorpusError} if the corpus is not iterable, yields a non-string, or holds no
 * non-whitespace text.
 */
export async function forEachText(corpus: Corpus, visit: (text: string) => void, onProgress?: ProgressOptions['onProgress']): Promise<number> {
  if (typeof corpus === 'string') {
    throw new CorpusError('corpus is a single string; pass an iterable of strings, e.g. [text] or text.split("\\n")');
  }
  const iterable =
    corpus !== null &&
    (typeof corpus === 'object' || typeof corpus === 'function') &&
    (typeof (corpus as Iterable<string>)[Symbol.iterator] === 'function' || typeof (corpus as AsyncIterable<string>)[Symbol.asyncIterator] === 'function');
  if (!iterable) {
    throw new CorpusError('corpus must be an iterable or async iterable of strings (for example an array of lines)');
  }
  let index = 0;
  let nonEmpty = 0;
  const take = (text: unknown): void => {
    checkText(text, index);
    if (/\S/.test(text)) nonEmpty++;
    visit(text);
    index++;
    if (onProgress && index % COUNT_REPORT_EVERY === 0) onProgress({ phase: 'count', done: index, total: null });
  };
  if (isAsync(corpus)) {
    for await (const text of corpus) take(text);
  } else {
    for (const text of corpus) take(text);
  }
  if (nonEmpty === 0) {
    throw new CorpusError(
      index === 0
        ? 'corpus is empty: it yielded no texts; pass at least one non-empty string'
        : `corpus has ${index} text(s) but all are empty or whitespace; pass at least one non-empty string`,
    );
  }
  onProgress?.({ phase: 'count', done: index, total: null });
  return index;
}
