// The child process of pattern-fuzz.ts: reads one case per stdin line
// ({ pattern, place, texts, source }), loads a tokenizer.json holding the pattern and
// encodes the texts, and answers one JSON line per case. It runs apart so
// that a pattern that hangs the regular expression engine can be killed.
import { createInterface } from 'node:readline';
import { TokenizerError, tokenizerFromJson } from '@seqloom/tokenizer';

/** Where the fuzzed pattern sits in the tokenizer.json. */
type PatternPlace = 'split' | 'replace';

function tokenizerJson(pattern: string, place: PatternPlace): Record<string, unknown> {
  const regex = { Regex: pattern };
  return {
    version: '1.0',
    added_tokens: [],
    post_processor: null,
    decoder: null,
    normalizer: place === 'replace' ? { type: 'Replace', pattern: regex, content: ' ' } : null,
    pre_tokenizer: place === 'split' ? { type: 'Split', pattern: regex, behavior: 'Isolated', invert: false } : { type: 'WhitespaceSplit' },
    model: { type: 'WordLevel', vocab: { '<unk>': 0, a: 1, ' ': 2 }, unk_token: '<unk>' },
  };
}

function runCase(line: string): Record<string, unknown> {
  const { pattern, place, texts, source } = JSON.parse(line) as { pattern: string; place: PatternPlace; texts: string[]; source: string };
  const started = performance.now();
  try {
    const tokenizer = tokenizerFromJson(tokenizerJson(pattern, place), {}, { source });
    for (const text of texts) tokenizer.encode(text);
    return { outcome: 'encoded', ms: performance.now() - started };
  } catch (error) {
    if (error instanceof TokenizerError) return { outcome: 'refused', name: error.name, message: error.message };
    return { outcome: 'error', name: error instanceof Error ? error.name : typeof error, message: String(error) };
  }
}

process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== '') process.stdout.write(`${JSON.stringify(runCase(line))}\n`);
}
