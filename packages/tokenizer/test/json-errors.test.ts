import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeJsonSyntaxError, loadTokenizer, parseTokenizerJson, TokenizerError, TokenizerFormatError, trainWordTokenizer } from '../src/index.js';

function described(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return describeJsonSyntaxError(text, error);
  }
  throw new Error(`${text} is valid JSON`);
}

describe('JSON syntax errors', () => {
  it('give line and column on one line, without the excerpt of the text', () => {
    expect(described('{"model": {"type":\n "BPE\n')).toBe('line 2, column 6: Bad control character in string literal');
    expect(described('{"model":\n  {"type": x}}')).toBe("line 2, column 12: Unexpected token 'x'");
    expect(described('{"a": 1,\n\n}')).toBe('line 3, column 1: Expected double-quoted property name');
    expect(described('{\n"a": tru')).toBe('line 2, column 9: Unexpected end of JSON input');
    expect(described('')).toBe('line 1, column 1: Unexpected end of JSON input');
  });
});

describe('patterns in tokenizer.json components', () => {
  it('a Split pattern that is neither {String} nor {Regex} is an error naming the field', async () => {
    const json = structuredClone(await trainWordTokenizer(['a b c'])) as unknown as Record<string, any>;
    json.pre_tokenizer = { type: 'Sequence', pretokenizers: [{ type: 'Split', pattern: { Glob: '*' }, behavior: 'Isolated' }] };
    expect(() => parseTokenizerJson(json, 'tok.json')).toThrow(TokenizerFormatError);
    expect(() => parseTokenizerJson(json, 'tok.json')).toThrow(
      'tok.json: field "pre_tokenizer.pretokenizers[0].pattern" is {"Glob":"*"}; expected {"String": "<text>"} or {"Regex": "<expression>"}',
    );
  });
});

describe('vocabulary entries', () => {
  it('a vocabulary entry of the wrong form is an error naming it (found by fuzzing)', async () => {
    const json = structuredClone(await trainWordTokenizer(['a b c'])) as unknown as Record<string, any>;
    json.model.vocab = [true, ['x'], [1, 2]];
    expect(() => parseTokenizerJson(json, 'tok.json')).toThrow('tok.json: field "model.vocab[0]" is true; expected a [token, score] pair');
    json.model.vocab = { a: 0, b: -1 };
    expect(() => parseTokenizerJson(json, 'tok.json')).toThrow('tok.json: field "model.vocab" gives token "b" the id -1; expected a non-negative integer');
  });
});

describe('loading a tokenizer from a folder', () => {
  it('refuses a tokenizer.json that is a link out of the folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seqloom-tokenizer-link-'));
    await writeFile(join(dir, 'outside.json'), JSON.stringify(await trainWordTokenizer(['a b'])));
    await mkdir(join(dir, 'model'));
    await symlink(join(dir, 'outside.json'), join(dir, 'model', 'tokenizer.json'));
    const error = await loadTokenizer(join(dir, 'model')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenizerError);
    expect((error as Error).message).toMatch(/model\/tokenizer\.json is a link that leads out of the folder/);
    await expect(loadTokenizer(join(dir, 'outside.json'))).resolves.toBeDefined();
  });
});
