/** Two tokens of a tokenizer.json that share an id. */
export interface SharedId {
  id: number;
  first: string;
  second: string;
  /** Where both are: `model.vocab` or `added_tokens`. */
  field: string;
}

/**
 * The first id that two tokens of a tokenizer.json's `model.vocab` (or two of
 * its `added_tokens`) share; undefined when every id names one token. (An
 * added token may repeat a vocabulary entry: same text, same id.)
 */
export function sharedVocabularyId(json: unknown): SharedId | undefined {
  const value = json as { model?: { vocab?: unknown }; added_tokens?: unknown } | null;
  const vocab = value?.model?.vocab;
  if (vocab !== null && typeof vocab === 'object' && !Array.isArray(vocab)) {
    const found = firstShared(Object.entries(vocab as Record<string, unknown>), 'model.vocab');
    if (found) return found;
  }
  if (Array.isArray(value?.added_tokens)) {
    const entries = (value.added_tokens as { content?: unknown; id?: unknown }[]).map((t) => [String(t?.content), t?.id] as [string, unknown]);
    return firstShared(entries, 'added_tokens');
  }
  return undefined;
}

function firstShared(entries: readonly [string, unknown][], field: string): SharedId | undefined {
  const owner = new Map<number, string>();
  for (const [token, id] of entries) {
    if (typeof id !== 'number') continue;
    const first = owner.get(id);
    if (first !== undefined && first !== token) return { id, first, second: token, field };
    owner.set(id, token);
  }
  return undefined;
}

/** The problem with a shared id, for an error message after the file's name. */
export function sharedIdMessage(shared: SharedId): string {
  const show = (t: string) => JSON.stringify(t.length > 40 ? `${t.slice(0, 40)}…` : t);
  return (
    `field "${shared.field}" gives the id ${shared.id} to both ${show(shared.first)} and ${show(shared.second)}; ` +
    'each id must name one token (decoding would give only one of them); fix the file'
  );
}
