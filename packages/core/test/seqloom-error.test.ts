import { describe, expect, it } from 'vitest';
import { SeqloomError } from '../src/index.js';

class ExampleError extends SeqloomError {
  override readonly name = 'ExampleError';
}

describe('SeqloomError', () => {
  it('is user-facing unless told otherwise, and keeps its name, fields and cause', () => {
    const cause = new Error('inner');
    const error = new ExampleError('a.tsv:3: no TAB', { file: 'a.tsv', line: 3, option: '--data', cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(SeqloomError);
    expect([error.name, error.message, error.userFacing, error.file, error.line, error.option, error.cause]).toEqual([
      'ExampleError',
      'a.tsv:3: no TAB',
      true,
      'a.tsv',
      3,
      '--data',
      cause,
    ]);
    expect(String(error)).toBe('ExampleError: a.tsv:3: no TAB');
  });

  it('marks internal failures, and leaves absent fields out', () => {
    const error = new SeqloomError('worker died', { userFacing: false });
    expect([error.name, error.userFacing]).toEqual(['SeqloomError', false]);
    expect('cause' in error).toBe(false);
    expect([error.file, error.option, error.line]).toEqual([undefined, undefined, undefined]);
  });

  it('counts errors from another copy of the package (by brand), and keeps subclass checks exact', () => {
    class OtherCopyError extends Error {}
    Object.defineProperty(OtherCopyError.prototype, Symbol.for('@seqloom/core:SeqloomError'), { value: true });
    expect(new OtherCopyError('x')).toBeInstanceOf(SeqloomError);
    expect(new Error('x')).not.toBeInstanceOf(SeqloomError);
    expect(null instanceof SeqloomError).toBe(false);
    expect(new SeqloomError('x')).not.toBeInstanceOf(ExampleError);
    expect(new ExampleError('x')).toBeInstanceOf(ExampleError);
  });
});
