import { describe, expect, it } from 'vitest';
import { TokenizerError, TokenizerFormatError, tokenizerFromFile, tokenizerFromJson, tokenizerFromUrl, trainWordTokenizer, Utf8Error } from '../src/browser.js';
import { tokenizerFromJson as nodeTokenizerFromJson } from '../src/index.js';

const SPECIALS = { pad: '[PAD]', bos: '[BOS]', eos: '[EOS]', unk: '[UNK]' };

/** A fetch over a map of URL → body (404 for anything else), recording the URLs asked for. */
function fakeFetch(files: Record<string, string | Uint8Array>, asked: string[] = []): typeof fetch {
  return (async (input: string) => {
    asked.push(String(input));
    const body = files[String(input)];
    return body === undefined ? new Response('', { status: 404 }) : new Response(body, { status: 200 });
  }) as typeof fetch;
}

async function trained() {
  const json = await trainWordTokenizer(['the cat sat', 'the dog ran'], { specialTokens: SPECIALS });
  return nodeTokenizerFromJson(json, {}, { specialTokens: SPECIALS });
}

describe('tokenizers from a URL or a picked file (the browser entry)', () => {
  it('fetches tokenizer.json and its tokenizer_config.json from beside it, or from a folder URL', async () => {
    const original = await trained();
    const files = {
      'http://host/m/tokenizer.json': JSON.stringify(original.toJSON()),
      'http://host/m/tokenizer_config.json': JSON.stringify(original.toConfig()),
    };
    for (const url of ['http://host/m/tokenizer.json', 'http://host/m/']) {
      const loaded = await tokenizerFromUrl(url, { fetch: fakeFetch(files) });
      expect(loaded.specialTokens).toEqual(SPECIALS);
      expect(loaded.encode('the cat ran', { addEos: true })).toEqual(original.encode('the cat ran', { addEos: true }));
      expect(loaded.decode(loaded.encode('the dog sat'))).toBe('the dog sat');
    }
  });

  it('takes a missing tokenizer_config.json beside it as none, and names a missing tokenizer.json', async () => {
    const original = await trained();
    const asked: string[] = [];
    const loaded = await tokenizerFromUrl('http://host/x/tokenizer.json', {
      fetch: fakeFetch({ 'http://host/x/tokenizer.json': JSON.stringify(original.toJSON()) }, asked),
      specialTokens: SPECIALS,
    });
    expect(loaded.vocabSize).toBe(original.vocabSize);
    expect(asked).toEqual(['http://host/x/tokenizer.json', 'http://host/x/tokenizer_config.json']);
    await expect(tokenizerFromUrl('http://host/none/tokenizer.json', { fetch: fakeFetch({}) })).rejects.toThrow(
      'tokenizer file http://host/none/tokenizer.json cannot be fetched (HTTP 404)',
    );
    await expect(tokenizerFromUrl('tokenizer.json')).rejects.toThrow(/is not a URL \(outside a page it must be absolute/);
  });

  it('checks fetched and picked files as files on disk are checked: JSON syntax, UTF-8, the config object', async () => {
    await expect(tokenizerFromUrl('http://h/t.json', { fetch: fakeFetch({ 'http://h/t.json': '{"model": ' }) })).rejects.toBeInstanceOf(TokenizerFormatError);
    await expect(tokenizerFromUrl('http://h/t.json', { fetch: fakeFetch({ 'http://h/t.json': new Uint8Array([0x7b, 0xff, 0x7d]) }) })).rejects.toBeInstanceOf(
      Utf8Error,
    );
    const original = await trained();
    const file = new File([JSON.stringify(original.toJSON())], 'tokenizer.json');
    await expect(tokenizerFromFile(file, { config: new File(['[1]'], 'tokenizer_config.json') })).rejects.toThrow(
      'tokenizer_config.json must hold a JSON object',
    );
    await expect(tokenizerFromFile('tokenizer.json' as unknown as File)).rejects.toBeInstanceOf(TokenizerError);
    const picked = await tokenizerFromFile(file, { config: new File([JSON.stringify(original.toConfig())], 'tokenizer_config.json') });
    expect(picked.encode('the cat')).toEqual(original.encode('the cat'));
  });

  it('builds tokenizers that work but refuse to save (no file system in a page)', async () => {
    const tokenizer = tokenizerFromJson(await trainWordTokenizer(['a b c']));
    expect(tokenizer.decode(tokenizer.encode('a c'))).toBe('a c');
    await expect(tokenizer.save('/tmp/never')).rejects.toThrow(/needs Node's file system; in a browser keep toJSON\(\) and toConfig\(\)/);
  });
});
