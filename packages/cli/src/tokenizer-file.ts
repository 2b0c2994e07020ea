import { loadTokenizer, type Tokenizer } from '@seqloom/tokenizer';
import { CliError } from './cli-error.js';

/**
 * Loads a tokenizer.json (or a folder holding one) for the tokenizer
 * commands, refusing a vocabulary in which two tokens share an id (`cat`=5,
 * `dog`=5): decoding 5 could only give one of them, so the file is wrong.
 */
export async function loadCheckedTokenizer(path: string): Promise<Tokenizer> {
  const tokenizer = await loadTokenizer(path);
  const vocab = tokenizer.toJSON().model.vocab;
  if (Array.isArray(vocab)) return tokenizer; // Unigram: ids are positions
  for (const [token, id] of Object.entries(vocab)) {
    const owner = tokenizer.idToToken(id);
    if (owner !== undefined && owner !== token) {
      throw new CliError(
        `${path}: field "model.vocab" gives the id ${id} to both ${JSON.stringify(owner)} and ${JSON.stringify(token)}; ` +
          'each id must name one token (decoding would give only one of them); fix the file',
      );
    }
  }
  return tokenizer;
}
